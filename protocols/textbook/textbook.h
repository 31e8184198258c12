// Textbook models: faithful ports of the TLA+ specifications that accompany
//
//   Jim Gray and Leslie Lamport, "Consensus on Transaction Commit",
//   ACM Transactions on Database Systems 31(1):133-160, March 2006
//   (also Microsoft Research MSR-TR-2003-96),
//
// as published in github.com/tlaplus/Examples, specifications/transaction_commit/:
// TCommit.tla (the specification), TwoPhase.tla (two-phase commit) and PaxosCommit.tla
// (Paxos Commit), with their .cfg files. Each is a txsim::check::Model whose state space,
// successor multiset and invariants match TLC's, so the checker's counts can be pinned to TLC's
// published figures (docs/textbook.md has the table and the variable-by-variable mapping):
//
//   TCommit(rms, symmetry)                          tcommit.h
//   TwoPhaseTla(rms, symmetry)                      two_phase_tla.h
//   PaxosCommit(rms, acceptors, ballots, symmetry)  paxos_commit.h
//
// These abstract models have no network, clock or crash: messages are a set that only grows,
// exactly as in the specs. The simulated protocols in protocols/two_phase/ and
// protocols/paxos_commit/ are the concrete counterparts.
#pragma once

#include "protocols/textbook/paxos_commit.h"
#include "protocols/textbook/tcommit.h"
#include "protocols/textbook/two_phase_tla.h"
