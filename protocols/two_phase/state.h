// Two-phase commit node state: one State type for the coordinator and the participants, split
// into what survives a crash (Durable: the stable log and the account balances) and what does
// not (Volatile: votes being collected, acks being collected, the lock table).
//
// Sources: Gray & Reuter ch. 10 (the coordinator's and the participants' logs); Bernstein,
// Hadzilacos & Goodman ch. 7 (what must be forced before a message leaves); Mohan, Lindsay &
// Obermarck 1986 (presumed abort: the coordinator logs only commit decisions, and forgets a
// transaction once every participant acknowledged).
//
// Invariants: every container is a std::vector kept sorted ascending by its key (tx, account or
// node) with unique keys, so two equal states are equal element for element and hash alike. No
// pointers: a State is a plain value the engines copy and compare.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "protocols/common/sorted_vector.h"
#include "sim/assert.h"
#include "sim/types.h"

namespace txsim::two_phase {

// What a participant's log says about one transaction.
enum class TxStatus : std::uint8_t {
  prepared,   // voted yes, outcome not known yet: "in doubt"
  committed,  // applied the commit
  aborted,    // voted no, aborted unilaterally, or applied an abort
};

struct Delta {  // the net change one transaction makes to one account
  AccountId account = kNoAccount;
  std::int64_t amount = 0;
  bool operator==(const Delta&) const = default;
};

struct LogRecord {  // participant log entry, key: tx
  TxId tx = kNoTx;
  TxStatus status = TxStatus::prepared;
  bool voted_yes = false;     // its deltas are the transaction's (TwoPhase::record_deltas)
  bool operator==(const LogRecord&) const = default;
};

struct Balance {  // committed balance of an account this participant owns, key: account
  AccountId account = kNoAccount;
  std::int64_t amount = 0;
  bool operator==(const Balance&) const = default;
};

struct Lock {  // exclusive lock, key: account
  AccountId account = kNoAccount;
  TxId tx = kNoTx;
  bool operator==(const Lock&) const = default;
};

struct Collecting {  // coordinator, phase one of tx: the participants that voted yes so far
  TxId tx = kNoTx;
  std::vector<NodeId> yes;  // ascending
  bool operator==(const Collecting&) const = default;
};

struct Acking {  // coordinator, phase two of a committed tx: the participants that acked
  TxId tx = kNoTx;
  std::vector<NodeId> acked;  // ascending
  bool operator==(const Acking&) const = default;
};

struct Durable {
  // Coordinator: commit decisions without an end record (presumed abort logs nothing else).
  std::vector<TxId> commit_log;
  // Participant: one record per transaction it voted on or learned the outcome of.
  std::vector<LogRecord> log;
  std::vector<Balance> balances;  // the accounts it owns
  bool operator==(const Durable&) const = default;
};

struct Volatile {
  std::vector<Collecting> collecting;  // coordinator
  std::vector<Acking> acking;          // coordinator
  std::vector<Lock> locks;             // participant
  bool operator==(const Volatile&) const = default;
};

struct State {
  NodeId node = kNoNode;  // whose state this is; lets describe_state print names
  Durable durable;
  Volatile vol;
  bool operator==(const State&) const = default;
};

// 64-bit hashes for the model checker (sim/protocol.h, CheckableProtocol), over the same
// fields operator== compares, in order (hash.cc). Found by argument-dependent lookup.
std::uint64_t hash(const Durable& durable);
std::uint64_t hash(const State& state);

// --- sorted-vector helpers: binary search by key, insert keeping order ---

inline TxId key_of(TxId tx) { return tx; }
inline TxId key_of(const LogRecord& r) { return r.tx; }
inline TxId key_of(const Collecting& c) { return c.tx; }
inline TxId key_of(const Acking& a) { return a.tx; }
inline AccountId key_of(const Balance& b) { return b.account; }
inline AccountId key_of(const Lock& l) { return l.account; }

}  // namespace txsim::two_phase
