// Two-phase commit, printing: message details, timer names and node states as JSON for traces,
// timelines and the GUI. Names (of nodes, accounts, transactions) replace ids wherever the
// protocol knows them, and keys always come in the same order, so the same state prints as the
// same bytes. Sources: see two_phase.h.
#include <string>
#include <variant>

#include "protocols/two_phase/two_phase.h"
#include "protocols/common/json_parts.h"
#include "sim/json.h"

namespace txsim::two_phase {
namespace {
std::string_view outcome_name(PeerOutcome o) {
  switch (o) {
    case PeerOutcome::commit:
      return "commit";
    case PeerOutcome::abort:
      return "abort";
    case PeerOutcome::unknown:
      return "unknown";
  }
  return "?";
}

std::string_view status_name(TxStatus s) {
  switch (s) {
    case TxStatus::prepared:
      return "prepared";
    case TxStatus::committed:
      return "committed";
    case TxStatus::aborted:
      return "aborted";
  }
  return "?";
}

}  // namespace

std::string TwoPhase::describe(const Msg& msg) const {
  if (const auto* v = std::get_if<Vote>(&msg)) return v->yes ? "{\"yes\":true}" : "{\"yes\":false}";
  if (const auto* r = std::get_if<PeerReply>(&msg)) {
    return "{\"outcome\":" + quoted(outcome_name(r->outcome)) + "}";
  }
  return "{}";
}

std::string TwoPhase::timer_name(TimerId timer) const {
  const TxId tx = timer_tx(timer);
  const std::string tx_name = tx < txs_.size() ? txs_[tx].name : "#" + std::to_string(tx);
  switch (timer_kind(timer)) {
    case TimerKind::prepare_timeout:
      return "prepare-timeout " + tx_name;
    case TimerKind::retry:
      return "retry " + tx_name;
    case TimerKind::query:
      return "query " + tx_name;
  }
  return "timer " + std::to_string(timer);
}

std::string TwoPhase::describe_state(const State& s) const {
  std::string durable;
  std::string vol;
  const bool coordinator = s.node == coordinator_;
  if (coordinator) describe_coordinator(s, durable, vol);
  if (!coordinator || !s.durable.log.empty() || !s.durable.balances.empty()) {
    describe_participant(s, durable, vol);
  }
  return "{\"durable\":{" + durable + "},\"volatile\":{" + vol + "}}";
}

void TwoPhase::describe_coordinator(const State& s, std::string& durable, std::string& vol) const {
  std::string log;
  for (TxId tx : s.durable.commit_log) log += (log.empty() ? "" : ",") + tx_json(tx);
  member(durable, "commit_log", "[" + log + "]");
  std::string collecting;
  for (const Collecting& c : s.vol.collecting) {
    if (!collecting.empty()) collecting += ',';
    collecting += "{\"tx\":" + tx_json(c.tx) + ",\"yes\":" + nodes_json(c.yes) + "}";
  }
  member(vol, "collecting", "[" + collecting + "]");
  std::string acking;
  for (const Acking& a : s.vol.acking) {
    if (!acking.empty()) acking += ',';
    acking += "{\"tx\":" + tx_json(a.tx) + ",\"acked\":" + nodes_json(a.acked) + "}";
  }
  member(vol, "acking", "[" + acking + "]");
}

void TwoPhase::describe_participant(const State& s, std::string& durable, std::string& vol) const {
  std::string log;
  for (const LogRecord& r : s.durable.log) {
    std::string deltas;
    for (const Delta& d : record_deltas(r, s.node))
      member(deltas, accounts_[d.account].label, std::to_string(d.amount));
    if (!log.empty()) log += ',';
    log += "{\"tx\":" + tx_json(r.tx) + ",\"status\":" + quoted(status_name(r.status)) +
           ",\"deltas\":{" + deltas + "}}";
  }
  member(durable, "log", "[" + log + "]");
  std::string balances;
  for (const Balance& b : s.durable.balances) {
    member(balances, accounts_[b.account].label, std::to_string(b.amount));
  }
  member(durable, "balances", "{" + balances + "}");
  std::string locks;
  for (const Lock& l : s.vol.locks) member(locks, accounts_[l.account].label, tx_json(l.tx));
  member(vol, "locks", "{" + locks + "}");
}

std::string TwoPhase::tx_json(TxId tx) const {
  return tx < txs_.size() ? quoted(txs_[tx].name) : std::to_string(tx);
}

std::string TwoPhase::nodes_json(const std::vector<NodeId>& nodes) const {
  std::string out;
  for (NodeId n : nodes) {
    if (!out.empty()) out += ',';
    out += n < node_names_.size() ? quoted(node_names_[n]) : std::to_string(n);
  }
  return "[" + out + "]";
}

}  // namespace txsim::two_phase
