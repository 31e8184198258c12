// Two-phase commit in protocol-neutral terms (sim/protocol.h): what each message is for, so
// side-by-side scenarios can say "the first decision-phase message", and which nodes each
// timer waits on, for the checker's synchronous timing model.
#include <type_traits>
#include <variant>

#include "protocols/two_phase/two_phase.h"

namespace txsim::two_phase {

MsgClass TwoPhase::msg_class(const Msg& msg) const {
  return std::visit(
      [](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Prepare>) return MsgClass::prepare;
        if constexpr (std::is_same_v<T, Vote>) return MsgClass::vote;
        if constexpr (std::is_same_v<T, Commit> || std::is_same_v<T, Abort>)
          return MsgClass::decision;
        if constexpr (std::is_same_v<T, Ack>) return MsgClass::ack;
        return MsgClass::query;  // Query, PeerQuery, PeerReply
      },
      msg);
}

// The coordinator's timers wait on the transaction's participants (their votes, their acks);
// a participant's query timer waits on the coordinator, the only node sure to know the outcome.
NodeMask TwoPhase::timer_peers(const State&, TimerId timer) const {
  const TxId tx = timer_tx(timer);
  if (timer_kind(timer) == TimerKind::query) return node_bit(coordinator_);
  NodeMask mask = 0;
  if (tx < txs_.size()) {
    for (NodeId p : txs_[tx].participants) mask |= node_bit(p);
  }
  return mask;
}

}  // namespace txsim::two_phase
