// TCC node state: one State type for the transaction manager (TM) and the branches, split into
// what survives a crash (Durable: the TM's global-transaction records, each branch's barrier
// table and wallets) and what does not (Volatile: the TM's progress through each phase).
//
// Sources: DTM's sub-transaction barrier (dtm.pub: the barrier table keyed by global id, branch
// and operation, written in the same local transaction as the business change); Seata's TCC
// fence table (seata.apache.org: one row per branch with status tried / committed / rollbacked /
// suspended). A branch's Barrier below is that row.
//
// Invariants: every container is a std::vector kept sorted ascending by its key (tx, account or
// node) with unique keys, so two equal states are equal element for element and hash alike. No
// pointers. A branch's business data and its barrier row change in one persist: a crash never
// separates a reservation from the row that records it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "protocols/common/sorted_vector.h"
#include "sim/assert.h"
#include "sim/types.h"

namespace txsim::tcc {

// The TM's durable record of one global transaction. Written before the first Try leaves, so
// a TM that crashes in phase one finds it and cancels; the decision is written before the first
// Confirm or Cancel leaves, so a TM that crashes in phase two finishes it.
enum class GlobalStatus : std::uint8_t { trying, confirming, cancelling, confirmed, cancelled };

struct GlobalTx {
  TxId tx = kNoTx;
  GlobalStatus status = GlobalStatus::trying;
  bool operator==(const GlobalTx&) const = default;
};

// A branch's barrier row for one tx: which operations have run here. The checks the options
// switch on read it (branch.cc); the row is written whatever the options say.
struct Barrier {
  TxId tx = kNoTx;
  bool tried = false;           // a Try reserved
  bool confirmed = false;       // a Confirm spent the reservation
  bool cancelled = false;       // a Cancel ran (released, or found nothing to release)
  bool null_cancelled = false;  // that Cancel found no Try: a null compensation
  bool operator==(const Barrier&) const = default;
};

// An account a branch owns. Available money is balance - frozen; pending is money promised to
// the account by a Try of the credit form, not spendable until its Confirm.
struct Wallet {
  AccountId account = kNoAccount;
  std::int64_t balance = 0;
  std::int64_t frozen = 0;
  std::int64_t pending = 0;
  bool operator==(const Wallet&) const = default;
};

// TM, phase one of tx: the branches whose Try succeeded so far.
struct Trying {
  TxId tx = kNoTx;
  std::vector<NodeId> ok;  // ascending
  bool operator==(const Trying&) const = default;
};

// TM, phase two: one branch that has not confirmed / cancelled yet, and its backoff step.
struct Outstanding {
  NodeId branch = kNoNode;
  std::uint8_t doublings = 0;  // the retry delay is retry_interval << doublings, capped
  bool operator==(const Outstanding&) const = default;
};

struct Finishing {
  TxId tx = kNoTx;
  std::vector<Outstanding> waiting;  // ascending by branch
  bool operator==(const Finishing&) const = default;
};

struct Durable {
  std::vector<GlobalTx> global;    // TM
  std::vector<Barrier> barriers;   // branch
  std::vector<Wallet> wallets;     // branch: the accounts it owns
  bool operator==(const Durable&) const = default;
};

struct Volatile {
  std::vector<Trying> trying;        // TM
  std::vector<Finishing> finishing;  // TM
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

inline TxId key_of(const GlobalTx& g) { return g.tx; }
inline TxId key_of(const Barrier& b) { return b.tx; }
inline TxId key_of(const Trying& t) { return t.tx; }
inline TxId key_of(const Finishing& f) { return f.tx; }
inline AccountId key_of(const Wallet& w) { return w.account; }
inline NodeId key_of(const Outstanding& o) { return o.branch; }

// The element with `e`'s key: the existing one, or `e` inserted in order.
template <class T>
T& find_or_insert(std::vector<T>& v, T e) {
  auto it = lower_bound_key(v, key_of(e));
  if (it != v.end() && key_of(*it) == key_of(e)) return *it;
  return *v.insert(it, std::move(e));
}

}  // namespace txsim::tcc
