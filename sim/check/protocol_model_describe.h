// Printing for ProtocolModel<P>: a step as a sentence ("deliver Prepare t1 C->P2", "crash C
// after 2 effects of its handler for Vote t1 P1->C", "fire timer query t1 at P2") and a world as
// one JSON object, with the scenario's names wherever there are ids.
//
// Invariant: the output is a pure function of the world and the step (keys in a fixed order,
// no pointers, no unordered iteration), so counterexamples print the same in every run.
#pragma once

#include <string>
#include <vector>

#include "sim/check/protocol_model_action.h"
#include "sim/check/protocol_model_apply.h"
#include "sim/check/world.h"
#include "sim/json.h"
#include "sim/protocol.h"
#include "sim/scenario.h"

namespace txsim::check {

template <CheckableProtocol P>
class WorldPrinter {
 public:
  WorldPrinter(const Scenario& sc, const P& p) : sc_(sc), p_(p) {}

  std::string node(NodeId n) const { return n < sc_.nodes.size() ? sc_.nodes[n].name : "?"; }
  std::string tx(TxId t) const {
    return t < sc_.transactions.size() ? sc_.transactions[t].name : "?";
  }

  // "Vote t1 P1->C", with the message's own fields when it has any: "Vote t1 P1->C {"yes":true}".
  std::string packet(const Packet<P>& m) const {
    std::string out(p_.type_name(m.msg));
    const TxId t = p_.tx_of(m.msg);
    if (t != kNoTx) out += " " + tx(t);
    out += " " + node(m.from) + "->" + node(m.to);
    const std::string fields = p_.describe(m.msg);
    if (fields != "{}") out += " " + fields;
    return out;
  }

  // What the handler step is about: "request t1", "Vote t1 P1->C", "timer query t1", "recovery".
  std::string event(const World<P>& w, const WorldStep& s) const {
    switch (s.kind) {
      case StepKind::submit:
        return "request " + tx(TxId(s.a));
      case StepKind::deliver:
        return packet(w.inflight[s.a]);
      case StepKind::fire:
        return "timer " + p_.timer_name(s.b);
      case StepKind::recover:
        return "recovery";
      default:
        return "?";
    }
  }

  static std::string choices(const std::vector<ChoiceTaken>& taken) {
    if (taken.empty()) return "";
    std::string out = " [choices:";
    for (const ChoiceTaken& c : taken)
      out += " " + std::to_string(c.value) + " of " + std::to_string(c.n);
    return out + "]";
  }

  // The world as JSON: nodes (up, state, disk when it differs, timers), messages in flight,
  // partition, requests not submitted yet, faults spent.
  std::string world(const World<P>& w) const {
    std::string nodes = "[";
    for (NodeId n = 0; n < w.node_count(); ++n) {
      JsonLine j;
      j.str("node", node(n))
          .boolean("up", w.up[n] != 0)
          .raw("state", p_.describe_state(w.states[n]));
      if (!(w.disks[n] == w.states[n].durable))
        j.raw("disk", p_.describe_state(p_.restore(n, w.disks[n])));
      std::string timers = "[";
      for (TimerId t : w.timers[n]) {
        if (timers.size() > 1) timers += ',';
        append_json_string(timers, p_.timer_name(t));
      }
      j.raw("timers", timers + "]");
      nodes += (nodes.size() > 1 ? "," : "") + j.finish();
    }
    std::string flight = "[";
    for (const Packet<P>& m : w.inflight) {
      JsonLine j;
      j.str("from", node(m.from)).str("to", node(m.to)).str("type", p_.type_name(m.msg));
      if (p_.tx_of(m.msg) != kNoTx) j.str("tx", tx(p_.tx_of(m.msg)));
      j.raw("msg", p_.describe(m.msg));
      flight += (flight.size() > 1 ? "," : "") + j.finish();
    }
    std::string pending = "[";
    for (TxId t : w.pending) {
      if (pending.size() > 1) pending += ',';
      append_json_string(pending, tx(t));
    }
    JsonLine spent;
    spent.num("crashes", w.spent.crashes).num("drops", w.spent.drops);
    spent.num("duplicates", w.spent.duplicates).num("partitions", w.spent.partitions);
    JsonLine out;
    out.raw("nodes", nodes + "]").raw("in_flight", flight + "]");
    out.str("partition", w.partition.describe(sc_)).raw("pending", pending + "]");
    out.raw("spent", spent.finish()).boolean("faults_happened", w.ledger.faults_happened());
    return out.finish();
  }

 private:
  const Scenario& sc_;
  const P& p_;
};

}  // namespace txsim::check
