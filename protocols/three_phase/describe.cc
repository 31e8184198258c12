// Three-phase commit, printing: message details, timer names and node states as JSON for
// traces, timelines and the GUI. Names (of nodes, accounts, transactions) replace ids wherever
// the protocol knows them, and keys always come in the same order, so the same state prints as
// the same bytes. Sources: see three_phase.h.
#include <initializer_list>
#include <string>
#include <variant>

#include "protocols/three_phase/three_phase.h"
#include "protocols/common/json_parts.h"
#include "sim/json.h"

namespace txsim::three_phase {
namespace {
std::string_view peer_state_name(PeerState s) {
  switch (s) {
    case PeerState::uncertain:
      return "uncertain";
    case PeerState::precommitted:
      return "precommitted";
    case PeerState::committed:
      return "committed";
    case PeerState::aborted:
      return "aborted";
  }
  return "?";
}

std::string_view status_name(TxStatus s) {
  return peer_state_name(static_cast<PeerState>(s));  // the same four states, in order
}

std::string_view coord_status_name(CoordStatus s) {
  switch (s) {
    case CoordStatus::started:
      return "started";
    case CoordStatus::committed:
      return "committed";
    case CoordStatus::aborted:
      return "aborted";
  }
  return "?";
}

std::string_view round_phase_name(RoundPhase p) {
  switch (p) {
    case RoundPhase::collecting:
      return "collecting";
    case RoundPhase::precommitting:
      return "precommitting";
    case RoundPhase::acking:
      return "acking";
    case RoundPhase::querying:
      return "querying";
  }
  return "?";
}

std::string_view lead_name(Lead l) {
  switch (l) {
    case Lead::none:
      return "none";
    case Lead::collecting:
      return "collecting";
    case Lead::precommitting:
      return "precommitting";
  }
  return "?";
}

// The pieces, concatenated (appends only: no `"literal" + std::string`).
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out += p;
  return out;
}

}  // namespace

std::string ThreePhase::describe(const Msg& msg) const {
  if (const auto* v = std::get_if<Vote>(&msg)) return v->yes ? "{\"yes\":true}" : "{\"yes\":false}";
  if (const auto* r = std::get_if<StateReply>(&msg)) {
    std::string out = "{\"state\":";
    out += quoted(peer_state_name(r->state));
    out += '}';
    return out;
  }
  return "{}";
}

std::string ThreePhase::timer_name(TimerId timer) const {
  const TxId tx = timer_tx(timer);
  std::string name;
  switch (timer_kind(timer)) {
    case TimerKind::vote_timeout:
      name = "vote-timeout ";
      break;
    case TimerKind::ack_timeout:
      name = "ack-timeout ";
      break;
    case TimerKind::wait:
      name = "wait ";
      break;
    case TimerKind::collect:
      name = "collect ";
      break;
    default:
      return cat({"timer ", std::to_string(timer)});
  }
  if (tx < txs_.size()) {
    name += txs_[tx].name;
  } else {
    name += '#';
    name += std::to_string(tx);
  }
  return name;
}

std::string ThreePhase::describe_state(const State& s) const {
  std::string durable;
  std::string vol;
  if (s.node == coordinator_) {
    describe_coordinator(s, durable, vol);
  } else {
    describe_participant(s, durable, vol);
  }
  std::string out = "{\"durable\":{";
  out += durable;
  out += "},\"volatile\":{";
  out += vol;
  out += "}}";
  return out;
}

void ThreePhase::describe_coordinator(const State& s, std::string& durable,
                                      std::string& vol) const {
  std::string log;
  for (const CoordRecord& r : s.durable.coord_log) {
    if (!log.empty()) log += ',';
    log += cat({"{\"tx\":", tx_json(r.tx), ",\"status\":", quoted(coord_status_name(r.status)),
                "}"});
  }
  member(durable, "log", cat({"[", log, "]"}));
  std::string rounds;
  for (const Round& r : s.vol.rounds) {
    if (!rounds.empty()) rounds += ',';
    rounds += cat({"{\"tx\":", tx_json(r.tx), ",\"phase\":", quoted(round_phase_name(r.phase)),
                   ",\"answered\":", nodes_json(r.answered), "}"});
  }
  member(vol, "rounds", cat({"[", rounds, "]"}));
}

void ThreePhase::describe_participant(const State& s, std::string& durable,
                                      std::string& vol) const {
  std::string log;
  for (const LogRecord& r : s.durable.log) {
    std::string deltas;
    for (const Delta& d : record_deltas(r, s.node))
      member(deltas, accounts_[d.account].label, std::to_string(d.amount));
    if (!log.empty()) log += ',';
    log += cat({"{\"tx\":", tx_json(r.tx), ",\"status\":", quoted(status_name(r.status)),
                ",\"deltas\":{", deltas, "}}"});
  }
  member(durable, "log", cat({"[", log, "]"}));
  std::string balances;
  for (const Balance& b : s.durable.balances) {
    member(balances, accounts_[b.account].label, std::to_string(b.amount));
  }
  member(durable, "balances", cat({"{", balances, "}"}));
  std::string follows;
  for (const Follow& f : s.vol.follows) {
    if (!follows.empty()) follows += ',';
    follows += cat({"{\"tx\":", tx_json(f.tx), ",\"leader\":", nodes_json(node_bit(f.leader)),
                    ",\"suspected\":", nodes_json(f.suspected), ",\"lead\":",
                    quoted(lead_name(f.lead)), ",\"waiting\":", nodes_json(f.waiting), "}"});
  }
  member(vol, "follows", cat({"[", follows, "]"}));
  std::string locks;
  for (const Lock& l : s.vol.locks) member(locks, accounts_[l.account].label, tx_json(l.tx));
  member(vol, "locks", cat({"{", locks, "}"}));
}

std::string ThreePhase::tx_json(TxId tx) const {
  return tx < txs_.size() ? quoted(txs_[tx].name) : std::to_string(tx);
}

std::string ThreePhase::nodes_json(NodeMask nodes) const {
  std::string out = "[";
  for (NodeId n = 0; n < node_names_.size() && n < 64; ++n) {
    if (!has_bit(nodes, n)) continue;
    if (out.size() > 1) out += ',';
    out += quoted(node_names_[n]);
  }
  out += ']';
  return out;
}

}  // namespace txsim::three_phase
