// Two-phase commit: construction from the scenario, the option schema, initial and restored
// states, and the dispatch of events to the coordinator (coordinator.cc) and participant
// (participant.cc) handlers. Sources: see two_phase.h.
#include "protocols/two_phase/two_phase.h"

#include <algorithm>
#include <array>
#include <map>
#include <variant>

#include "sim/assert.h"

namespace txsim::two_phase {
namespace {

constexpr std::array<std::string_view, 5> kPhaseNames = {"working", "prepared", "committed",
                                                         "aborted", "collecting"};

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
  TxConfig c{spec.name, spec.participants, spec.vote_no, {}};
  TXSIM_ASSERT_MSG(!c.participants.empty(), "two_phase: a transaction without participants");
  TXSIM_ASSERT(std::is_sorted(c.participants.begin(), c.participants.end()));
  TXSIM_ASSERT(std::is_sorted(c.vote_no.begin(), c.vote_no.end()));
  for (NodeId p : c.participants) {
    TXSIM_ASSERT(p < sc.nodes.size());
    TXSIM_ASSERT_MSG(p != coordinator, "two_phase: the coordinator cannot be a participant");
    c.deltas.push_back(deltas_at(sc, spec, p));
  }
  return c;
}

}  // namespace

std::string TwoPhase::check_scenario(const Scenario& sc) {
  std::size_t coordinators = 0;
  for (const NodeSpec& n : sc.nodes) coordinators += n.role == Role::coordinator ? 1 : 0;
  if (coordinators != 1) {
    return "needs exactly one node with role coordinator, found " + std::to_string(coordinators);
  }
  if (sc.transactions.size() >= kNoTx) return "too many transactions";
  for (const TxSpec& t : sc.transactions) {
    if (t.participants.empty()) return "transaction " + t.name + " has no transfers";
    for (NodeId p : t.participants) {
      if (p >= sc.nodes.size() || sc.nodes[p].role == Role::coordinator) {
        return "transaction " + t.name + ": the coordinator cannot hold accounts";
      }
    }
    for (const TransferSpec& tr : t.transfers) {
      if (tr.account >= sc.accounts.size() || sc.accounts[tr.account].owner != tr.at) {
        return "transaction " + t.name + ": a transfer is not at the account's owner";
      }
    }
  }
  return "";
}

OptionSchema TwoPhase::schema() {
  return {
      {"prepare_timeout", OptionType::duration, "50ms",
       "The coordinator aborts a transaction if not every vote arrived within this time."},
      {"decision_retry", OptionType::duration, "20ms",
       "The coordinator resends Commit this often to participants that have not acknowledged."},
      {"query_interval", OptionType::duration, "30ms",
       "An in-doubt participant asks for the outcome this often."},
      {"cooperative_termination", OptionType::boolean, "false",
       "An in-doubt participant also asks the other participants (PeerQuery)."},
      {"log_before_send", OptionType::boolean, "true",
       "false is the broken variant: the coordinator sends Commit before it logs the decision."},
      {"random_no_vote", OptionType::boolean, "false",
       "Each participant's yes vote is also a choice, so the checker explores no votes."},
  };
}

std::span<const std::string_view> TwoPhase::phase_names() { return kPhaseNames; }

TwoPhase::TwoPhase(const Scenario& sc, const OptionValues& ov) {
  TXSIM_ASSERT_MSG(check_scenario(sc).empty(), "two_phase: scenario not checked");
  for (NodeId n = 0; n < sc.nodes.size(); ++n) {
    node_names_.push_back(sc.nodes[n].name);
    if (sc.nodes[n].role != Role::coordinator) continue;
    TXSIM_ASSERT_MSG(coordinator_ == kNoNode, "two_phase: more than one coordinator");
    coordinator_ = n;
  }
  TXSIM_ASSERT_MSG(coordinator_ != kNoNode, "two_phase: no coordinator");
  for (const AccountSpec& a : sc.accounts) {
    TXSIM_ASSERT(a.owner < sc.nodes.size());
    accounts_.push_back(AccountConfig{sc.nodes[a.owner].name + "." + a.name, a.owner, a.initial});
  }
  for (const TxSpec& spec : sc.transactions) txs_.push_back(tx_config_of(sc, spec, coordinator_));
  TXSIM_ASSERT(txs_.size() < kNoTx);
  opts_.prepare_timeout = ov.get_duration("prepare_timeout");
  opts_.decision_retry = ov.get_duration("decision_retry");
  opts_.query_interval = ov.get_duration("query_interval");
  opts_.cooperative_termination = ov.get_bool("cooperative_termination");
  opts_.log_before_send = ov.get_bool("log_before_send");
  opts_.random_no_vote = ov.get_bool("random_no_vote");
}

State TwoPhase::init(NodeId node) const {
  TXSIM_ASSERT(node < node_names_.size());
  State s;
  s.node = node;
  for (AccountId a = 0; a < accounts_.size(); ++a) {
    if (accounts_[a].owner == node) s.durable.balances.push_back(Balance{a, accounts_[a].initial});
  }
  return s;
}

State TwoPhase::restore(NodeId node, const Durable& disk) const {
  TXSIM_ASSERT(node < node_names_.size());
  return State{node, disk, Volatile{}};
}

void TwoPhase::on_message(State& s, Fx& fx, NodeId from, const Msg& msg) const {
  TXSIM_ASSERT(s.node == fx.self());
  std::visit([&](const auto& m) { handle(s, fx, from, m); }, msg);
}

void TwoPhase::on_timer(State& s, Fx& fx, TimerId timer) const {
  TXSIM_ASSERT(s.node == fx.self());
  const TxId tx = timer_tx(timer);
  switch (timer_kind(timer)) {
    case TimerKind::prepare_timeout:
      return on_prepare_timeout(s, fx, tx);
    case TimerKind::retry:
      return on_retry(s, fx, tx);
    case TimerKind::query:
      return on_query_timer(s, fx, tx);
  }
  TXSIM_ASSERT_MSG(false, "two_phase: unknown timer kind");
}

void TwoPhase::on_recover(State& s, Fx& fx) const {
  TXSIM_ASSERT(s.node == fx.self());
  if (s.node == coordinator_) recover_coordinator(s, fx);
  recover_participant(s, fx);
}

const TxConfig& TwoPhase::tx_config(TxId tx) const {
  TXSIM_ASSERT(tx < txs_.size());
  return txs_[tx];
}

const std::vector<Delta>& TwoPhase::deltas_of(TxId tx, NodeId node) const {
  const TxConfig& c = tx_config(tx);
  auto it = std::lower_bound(c.participants.begin(), c.participants.end(), node);
  TXSIM_ASSERT_MSG(it != c.participants.end() && *it == node, "not a participant of tx");
  return c.deltas[static_cast<std::size_t>(it - c.participants.begin())];
}

void TwoPhase::observe_phase(Fx& fx, TxId tx, Phase phase) const {
  fx.observe(ObsKind::phase, tx, static_cast<std::int32_t>(phase));
}

}  // namespace txsim::two_phase
