#include "reports/verdict_text.h"

#include "sim/invariant.h"
#include "sim/json.h"

namespace txsim {

namespace {

const InvariantInfo* info_of(const std::string& id) {
  for (const auto& inv : standard_invariants())
    if (inv->info().id == id) return &inv->info();
  return nullptr;
}

void print_outcomes(std::FILE* out, const Scenario& sc, const RunResult& r) {
  std::fprintf(out, "\nOutcome (%s at %s, %llu events)\n", std::string(to_string(r.end)).c_str(),
               format_duration(r.end_time).c_str(), static_cast<unsigned long long>(r.events));
  for (TxId t = 0; t < r.txs.size(); ++t) {
    const TxResult& x = r.txs[t];
    std::string when;
    if (x.completed >= 0) {
      when = ", everyone knew after " + format_duration(x.completed - x.submitted);
      when += " (" + std::to_string(x.completed_hops) + " message delays)";
    } else if (x.decided >= 0) {
      when = ", decided after " + format_duration(x.decided - x.submitted);
      when += " (" + std::to_string(x.decided_hops) + " message delays)";
    }
    std::fprintf(out, "  %-10s %-9s %llu messages%s\n", sc.transactions[t].name.c_str(),
                 std::string(to_string(x.outcome)).c_str(),
                 static_cast<unsigned long long>(x.messages), when.c_str());
  }
}

void print_invariants(std::FILE* out, const RunResult& r) {
  std::fprintf(out, "\nInvariants\n");
  for (const InvariantResult& inv : r.invariants) {
    const InvariantInfo* info = info_of(inv.id);
    const char* verdict = !inv.evaluated ? "not judged (the run never settled)"
                          : inv.violated ? "VIOLATED"
                                         : "ok";
    std::fprintf(out, "  %-22s %-32s %s\n", inv.id.c_str(),
                 info ? std::string(info->title).c_str() : "", verdict);
    if (inv.violated) {
      std::fprintf(out, "      at %s: %s\n", format_duration(inv.at).c_str(), inv.detail.c_str());
      if (info) std::fprintf(out, "      why it matters: %s\n", std::string(info->explanation).c_str());
    }
  }
}

void print_doubt(std::FILE* out, const Scenario& sc, const RunResult& r) {
  std::fprintf(out, "\nBlocking (time in doubt: voted yes, outcome unknown)\n");
  if (r.doubt.empty()) std::fprintf(out, "  none\n");
  for (const DoubtResult& d : r.doubt)
    std::fprintf(out, "  %-4s %-10s in doubt %s, holding locks %s%s\n",
                 sc.nodes[d.node].name.c_str(), sc.transactions[d.tx].name.c_str(),
                 format_duration(d.in_doubt).c_str(), format_duration(d.locked).c_str(),
                 d.unresolved ? "  STILL BLOCKED at the end" : "");
}

}  // namespace

void print_verdict(std::FILE* out, const Scenario& sc, const RunResult& r) {
  print_outcomes(out, sc, r);
  print_invariants(out, r);
  print_doubt(out, sc, r);
  std::fprintf(out, "\nMessages: %llu sent, %llu delivered, %llu lost, %llu duplicated;",
               static_cast<unsigned long long>(r.sent), static_cast<unsigned long long>(r.delivered),
               static_cast<unsigned long long>(r.dropped),
               static_cast<unsigned long long>(r.duplicated));
  for (const auto& [type, n] : r.sent_by_type)
    std::fprintf(out, " %s %llu", type.c_str(), static_cast<unsigned long long>(n));
  std::fprintf(out, "\n\nVerdict: ");
  if (sc.expect.empty()) {
    std::fprintf(out, "%s (the scenario states no expectation)\n",
                 r.violated() ? "an invariant broke" : "no invariant broke");
  } else if (r.expectation_misses.empty()) {
    std::fprintf(out, "as expected\n");
  } else {
    std::fprintf(out, "EXPECTATION MISSED\n");
    for (const auto& m : r.expectation_misses) std::fprintf(out, "  - %s\n", m.c_str());
  }
  std::fprintf(out, "Replay with: txsim run %s --seed %llu\n", sc.file.c_str(),
               static_cast<unsigned long long>(r.seed));
}

std::string run_summary_json(const Scenario& sc, const RunResult& r) {
  std::string txs = "[";
  for (TxId t = 0; t < r.txs.size(); ++t) {
    JsonLine o;
    o.str("tx", sc.transactions[t].name).str("outcome", to_string(r.txs[t].outcome))
        .num("submitted_us", r.txs[t].submitted).num("decided_us", r.txs[t].decided)
        .num("completed_us", r.txs[t].completed).num("messages", std::int64_t(r.txs[t].messages))
        .num("decided_hops", std::int64_t(r.txs[t].decided_hops))
        .num("completed_hops", std::int64_t(r.txs[t].completed_hops));
    txs += (t ? "," : "") + o.finish();
  }
  std::string invs = "[";
  for (const InvariantResult& i : r.invariants) {
    JsonLine o;
    o.str("id", i.id).boolean("evaluated", i.evaluated).boolean("violated", i.violated);
    if (i.violated) o.num("at_us", i.at).str("detail", i.detail);
    invs += (invs.size() > 1 ? "," : "") + o.finish();
  }
  std::string doubt = "[";
  for (const DoubtResult& d : r.doubt) {
    JsonLine o;
    o.str("node", sc.nodes[d.node].name).str("tx", sc.transactions[d.tx].name)
        .num("in_doubt_us", d.in_doubt).num("locked_us", d.locked).boolean("unresolved", d.unresolved);
    doubt += (doubt.size() > 1 ? "," : "") + o.finish();
  }
  std::string by_type = "{";
  for (const auto& [type, n] : r.sent_by_type) {
    if (by_type.size() > 1) by_type += ",";
    append_json_string(by_type, type);
    by_type += ":" + std::to_string(n);
  }
  std::string misses = "[";
  for (const auto& m : r.expectation_misses) {
    if (misses.size() > 1) misses += ",";
    append_json_string(misses, m);
  }
  JsonLine o;
  o.str("scenario", sc.name).str("protocol", r.protocol).num("seed", std::int64_t(r.seed))
      .str("end", to_string(r.end)).num("end_us", r.end_time).num("events", std::int64_t(r.events))
      .raw("transactions", txs + "]").raw("invariants", invs + "]").raw("doubt", doubt + "]")
      .boolean("blocked", r.blocked())
      .raw("messages", "{\"sent\":" + std::to_string(r.sent) + ",\"delivered\":" +
                           std::to_string(r.delivered) + ",\"lost\":" + std::to_string(r.dropped) +
                           ",\"duplicated\":" + std::to_string(r.duplicated) +
                           ",\"by_type\":" + by_type + "}}")
      .boolean("expectation_met", r.expectation_misses.empty()).raw("misses", misses + "]");
  return o.finish();
}

}  // namespace txsim
