// Choreographed saga node state: every node is a service; there is no orchestrator.
//
// A service's Durable part is what a real service keeps in its database: its accounts, one
// record per saga instance of the step it runs there, its *view* of each saga (which steps it
// knows are done, failed, compensated: built only from the events it published and received),
// and its *outbox* (Richardson 2018, ch. 3): every event it published that a subscriber has not
// acknowledged yet, written in the same local transaction as the change it announces. The
// outbox is what makes delivery at-least-once: it is resent until acked, also after a crash.
// Nothing is volatile (the timers are re-armed on recovery from the durable part).
//
// Invariants: containers are std::vectors sorted ascending by key with unique keys, so equal
// states compare and hash alike; bit i of a view's masks is step i (at most kStepsMax steps).
#pragma once

#include <cstdint>
#include <vector>

#include "protocols/common/sorted_vector.h"
#include "protocols/saga/state.h"
#include "protocols/saga_choreography/messages.h"
#include "sim/types.h"

namespace txsim::choreo {

inline constexpr std::size_t kStepsMax = 32;

// What this service knows of one saga instance.
struct View {
  TxId tx = kNoTx;
  bool begun = false;
  bool finished = false;  // it learned every step is done (and observed the commit)
  std::uint32_t done = 0, failed = 0, compensated = 0;  // bit i: step i
  bool operator==(const View&) const = default;
};

// This service's step of one saga instance.
struct StepRecord {
  std::uint32_t key = 0;           // tx << 16 | step
  std::uint8_t applied = 0;        // times the action ran (> 1 only without idempotency)
  std::uint8_t compensated = 0;    // times the compensation ran
  std::uint8_t attempts = 0;       // attempts of the action
  std::uint8_t undo_attempts = 0;  // attempts of the compensation
  bool failed = false;             // the action failed for good
  bool cancelled = false;          // settled before its action ran (null or blind compensation)
  bool manual = false;             // the compensation kept failing: flagged for a human
  std::uint32_t trigger = 0;       // event_key of the event that ran the action (0: none)
  std::uint32_t undo_trigger = 0;  // event_key of the event that ran the compensation
  bool operator==(const StepRecord&) const = default;
};

// One delivery the outbox still owes: event (tx, step, what) to node `to`.
struct Outgoing {
  TxId tx = kNoTx;
  std::uint16_t step = 0;
  What what = What::begun;
  NodeId to = kNoNode;
  bool operator==(const Outgoing&) const = default;
};

using saga::Wallet;

struct Durable {
  std::vector<View> views;
  std::vector<StepRecord> records;
  std::vector<Outgoing> outbox;
  std::vector<Wallet> wallets;  // the accounts it owns
  bool operator==(const Durable&) const = default;
};

struct Volatile {
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
inline std::uint64_t outgoing_key(TxId tx, std::uint16_t step, What what, NodeId to) {
  return (std::uint64_t(tx) << 40) | (std::uint64_t(step) << 24) | (std::uint64_t(what) << 16) |
         to;
}

inline TxId key_of(const View& v) { return v.tx; }
inline std::uint32_t key_of(const StepRecord& r) { return r.key; }
inline std::uint64_t key_of(const Outgoing& o) { return outgoing_key(o.tx, o.step, o.what, o.to); }

template <class T>
T& find_or_insert(std::vector<T>& v, T e) {
  auto it = lower_bound_key(v, key_of(e));
  if (it != v.end() && key_of(*it) == key_of(e)) return *it;
  return *v.insert(it, std::move(e));
}

}  // namespace txsim::choreo
