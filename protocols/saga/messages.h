// Saga messages: the small values the orchestrator and the services exchange.
//
// Sources: H. Garcia-Molina and K. Salem, "Sagas", SIGMOD 1987 (a saga is a sequence of local
// transactions T1..Tn with compensations C1..Cn-1; a saga execution guarantees T1..Tn or
// T1..Tj Cj..C1); C. Richardson, "Microservices Patterns" (2018), ch. 4 (orchestration: a saga
// orchestrator sends command messages to the participants and reacts to their replies).
//
// Invariants: every message is about exactly one transaction (one saga instance) and, except
// the final notification and the status reply, one step of it; the type names are what
// scenario triggers and timelines use, so they must not change.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <variant>

#include "sim/types.h"

namespace txsim::saga {

struct Do {  // orchestrator -> service: run the step's local transaction (its action)
  TxId tx = kNoTx;
  std::uint16_t step = 0;
  bool operator==(const Do&) const = default;
};

struct DoReply {  // service -> orchestrator: the action committed (ok) or failed
  TxId tx = kNoTx;
  std::uint16_t step = 0;
  bool ok = true;
  bool operator==(const DoReply&) const = default;
};

struct Undo {  // orchestrator -> service: run the step's compensation
  TxId tx = kNoTx;
  std::uint16_t step = 0;
  bool operator==(const Undo&) const = default;
};

struct UndoReply {  // service -> orchestrator: compensated (ok), or the compensation failed
  TxId tx = kNoTx;
  std::uint16_t step = 0;
  bool ok = true;
  bool operator==(const UndoReply&) const = default;
};

struct Finished {  // orchestrator -> service: the saga completed; your step is final
  TxId tx = kNoTx;
  bool operator==(const Finished&) const = default;
};

struct FinishedAck {  // service -> orchestrator
  TxId tx = kNoTx;
  bool operator==(const FinishedAck&) const = default;
};

// The status query: a service whose step has run and that has waited `status_after` (a step
// option) without learning how the saga ended asks the orchestrator, which answers from its
// durable saga log. `status` is a SagaStatus (state.h) as a number: executing, compensating,
// done, failed, manual.
struct Status {  // service -> orchestrator: how is this saga doing?
  TxId tx = kNoTx;
  std::uint16_t step = 0;  // the asking service's step
  bool operator==(const Status&) const = default;
};

struct StatusReply {  // orchestrator -> service: the saga log's status of tx
  TxId tx = kNoTx;
  std::uint8_t status = 0;
  bool operator==(const StatusReply&) const = default;
};

using Msg = std::variant<Do, DoReply, Undo, UndoReply, Finished, FinishedAck, Status, StatusReply>;

inline constexpr std::array<std::string_view, std::variant_size_v<Msg>> kMsgNames = {
    "Do", "DoReply", "Undo", "UndoReply", "Finished", "FinishedAck", "Status", "StatusReply"};

inline TxId tx_of(const Msg& msg) {
  return std::visit([](const auto& m) { return m.tx; }, msg);
}

// The step a message is about (0 for Finished / FinishedAck).
inline std::uint16_t step_of(const Msg& msg) {
  if (const auto* m = std::get_if<Do>(&msg)) return m->step;
  if (const auto* m = std::get_if<DoReply>(&msg)) return m->step;
  if (const auto* m = std::get_if<Undo>(&msg)) return m->step;
  if (const auto* m = std::get_if<UndoReply>(&msg)) return m->step;
  if (const auto* m = std::get_if<Status>(&msg)) return m->step;
  return 0;
}

// The saga status a StatusReply carries (0 for every other message).
inline std::uint8_t status_of(const Msg& msg) {
  if (const auto* m = std::get_if<StatusReply>(&msg)) return m->status;
  return 0;
}

inline bool ok_of(const Msg& msg) {
  if (const auto* m = std::get_if<DoReply>(&msg)) return m->ok;
  if (const auto* m = std::get_if<UndoReply>(&msg)) return m->ok;
  return true;
}

// A 64-bit hash for the model checker (hash.cc).
std::uint64_t hash(const Msg& msg);

}  // namespace txsim::saga
