#include "sim/trace_jsonl.h"

#include "sim/json.h"

namespace txsim {

std::string_view to_string(TraceKind kind) {
  switch (kind) {
    case TraceKind::request: return "request";
    case TraceKind::send: return "send";
    case TraceKind::deliver: return "deliver";
    case TraceKind::drop: return "drop";
    case TraceKind::duplicate: return "duplicate";
    case TraceKind::timer: return "timer";
    case TraceKind::crash: return "crash";
    case TraceKind::recover: return "recover";
    case TraceKind::partition: return "partition";
    case TraceKind::heal: return "heal";
    case TraceKind::observe: return "observe";
    case TraceKind::choose: return "choose";
    case TraceKind::state: return "state";
    case TraceKind::violation: return "violation";
  }
  return "?";
}

void JsonlTraceWriter::write(std::string& line) {
  line.push_back('\n');
  std::fwrite(line.data(), 1, line.size(), out_);
}

void JsonlTraceWriter::begin(const TraceHeader& h) {
  sc_ = h.scenario;
  phases_.assign(h.phase_names.begin(), h.phase_names.end());
  auto list = [](auto&& items, auto&& name) {
    std::string s = "[";
    for (const auto& it : items) {
      if (s.size() > 1) s += ",";
      append_json_string(s, name(it));
    }
    return s + "]";
  };
  std::string nodes = "[";
  for (const NodeSpec& n : sc_->nodes) {
    if (nodes.size() > 1) nodes += ",";
    JsonLine o;
    o.str("name", n.name).str("role", to_string(n.role));
    nodes += o.finish();
  }
  nodes += "]";
  std::vector<std::string> accounts;
  for (AccountId a = 0; a < sc_->accounts.size(); ++a) accounts.push_back(sc_->account_label(a));
  JsonLine line;
  line.str("format", "txsim-trace").num("version", kTraceFormatVersion)
      .str("scenario", sc_->name).str("file", sc_->file).str("protocol", h.protocol)
      .num("seed", static_cast<std::int64_t>(h.seed)).raw("nodes", nodes)
      .raw("transactions", list(sc_->transactions, [](const TxSpec& t) { return t.name; }))
      .raw("accounts", list(accounts, [](const std::string& s) { return s; }))
      .raw("phases", list(phases_, [](const std::string& s) { return s; }));
  write(line.finish());
}

void JsonlTraceWriter::event(const TraceEvent& e) {
  JsonLine o;
  o.num("t", e.time).str("ev", to_string(e.kind));
  auto node = [&](NodeId n) { return std::string_view(sc_->nodes[n].name); };
  if (e.node != kNoNode) o.str("node", node(e.node));
  switch (e.kind) {
    case TraceKind::send:
      o.str("to", node(e.peer)).num("id", std::int64_t(e.msg_id)).str("type", e.type);
      break;
    case TraceKind::deliver:
    case TraceKind::drop:
    case TraceKind::duplicate:
      o.str("from", node(e.peer)).num("id", std::int64_t(e.msg_id)).str("type", e.type);
      break;
    case TraceKind::timer: o.str("timer", e.type); break;
    case TraceKind::crash: o.num("after_effects", e.value); break;
    case TraceKind::violation: o.str("invariant", e.type); break;
    case TraceKind::observe: o.str("what", to_string(e.obs.kind)); break;
    case TraceKind::choose: o.num("n", e.obs.account).num("value", e.obs.value); break;
    default: break;
  }
  if (e.tx != kNoTx) o.str("tx", sc_->transactions[e.tx].name);
  if (e.kind == TraceKind::observe) {
    if (e.obs.account != kNoAccount) o.str("account", sc_->account_label(e.obs.account));
    if (e.obs.kind == ObsKind::phase && std::size_t(e.obs.value) < phases_.size())
      o.str("phase", phases_[std::size_t(e.obs.value)]);
    else
      o.num("value", e.obs.value);
  }
  if (!e.text.empty()) {
    if (e.kind == TraceKind::send) o.raw("msg", e.text);
    else if (e.kind == TraceKind::state) o.raw("state", e.text);
    else if (e.kind == TraceKind::drop) o.str("reason", e.text);
    else o.str("detail", e.text);
  }
  write(o.finish());
}

void JsonlTraceWriter::end(Micros time) {
  JsonLine o;
  o.num("t", time).str("ev", "end");
  write(o.finish());
  std::fflush(out_);
}

}  // namespace txsim
