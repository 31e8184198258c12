// Three-phase commit node state: one State type for the coordinator and the participants, split
// into what survives a crash (Durable: the logs and the account balances) and what does not
// (Volatile: the coordinator's rounds, each participant's view of whom it follows and, when it
// leads the termination protocol, what it has collected; the lock table).
//
// Sources: Skeen, "Nonblocking commit protocols", SIGMOD 1981 (the participant's states q, w,
// p, c, a: here working, uncertain, precommitted, committed, aborted); Bernstein, Hadzilacos &
// Goodman, "Concurrency Control and Recovery in Database Systems", ch. 7 (what is forced to the
// log before each message: the start record, the yes vote, the commit and abort decisions).
//
// Invariants: every container is a std::vector kept sorted ascending by its key (tx or
// account) with unique keys, so two equal states are equal element for element and hash alike;
// sets of nodes are NodeMask bit sets (participants have ids < 64, three_phase.cc checks it).
// A participant has a Follow entry exactly for its undecided (uncertain or precommitted) log
// records. No pointers: a State is a plain value the engines copy and compare.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "protocols/common/sorted_vector.h"
#include "sim/assert.h"
#include "sim/protocol.h"
#include "sim/types.h"

namespace txsim::three_phase {

// What a participant's log says about one transaction (Skeen's states; "working" has no record).
enum class TxStatus : std::uint8_t { uncertain, precommitted, committed, aborted };

// What the coordinator's log says about one transaction.
enum class CoordStatus : std::uint8_t { started, committed, aborted };

struct Delta {  // the net change one transaction makes to one account
  AccountId account = kNoAccount;
  std::int64_t amount = 0;
  bool operator==(const Delta&) const = default;
};

struct LogRecord {  // participant log entry, key: tx
  TxId tx = kNoTx;
  TxStatus status = TxStatus::uncertain;
  bool voted_yes = false;  // its deltas are the transaction's (ThreePhase::record_deltas)
  bool operator==(const LogRecord&) const = default;
};

struct CoordRecord {  // coordinator log entry, key: tx
  TxId tx = kNoTx;
  CoordStatus status = CoordStatus::started;
  bool operator==(const CoordRecord&) const = default;
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

// Where the coordinator is with one transaction.
enum class RoundPhase : std::uint8_t {
  collecting,     // CanCommit sent, waiting for votes
  precommitting,  // PreCommit sent, waiting for acks
  acking,         // committed, waiting for DoCommitAcks (then the end record)
  querying,       // recovered without a decision: waiting to learn it from the participants
};

struct Round {  // coordinator, key: tx
  TxId tx = kNoTx;
  RoundPhase phase = RoundPhase::collecting;
  NodeMask answered = 0;  // participants that voted yes / acked in this phase
  bool operator==(const Round&) const = default;
};

// A participant's part in the termination protocol for one transaction.
enum class Lead : std::uint8_t {
  none,           // following `leader`
  collecting,     // leading: StateReq sent, waiting for StateReplies
  precommitting,  // leading: PreCommit sent to the uncertain ones, waiting for acks
};

struct Follow {  // participant, one undecided transaction, key: tx
  TxId tx = kNoTx;
  NodeId leader = kNoNode;   // whom it waits for: the coordinator, then an elected participant
  NodeMask suspected = 0;    // nodes it timed out on (never itself)
  Lead lead = Lead::none;    // != none: it is the termination leader (leader == itself)
  NodeMask waiting = 0;      // leading: who still has to answer
  NodeMask uncertain = 0;    // leading: who answered "uncertain"
  bool precommit_seen = false;  // leading: someone (maybe itself) is precommitted
  bool operator==(const Follow&) const = default;
};

struct Durable {
  std::vector<CoordRecord> coord_log;  // coordinator
  std::vector<LogRecord> log;          // participant
  std::vector<Balance> balances;       // participant: the accounts it owns
  bool operator==(const Durable&) const = default;
};

struct Volatile {
  std::vector<Round> rounds;    // coordinator
  std::vector<Follow> follows;  // participant
  std::vector<Lock> locks;      // participant
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

inline TxId key_of(const LogRecord& r) { return r.tx; }
inline TxId key_of(const CoordRecord& r) { return r.tx; }
inline TxId key_of(const Round& r) { return r.tx; }
inline TxId key_of(const Follow& f) { return f.tx; }
inline AccountId key_of(const Balance& b) { return b.account; }
inline AccountId key_of(const Lock& l) { return l.account; }

inline bool has_bit(NodeMask set, NodeId n) { return (set & node_bit(n)) != 0; }

}  // namespace txsim::three_phase
