// Paxos Commit node state: one State type for every role, split into what survives a crash
// (Durable: the RM's log and balances, the acceptor's promises and accepted values, a leader's
// last round and decision) and what does not (Volatile: locks, a leader's vote counting).
//
// Source: Gray & Lamport, "Consensus on Transaction Commit" (2006), section 4: an RM records
// its vote before sending it; an acceptor records its promise (mbal) and what it accepted
// (bal, val) before answering, so a crash cannot make it forget a promise; a leader needs no
// stable storage except enough to never reuse a ballot (its round, written before phase 1a).
//
// Invariants: every container is a std::vector sorted ascending by its key (tx or account) with
// unique keys, or a fixed-size array, so equal states are equal element for element and hash
// alike. A node only fills the parts of its role (a leader candidate RM fills RM and leader
// parts). No pointers: a State is a plain value the engines copy and compare.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "protocols/paxos_commit/messages.h"
#include "protocols/common/sorted_vector.h"
#include "sim/assert.h"
#include "sim/types.h"

namespace txsim::paxos_commit {

enum class RmStatus : std::uint8_t {
  prepared,   // voted Prepared, outcome not known yet: "in doubt"
  committed,  // applied the commit
  aborted,    // voted Aborted, or applied an abort
};

enum class Decision : std::uint8_t { none, commit, abort };

struct RmRecord {  // RM log entry, key: tx
  TxId tx = kNoTx;
  RmStatus status = RmStatus::prepared;
  bool voted_yes = false;  // its deltas are the transaction's (PaxosCommit::record_deltas)
  bool operator==(const RmRecord&) const = default;
};

struct Balance {  // committed balance of an account this RM owns, key: account
  AccountId account = kNoAccount;
  std::int64_t amount = 0;
  bool operator==(const Balance&) const = default;
};

struct AcceptorRecord {  // acceptor, one per transaction (all its instances), key: tx
  TxId tx = kNoTx;
  Ballot promised = 0;  // mbal: no ballot below it is accepted any more
  Slots accepted{};     // per instance (bal, val)
  bool operator==(const AcceptorRecord&) const = default;
};

struct LeaderRecord {  // leader candidate, key: tx
  TxId tx = kNoTx;
  std::uint16_t round = 0;  // last round started (its ballot: round * nodes + self)
  Decision decision = Decision::none;
  bool operator==(const LeaderRecord&) const = default;
};

struct Durable {
  std::vector<RmRecord> log;             // RM
  std::vector<Balance> balances;         // RM: the accounts it owns
  std::vector<AcceptorRecord> acceptor;  // acceptor
  std::vector<LeaderRecord> leader;      // initial leader, or an RM that took over
  bool operator==(const Durable&) const = default;
};

struct Lock {  // exclusive lock, key: account
  AccountId account = kNoAccount;
  TxId tx = kNoTx;
  bool operator==(const Lock&) const = default;
};

// Phase 2b messages of one instance counted for the highest ballot seen so far.
struct Learn {
  Ballot bal = 0;
  AcceptorMask acceptors = 0;
  Value val = Value::none;
  bool operator==(const Learn&) const = default;
};

enum class Stage : std::uint8_t {
  learning,  // counting phase 2b messages (ballot 0, or a finished phase 2), no phase 1 running
  phase1,    // sent phase 1a in `ballot`, collecting phase 1b
  phase2,    // sent phase 2a in `ballot`
};

struct Leading {  // a leader's work on one undecided transaction, key: tx
  TxId tx = kNoTx;
  Stage stage = Stage::learning;
  Ballot ballot = 0;
  AcceptorMask promised = 0;  // phase1: acceptors that sent phase 1b in `ballot`
  Slots best{};               // phase1: highest-ballot value reported per instance
  std::array<Learn, kInstancesMax> learn{};
  Values chosen{};  // per instance, once a majority accepted it in one ballot
  bool operator==(const Leading&) const = default;
};

struct Volatile {
  std::vector<Lock> locks;       // RM
  std::vector<Leading> leading;  // leader candidate
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

inline TxId key_of(const RmRecord& r) { return r.tx; }
inline TxId key_of(const AcceptorRecord& r) { return r.tx; }
inline TxId key_of(const LeaderRecord& r) { return r.tx; }
inline TxId key_of(const Leading& l) { return l.tx; }
inline AccountId key_of(const Balance& b) { return b.account; }
inline AccountId key_of(const Lock& l) { return l.account; }

// The element with `key`, inserted as T{key} first if missing.
template <class T, class K>
T& find_or_insert(std::vector<T>& v, K key) {
  if (T* e = find_key(v, key)) return *e;
  T fresh{};
  fresh.tx = key;
  return insert_key(v, fresh);
}

}  // namespace txsim::paxos_commit
