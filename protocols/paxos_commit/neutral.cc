// Paxos Commit in protocol-neutral terms (sim/protocol.h): what each message is for, so
// side-by-side scenarios can say "the first decision-phase message", and which nodes each
// timer waits on, for the checker's synchronous timing model. Sources: see paxos_commit.h.
#include <type_traits>
#include <variant>

#include "protocols/paxos_commit/paxos_commit.h"

namespace txsim::paxos_commit {

// An RM's phase 2a in ballot 0 is its vote; the same message type in a higher ballot, and
// every other phase message, is a leader's consensus traffic.
MsgClass PaxosCommit::msg_class(const Msg& msg) const {
  return std::visit(
      [](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Prepare>) return MsgClass::prepare;
        if constexpr (std::is_same_v<T, Phase2a>) {
          return m.ballot == 0 ? MsgClass::vote : MsgClass::consensus;
        }
        if constexpr (std::is_same_v<T, Commit> || std::is_same_v<T, Abort>) {
          return MsgClass::decision;
        }
        if constexpr (std::is_same_v<T, Query>) return MsgClass::query;
        return MsgClass::consensus;  // Phase1a, Phase1b, Phase2b
      },
      msg);
}

// The initial leader's timer waits on the acceptors (their phase 2b) and the RMs (their
// votes). An RM's timer waits on the initial leader, and on the acceptors while the RM itself
// runs a ballot.
NodeMask PaxosCommit::timer_peers(const State& s, TimerId timer) const {
  const TxId tx = timer_tx(timer);
  NodeMask acceptors = 0;
  for (NodeId a : acceptors_) acceptors |= node_bit(a);
  if (timer_kind(timer) == TimerKind::rm) {
    const Leading* l = find_key(s.vol.leading, tx);
    const bool running = l != nullptr && l->stage != Stage::learning;
    return node_bit(coordinator_) | (running ? acceptors : 0);
  }
  NodeMask mask = acceptors;
  if (tx < txs_.size()) {
    for (NodeId rm : txs_[tx].rms) mask |= node_bit(rm);
  }
  return mask;
}

}  // namespace txsim::paxos_commit
