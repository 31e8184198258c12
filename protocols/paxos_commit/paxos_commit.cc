// Paxos Commit: construction from the scenario, the option schema, initial and restored
// states, and the dispatch of events to the RM (rm.cc), acceptor (acceptor.cc) and leader
// (leader.cc) handlers. Sources: see paxos_commit.h.
#include "protocols/paxos_commit/paxos_commit.h"

#include <algorithm>
#include <array>
#include <map>
#include <variant>

#include "sim/assert.h"

namespace txsim::paxos_commit {
namespace {

constexpr std::array<std::string_view, 8> kPhaseNames = {
    "working", "prepared", "committed", "aborted", "collecting", "takeover", "promised",
    "accepted"};

constexpr std::size_t kNodesMax = 64;  // ballots and timer masks stay small

// The net change of tx at `node`, one Delta per account, ascending by account.
std::vector<Delta> deltas_at(const TxSpec& spec, NodeId node) {
  std::map<AccountId, std::int64_t> sums;
  for (const TransferSpec& t : spec.transfers) {
    if (t.at == node) sums[t.account] += t.amount;
  }
  std::vector<Delta> out;
  for (const auto& [account, amount] : sums) out.push_back(Delta{account, amount});
  return out;
}

std::string check_tx(const Scenario& sc, const TxSpec& t) {
  std::string where = "transaction ";
  where += t.name;
  if (t.participants.empty()) return where + " has no transfers";
  if (t.participants.size() > kInstancesMax) {
    return where + " has more than " + std::to_string(kInstancesMax) + " participants";
  }
  for (NodeId p : t.participants) {
    if (p >= sc.nodes.size() || sc.nodes[p].role != Role::participant) {
      return where + ": only participants (RMs) may hold accounts";
    }
  }
  for (const TransferSpec& tr : t.transfers) {
    if (tr.account >= sc.accounts.size() || sc.accounts[tr.account].owner != tr.at) {
      return where + ": a transfer is not at the account's owner";
    }
  }
  return "";
}

}  // namespace

std::string PaxosCommit::check_scenario(const Scenario& sc) {
  std::size_t coordinators = 0;
  std::size_t acceptors = 0;
  for (const NodeSpec& n : sc.nodes) {
    coordinators += n.role == Role::coordinator ? 1 : 0;
    acceptors += n.role == Role::acceptor ? 1 : 0;
  }
  std::string why;
  if (coordinators != 1) {
    why = "needs exactly one coordinator (the initial leader), found ";
    why += std::to_string(coordinators);
    return why;
  }
  if (acceptors % 2 == 0 || acceptors > kAcceptorsMax) {
    why = "needs an odd number 2F+1 of acceptors (1 to ";
    why += std::to_string(kAcceptorsMax);
    why += "), found ";
    why += std::to_string(acceptors);
    return why;
  }
  if (sc.nodes.size() > kNodesMax) return "too many nodes (at most 64)";
  if (sc.transactions.size() >= kNoTx) return "too many transactions";
  for (const TxSpec& t : sc.transactions) {
    why = check_tx(sc, t);
    if (!why.empty()) return why;
  }
  return "";
}

OptionSchema PaxosCommit::schema() {
  return {
      {"leader_timeout", OptionType::duration, "50ms",
       "The leader takes over a transaction (phase 1a, higher ballot) that is not decided "
       "within this time, and again after each further timeout."},
      {"rm_timeout", OptionType::duration, "80ms",
       "An RM that voted Prepared and has not learned the outcome acts this often: it takes "
       "over (rm_takeover) while it has rounds left, else it asks the others for the outcome."},
      {"rm_takeover", OptionType::boolean, "true",
       "An in-doubt RM whose timer fires becomes a leader candidate with ballots of its own."},
      {"max_round", OptionType::integer, "10",
       "Each leader candidate starts at most this many higher-ballot rounds per transaction "
       "(bounds the ballots, so the checker's space is finite)."},
      {"random_no_vote", OptionType::boolean, "false",
       "Each RM's Prepared vote is also a choice, so the checker explores Aborted votes."},
  };
}

std::span<const std::string_view> PaxosCommit::phase_names() { return kPhaseNames; }

PaxosCommit::PaxosCommit(const Scenario& sc, const OptionValues& ov) {
  TXSIM_ASSERT_MSG(check_scenario(sc).empty(), "paxos_commit: scenario not checked");
  for (NodeId n = 0; n < sc.nodes.size(); ++n) {
    node_names_.push_back(sc.nodes[n].name);
    roles_.push_back(sc.nodes[n].role);
    if (sc.nodes[n].role == Role::coordinator) coordinator_ = n;
    if (sc.nodes[n].role == Role::acceptor) acceptors_.push_back(n);
  }
  for (const AccountSpec& a : sc.accounts) {
    std::string label = sc.nodes[a.owner].name;
    label += '.';
    label += a.name;
    accounts_.push_back(AccountConfig{label, a.owner, a.initial});
  }
  for (const TxSpec& spec : sc.transactions) {
    TxConfig c{spec.name, spec.participants, spec.vote_no, {}};
    for (NodeId p : c.rms) c.deltas.push_back(deltas_at(spec, p));
    txs_.push_back(std::move(c));
  }
  opts_.leader_timeout = ov.get_duration("leader_timeout");
  opts_.rm_timeout = ov.get_duration("rm_timeout");
  opts_.rm_takeover = ov.get_bool("rm_takeover");
  const std::int64_t rounds = ov.get_int("max_round");
  opts_.max_round = static_cast<std::uint16_t>(std::clamp<std::int64_t>(rounds, 0, 1000));
  opts_.random_no_vote = ov.get_bool("random_no_vote");
}

State PaxosCommit::init(NodeId node) const {
  TXSIM_ASSERT(node < node_names_.size());
  State s;
  s.node = node;
  for (AccountId a = 0; a < accounts_.size(); ++a) {
    if (accounts_[a].owner == node) s.durable.balances.push_back(Balance{a, accounts_[a].initial});
  }
  return s;
}

State PaxosCommit::restore(NodeId node, const Durable& disk) const {
  TXSIM_ASSERT(node < node_names_.size());
  return State{node, disk, Volatile{}};
}

void PaxosCommit::on_message(State& s, Fx& fx, NodeId from, const Msg& msg) const {
  TXSIM_ASSERT(s.node == fx.self());
  std::visit([&](const auto& m) { handle(s, fx, from, m); }, msg);
}

void PaxosCommit::on_timer(State& s, Fx& fx, TimerId timer) const {
  TXSIM_ASSERT(s.node == fx.self());
  const TxId tx = timer_tx(timer);
  switch (timer_kind(timer)) {
    case TimerKind::leader:
      return on_leader_timer(s, fx, tx);
    case TimerKind::rm:
      return on_rm_timer(s, fx, tx);
  }
  TXSIM_ASSERT_MSG(false, "paxos_commit: unknown timer kind");
}

// Acceptors keep nothing volatile: their promises are all on disk already.
void PaxosCommit::on_recover(State& s, Fx& fx) const {
  TXSIM_ASSERT(s.node == fx.self());
  recover_rm(s, fx);
  recover_leader(s, fx);
}

NodeId PaxosCommit::ballot_owner(Ballot ballot) const {
  if (ballot == 0) return coordinator_;
  return static_cast<NodeId>(ballot % node_names_.size());
}

Ballot PaxosCommit::ballot_of(std::uint16_t round, NodeId node) const {
  TXSIM_ASSERT(round >= 1 && node < node_names_.size());
  const std::size_t b = std::size_t{round} * node_names_.size() + node;
  TXSIM_ASSERT(b <= 0xFFFF);
  return static_cast<Ballot>(b);
}

const TxConfig& PaxosCommit::tx_config(TxId tx) const {
  TXSIM_ASSERT(tx < txs_.size());
  return txs_[tx];
}

bool PaxosCommit::is_rm_of(TxId tx, NodeId node) const {
  const std::vector<NodeId>& rms = tx_config(tx).rms;
  return std::binary_search(rms.begin(), rms.end(), node);
}

std::size_t PaxosCommit::instance_of(TxId tx, NodeId rm) const {
  const std::vector<NodeId>& rms = tx_config(tx).rms;
  auto it = std::lower_bound(rms.begin(), rms.end(), rm);
  TXSIM_ASSERT_MSG(it != rms.end() && *it == rm, "paxos_commit: not an RM of tx");
  return static_cast<std::size_t>(it - rms.begin());
}

const std::vector<Delta>& PaxosCommit::record_deltas(const RmRecord& r, NodeId node) const {
  static const std::vector<Delta> kNone;
  return r.voted_yes ? tx_config(r.tx).deltas[instance_of(r.tx, node)] : kNone;
}

void PaxosCommit::observe_phase(Fx& fx, TxId tx, Phase phase) const {
  fx.observe(ObsKind::phase, tx, static_cast<std::int32_t>(phase));
}

}  // namespace txsim::paxos_commit
