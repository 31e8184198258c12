// Three-phase commit: construction from the scenario, the option schema, initial and restored
// states, the dispatch of events to the coordinator (coordinator.cc), participant
// (participant.cc) and termination (termination.cc) handlers, and the protocol-neutral hooks
// msg_class and timer_peers. Sources: see three_phase.h.
#include "protocols/three_phase/three_phase.h"

#include <algorithm>
#include <array>
#include <map>
#include <variant>

#include "sim/assert.h"

namespace txsim::three_phase {
namespace {

constexpr std::array<std::string_view, 9> kPhaseNames = {
    "working",    "uncertain",     "precommitted", "committed", "aborted",
    "collecting", "precommitting", "terminating",  "querying"};

// The net change of tx at `node`, one Delta per account, ascending by account.
std::vector<Delta> deltas_at(const Scenario& sc, const TxSpec& spec, NodeId node) {
  std::map<AccountId, std::int64_t> sums;
  for (const TransferSpec& t : spec.transfers) {
    if (t.at != node) continue;
    TXSIM_ASSERT(t.account < sc.accounts.size());
    TXSIM_ASSERT_MSG(sc.accounts[t.account].owner == node,
                     "transfer at a node that does not own the account");
    sums[t.account] += t.amount;
  }
  std::vector<Delta> out;
  for (const auto& [account, amount] : sums) out.push_back(Delta{account, amount});
  return out;
}

TxConfig tx_config_of(const Scenario& sc, const TxSpec& spec, NodeId coordinator) {
  TxConfig c{spec.name, spec.participants, 0, spec.vote_no, {}};
  TXSIM_ASSERT_MSG(!c.participants.empty(), "three_phase: a transaction without participants");
  TXSIM_ASSERT(std::is_sorted(c.participants.begin(), c.participants.end()));
  TXSIM_ASSERT(std::is_sorted(c.vote_no.begin(), c.vote_no.end()));
  for (NodeId p : c.participants) {
    TXSIM_ASSERT(p < sc.nodes.size() && p < 64);
    TXSIM_ASSERT_MSG(p != coordinator, "three_phase: the coordinator cannot be a participant");
    c.members |= node_bit(p);
    c.deltas.push_back(deltas_at(sc, spec, p));
  }
  return c;
}

}  // namespace

std::string ThreePhase::check_scenario(const Scenario& sc) {
  std::size_t coordinators = 0;
  for (const NodeSpec& n : sc.nodes) coordinators += n.role == Role::coordinator ? 1 : 0;
  if (coordinators != 1) {
    std::string out = "needs exactly one node with role coordinator, found ";
    out += std::to_string(coordinators);
    return out;
  }
  if (sc.transactions.size() >= kNoTx) return "too many transactions";
  for (const TxSpec& t : sc.transactions) {
    std::string prefix = "transaction ";
    prefix += t.name;
    if (t.participants.empty()) return prefix + " has no transfers";
    for (NodeId p : t.participants) {
      if (p >= sc.nodes.size() || sc.nodes[p].role == Role::coordinator) {
        return prefix + ": the coordinator cannot hold accounts";
      }
      if (p >= 64) return prefix + ": participants need node ids below 64";
    }
    for (const TransferSpec& tr : t.transfers) {
      if (tr.account >= sc.accounts.size() || sc.accounts[tr.account].owner != tr.at) {
        return prefix + ": a transfer is not at the account's owner";
      }
    }
  }
  return "";
}

OptionSchema ThreePhase::schema() {
  return {
      {"vote_timeout", OptionType::duration, "50ms",
       "The coordinator aborts a transaction if not every vote arrived within this time."},
      {"ack_timeout", OptionType::duration, "50ms",
       "The coordinator commits anyway if not every PreCommitAck arrived within this time."},
      {"decision_timeout", OptionType::duration, "100ms",
       "A participant that voted yes suspects the coordinator after this much silence."},
      {"termination_timeout", OptionType::duration, "40ms",
       "How long an elected leader, or a participant following one, waits for an answer."},
      {"random_no_vote", OptionType::boolean, "false",
       "Each participant's yes vote is also a choice, so the checker explores no votes."},
  };
}

std::span<const std::string_view> ThreePhase::phase_names() { return kPhaseNames; }

ThreePhase::ThreePhase(const Scenario& sc, const OptionValues& ov) {
  TXSIM_ASSERT_MSG(check_scenario(sc).empty(), "three_phase: scenario not checked");
  for (NodeId n = 0; n < sc.nodes.size(); ++n) {
    node_names_.push_back(sc.nodes[n].name);
    if (sc.nodes[n].role != Role::coordinator) continue;
    TXSIM_ASSERT_MSG(coordinator_ == kNoNode, "three_phase: more than one coordinator");
    coordinator_ = n;
  }
  TXSIM_ASSERT_MSG(coordinator_ != kNoNode, "three_phase: no coordinator");
  for (const AccountSpec& a : sc.accounts) {
    TXSIM_ASSERT(a.owner < sc.nodes.size());
    std::string label = sc.nodes[a.owner].name;
    label += '.';
    label += a.name;
    accounts_.push_back(AccountConfig{std::move(label), a.owner, a.initial});
  }
  for (const TxSpec& spec : sc.transactions) txs_.push_back(tx_config_of(sc, spec, coordinator_));
  opts_.vote_timeout = ov.get_duration("vote_timeout");
  opts_.ack_timeout = ov.get_duration("ack_timeout");
  opts_.decision_timeout = ov.get_duration("decision_timeout");
  opts_.termination_timeout = ov.get_duration("termination_timeout");
  opts_.random_no_vote = ov.get_bool("random_no_vote");
}

State ThreePhase::init(NodeId node) const {
  TXSIM_ASSERT(node < node_names_.size());
  State s;
  s.node = node;
  for (AccountId a = 0; a < accounts_.size(); ++a) {
    if (accounts_[a].owner == node) s.durable.balances.push_back(Balance{a, accounts_[a].initial});
  }
  return s;
}

State ThreePhase::restore(NodeId node, const Durable& disk) const {
  TXSIM_ASSERT(node < node_names_.size());
  return State{node, disk, Volatile{}};
}

void ThreePhase::on_message(State& s, Fx& fx, NodeId from, const Msg& msg) const {
  TXSIM_ASSERT(s.node == fx.self());
  std::visit([&](const auto& m) { handle(s, fx, from, m); }, msg);
}

void ThreePhase::on_timer(State& s, Fx& fx, TimerId timer) const {
  TXSIM_ASSERT(s.node == fx.self());
  const TxId tx = timer_tx(timer);
  switch (timer_kind(timer)) {
    case TimerKind::vote_timeout:
      return on_vote_timeout(s, fx, tx);
    case TimerKind::ack_timeout:
      return on_ack_timeout(s, fx, tx);
    case TimerKind::wait:
      return on_wait_timer(s, fx, tx);
    case TimerKind::collect:
      return on_collect_timer(s, fx, tx);
  }
  TXSIM_ASSERT_MSG(false, "three_phase: unknown timer kind");
}

void ThreePhase::on_recover(State& s, Fx& fx) const {
  TXSIM_ASSERT(s.node == fx.self());
  if (s.node == coordinator_) return recover_coordinator(s, fx);
  recover_participant(s, fx);
}

MsgClass ThreePhase::msg_class(const Msg& msg) const {
  static constexpr std::array<MsgClass, std::variant_size_v<Msg>> kClasses = {
      MsgClass::prepare,   // CanCommit
      MsgClass::vote,      // Vote
      MsgClass::decision,  // PreCommit
      MsgClass::ack,       // PreCommitAck
      MsgClass::decision,  // DoCommit
      MsgClass::ack,       // DoCommitAck
      MsgClass::decision,  // Abort
      MsgClass::consensus, // Elect
      MsgClass::query,     // StateReq
      MsgClass::query,     // StateReply
      MsgClass::query,     // Query
  };
  return kClasses[msg.index()];
}

// Each timer waits for specific nodes; under the checker's synchronous timing it may fire only
// once one of them is down or cut off. A timer whose wait is over is always cancelled, so the
// empty mask (never fires) only meets timers that are about to be cancelled anyway.
NodeMask ThreePhase::timer_peers(const State& s, TimerId timer) const {
  const TxId tx = timer_tx(timer);
  switch (timer_kind(timer)) {
    case TimerKind::vote_timeout:
    case TimerKind::ack_timeout: {
      const Round* r = find_key(s.vol.rounds, tx);
      return r == nullptr ? 0 : tx_config(tx).members & ~r->answered;
    }
    case TimerKind::wait: {
      const Follow* f = find_key(s.vol.follows, tx);
      return f == nullptr || f->lead != Lead::none ? 0 : node_bit(f->leader);
    }
    case TimerKind::collect: {
      const Follow* f = find_key(s.vol.follows, tx);
      return f == nullptr ? 0 : f->waiting;
    }
  }
  return 0;
}

const TxConfig& ThreePhase::tx_config(TxId tx) const {
  TXSIM_ASSERT(tx < txs_.size());
  return txs_[tx];
}

const std::vector<Delta>& ThreePhase::deltas_of(TxId tx, NodeId node) const {
  const TxConfig& c = tx_config(tx);
  auto it = std::lower_bound(c.participants.begin(), c.participants.end(), node);
  TXSIM_ASSERT_MSG(it != c.participants.end() && *it == node, "not a participant of tx");
  return c.deltas[static_cast<std::size_t>(it - c.participants.begin())];
}

void ThreePhase::observe_phase(Fx& fx, TxId tx, Phase phase) const {
  fx.observe(ObsKind::phase, tx, static_cast<std::int32_t>(phase));
}

}  // namespace txsim::three_phase
