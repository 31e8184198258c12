// Paxos Commit, printing: message details, timer names and node states as JSON for traces,
// timelines and the GUI. Names (of nodes, accounts, transactions) replace ids wherever the
// protocol knows them; instance slots are printed under their RM's name; keys always come in
// the same order, so the same state prints as the same bytes. Sources: see paxos_commit.h.
#include <string>
#include <variant>

#include "protocols/paxos_commit/paxos_commit.h"
#include "protocols/common/json_parts.h"
#include "sim/json.h"

namespace txsim::paxos_commit {
namespace {
std::string_view value_name(Value v) {
  switch (v) {
    case Value::none:
      return "none";
    case Value::prepared:
      return "prepared";
    case Value::aborted:
      return "aborted";
  }
  return "?";
}

std::string_view status_name(RmStatus s) {
  switch (s) {
    case RmStatus::prepared:
      return "prepared";
    case RmStatus::committed:
      return "committed";
    case RmStatus::aborted:
      return "aborted";
  }
  return "?";
}

std::string_view decision_name(Decision d) {
  switch (d) {
    case Decision::none:
      return "none";
    case Decision::commit:
      return "commit";
    case Decision::abort:
      return "abort";
  }
  return "?";
}

std::string_view stage_name(Stage s) {
  switch (s) {
    case Stage::learning:
      return "learning";
    case Stage::phase1:
      return "phase1";
    case Stage::phase2:
      return "phase2";
  }
  return "?";
}

std::string accepted_json(const Accepted& a) {
  std::string out = "[";
  out += std::to_string(a.bal);
  out += ',';
  out += quoted(value_name(a.val));
  out += ']';
  return out;
}

}  // namespace

std::string PaxosCommit::describe(const Msg& msg) const {
  const TxId tx = tx_of(msg);
  const std::vector<NodeId>* rms = tx < txs_.size() ? &txs_[tx].rms : nullptr;
  auto slots = [&](auto&& one) {
    std::string out;
    for (std::size_t i = 0; rms != nullptr && i < rms->size(); ++i) one(out, (*rms)[i], i);
    return braced(out);
  };
  std::string out;
  std::visit(
      [&](const auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Phase1a>) {
          member(out, "ballot", std::to_string(m.ballot));
        } else if constexpr (std::is_same_v<T, Phase1b>) {
          member(out, "ballot", std::to_string(m.ballot));
          member(out, "accepted", slots([&](std::string& o, NodeId rm, std::size_t i) {
                   if (m.accepted[i].val != Value::none) {
                     member(o, node_names_[rm], accepted_json(m.accepted[i]));
                   }
                 }));
        } else if constexpr (std::is_same_v<T, Phase2a> || std::is_same_v<T, Phase2b>) {
          member(out, "ballot", std::to_string(m.ballot));
          member(out, "values", slots([&](std::string& o, NodeId rm, std::size_t i) {
                   if (m.values[i] != Value::none) {
                     member(o, node_names_[rm], quoted(value_name(m.values[i])));
                   }
                 }));
        }
      },
      msg);
  return braced(out);
}

std::string PaxosCommit::timer_name(TimerId timer) const {
  const TxId tx = timer_tx(timer);
  std::string name = timer_kind(timer) == TimerKind::leader ? "leader-timeout " : "rm-timeout ";
  if (tx < txs_.size()) {
    name += txs_[tx].name;
  } else {
    name += '#';
    name += std::to_string(tx);
  }
  return name;
}

std::string PaxosCommit::describe_state(const State& s) const {
  std::string durable;
  std::string vol;
  const Role role = s.node < roles_.size() ? roles_[s.node] : Role::participant;
  if (role == Role::participant) describe_rm(s, durable, vol);
  if (role == Role::acceptor) describe_acceptor(s, durable);
  if (role == Role::coordinator || !s.durable.leader.empty()) describe_leader(s, durable, vol);
  std::string out = "{\"durable\":{";
  out += durable;
  out += "},\"volatile\":{";
  out += vol;
  out += "}}";
  return out;
}

void PaxosCommit::describe_rm(const State& s, std::string& durable, std::string& vol) const {
  std::string log;
  for (const RmRecord& r : s.durable.log) {
    std::string deltas;
    for (const Delta& d : record_deltas(r, s.node)) {
      member(deltas, accounts_[d.account].label, std::to_string(d.amount));
    }
    std::string rec;
    member(rec, "tx", tx_json(r.tx));
    member(rec, "status", quoted(status_name(r.status)));
    member(rec, "deltas", braced(deltas));
    if (!log.empty()) log += ',';
    log += braced(rec);
  }
  member(durable, "log", bracketed(log));
  std::string balances;
  for (const Balance& b : s.durable.balances) {
    member(balances, accounts_[b.account].label, std::to_string(b.amount));
  }
  member(durable, "balances", braced(balances));
  std::string locks;
  for (const Lock& l : s.vol.locks) member(locks, accounts_[l.account].label, tx_json(l.tx));
  member(vol, "locks", braced(locks));
}

void PaxosCommit::describe_acceptor(const State& s, std::string& durable) const {
  std::string list;
  for (const AcceptorRecord& r : s.durable.acceptor) {
    std::string accepted;
    const std::vector<NodeId>& rms = tx_config(r.tx).rms;
    for (std::size_t i = 0; i < rms.size(); ++i) {
      if (r.accepted[i].val != Value::none) {
        member(accepted, node_names_[rms[i]], accepted_json(r.accepted[i]));
      }
    }
    std::string rec;
    member(rec, "tx", tx_json(r.tx));
    member(rec, "promised", std::to_string(r.promised));
    member(rec, "accepted", braced(accepted));
    if (!list.empty()) list += ',';
    list += braced(rec);
  }
  member(durable, "instances", bracketed(list));
}

void PaxosCommit::describe_leader(const State& s, std::string& durable, std::string& vol) const {
  std::string log;
  for (const LeaderRecord& r : s.durable.leader) {
    std::string rec;
    member(rec, "tx", tx_json(r.tx));
    member(rec, "round", std::to_string(r.round));
    member(rec, "decision", quoted(decision_name(r.decision)));
    if (!log.empty()) log += ',';
    log += braced(rec);
  }
  member(durable, "leader", bracketed(log));
  std::string leading;
  for (const Leading& l : s.vol.leading) {
    std::string chosen;
    const std::vector<NodeId>& rms = tx_config(l.tx).rms;
    for (std::size_t i = 0; i < rms.size(); ++i) {
      member(chosen, node_names_[rms[i]], quoted(value_name(l.chosen[i])));
    }
    std::string rec;
    member(rec, "tx", tx_json(l.tx));
    member(rec, "stage", quoted(stage_name(l.stage)));
    member(rec, "ballot", std::to_string(l.ballot));
    member(rec, "promises", std::to_string(count_of(l.promised)));
    member(rec, "chosen", braced(chosen));
    if (!leading.empty()) leading += ',';
    leading += braced(rec);
  }
  member(vol, "leading", bracketed(leading));
}

std::string PaxosCommit::tx_json(TxId tx) const {
  return tx < txs_.size() ? quoted(txs_[tx].name) : std::to_string(tx);
}

}  // namespace txsim::paxos_commit
