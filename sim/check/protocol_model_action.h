// WorldStep: what one transition of ProtocolModel<P> does, and how it fits in a model-neutral
// Action (sim/check/model.h: kind plus three operands), so a counterexample can be printed and
// replayed.
//
// Encoding (Action.kind = StepKind):
//   submit     a = tx                       run the target's on_request
//   deliver    a = index in World::inflight run the receiver's on_message (or lose the message)
//   fire       a = node, b = timer id       run on_timer
//   recover    a = node                     restore from disk, run on_recover
//   crash      a = node                     a plain crash, between handlers
//   drop       a = index in World::inflight
//   duplicate  a = index in World::inflight
//   partition  a = index in the model's partition list
//   heal
// For the four handler steps, c packs which choice sequence the handler took (low 16 bits, in
// the order ProtocolModel enumerates them) and, in the high 16 bits, 1 + the number of effects
// applied before the node crashed in the middle of the handler (0: no crash).
#pragma once

#include <cstdint>

#include "sim/assert.h"
#include "sim/check/model.h"

namespace txsim::check {

enum class StepKind : std::uint32_t {
  submit = 1,
  deliver,
  fire,
  recover,
  crash,
  drop,
  duplicate,
  partition,
  heal,
};

struct WorldStep {
  StepKind kind = StepKind::heal;
  std::uint32_t a = 0;
  std::uint32_t b = 0;
  std::uint32_t choice = 0;       // handler steps: index of the choice sequence
  std::int32_t crash_after = -1;  // handler steps: effects applied before a crash; -1: none

  static constexpr std::uint32_t kChoicesMax = 0xFFFF;
  static constexpr std::int32_t kCutMax = 0xFFFE;

  Action pack() const {
    TXSIM_ASSERT(choice <= kChoicesMax && crash_after >= -1 && crash_after <= kCutMax);
    return Action{static_cast<std::uint32_t>(kind), a, b,
                  choice | (static_cast<std::uint32_t>(crash_after + 1) << 16)};
  }
  static WorldStep unpack(const Action& act) {
    TXSIM_ASSERT(act.kind >= std::uint32_t(StepKind::submit) &&
                 act.kind <= std::uint32_t(StepKind::heal));
    return WorldStep{static_cast<StepKind>(act.kind), act.a, act.b, act.c & 0xFFFF,
                     static_cast<std::int32_t>(act.c >> 16) - 1};
  }
  bool runs_handler() const {
    return kind == StepKind::submit || kind == StepKind::deliver || kind == StepKind::fire ||
           kind == StepKind::recover;
  }
  // Counts against the fault budget or is a fault's undoing (recover, heal): the blocking
  // check follows only the other steps.
  bool is_fault() const {
    return crash_after >= 0 || kind == StepKind::recover || kind == StepKind::crash ||
           kind == StepKind::drop || kind == StepKind::duplicate || kind == StepKind::partition ||
           kind == StepKind::heal;
  }
};

}  // namespace txsim::check
