// Saga node state: one State type for the orchestrator and the services.
//
// The orchestrator's Durable part is the saga log (Garcia-Molina and Salem 1987, section 5:
// the saga execution component logs each step's start and end so that after a crash it can
// continue forward or run the compensations): per saga instance its status and per step its
// progress and failure count. A service's Durable part is its accounts and one record per
// (saga, step) saying what has run there, which is what makes its handlers idempotent.
//
// Invariants: containers are std::vectors sorted ascending by key with unique keys, so equal
// states compare and hash alike; no pointers; a service changes its accounts and the record
// that says so in one persist.
#pragma once

#include <algorithm>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "protocols/common/sorted_vector.h"
#include "sim/assert.h"
#include "sim/types.h"

namespace txsim::saga {

// executing: steps run forward; compensating: a step failed, completed steps are being undone;
// done: every step completed; failed: every completed step was compensated; manual: a
// compensation kept failing (or could not exist) and the saga is flagged for a human.
enum class SagaStatus : std::uint8_t { executing, compensating, done, failed, manual };

// A step's progress as the orchestrator logs it. `running` is written before Do leaves, so a
// recovering orchestrator knows the step may have applied.
enum class StepState : std::uint8_t {
  pending, running, done, failed, compensating, compensated
};

struct StepLog {
  StepState state = StepState::pending;
  std::uint8_t failures = 0;  // failed attempts of a retriable step, or of its compensation
  bool operator==(const StepLog&) const = default;
};

struct SagaLog {
  TxId tx = kNoTx;
  SagaStatus status = SagaStatus::executing;
  std::vector<StepLog> steps;  // indexed like the saga's steps
  bool operator==(const SagaLog&) const = default;
};

// A service's record of one step of one saga instance.
struct StepRecord {
  std::uint32_t key = 0;           // tx << 16 | step
  std::uint8_t applied = 0;        // times the action ran (> 1 only without idempotency)
  std::uint8_t compensated = 0;    // times the compensation ran
  std::uint8_t attempts = 0;       // attempts of the action (scripted failures count them)
  std::uint8_t undo_attempts = 0;  // attempts of the compensation
  bool failed = false;             // the last attempt of the action failed
  bool cancelled = false;          // compensated before its action ran (a null compensation)
  std::uint8_t status_seen = 0;    // 0, or 1 + the SagaStatus the orchestrator last reported
  std::vector<std::int64_t> before;  // `compensation: restore`: balances before the action
  bool operator==(const StepRecord&) const = default;
};

struct Wallet {
  AccountId account = kNoAccount;
  std::int64_t balance = 0;
  bool operator==(const Wallet&) const = default;
};

// Orchestrator, volatile: services still to acknowledge a finished saga.
struct Notifying {
  TxId tx = kNoTx;
  std::vector<NodeId> waiting;  // ascending
  bool operator==(const Notifying&) const = default;
};

struct Durable {
  std::vector<SagaLog> logs;        // orchestrator
  std::vector<StepRecord> records;  // service
  std::vector<Wallet> wallets;      // service: the accounts it owns
  bool operator==(const Durable&) const = default;
};

struct Volatile {
  std::vector<Notifying> notifying;  // orchestrator
  bool operator==(const Volatile&) const = default;
};

struct State {
  NodeId node = kNoNode;
  Durable durable;
  Volatile vol;
  bool operator==(const State&) const = default;
};

std::uint64_t hash(const Durable& durable);
std::uint64_t hash(const State& state);

inline std::uint32_t record_key(TxId tx, std::uint16_t step) {
  return (std::uint32_t(tx) << 16) | step;
}

// --- sorted-vector helpers: binary search by key, insert keeping order ---

inline TxId key_of(const SagaLog& l) { return l.tx; }
inline TxId key_of(const Notifying& n) { return n.tx; }
inline std::uint32_t key_of(const StepRecord& r) { return r.key; }
inline AccountId key_of(const Wallet& w) { return w.account; }

template <class T>
T& find_or_insert(std::vector<T>& v, T e) {
  auto it = lower_bound_key(v, key_of(e));
  if (it != v.end() && key_of(*it) == key_of(e)) return *it;
  return *v.insert(it, std::move(e));
}

}  // namespace txsim::saga
