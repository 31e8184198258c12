#include "sim/trigger.h"

namespace txsim {

Result<TriggerMatcher> TriggerMatcher::make(const Scenario& sc, std::string_view protocol,
                                            std::span<const std::string_view> phases) {
  TriggerMatcher m;
  for (std::uint32_t i = 0; i < sc.faults.size(); ++i) {
    const TriggerSpec& t = sc.faults[i].when;
    if (t.kind == TriggerSpec::Kind::at_time) continue;
    std::int32_t phase = -1;
    if (t.kind == TriggerSpec::Kind::state) {
      for (std::size_t p = 0; p < phases.size(); ++p)
        if (phases[p] == t.phase) phase = static_cast<std::int32_t>(p);
      if (phase < 0) {
        std::string known;
        for (auto p : phases) known += (known.empty() ? "" : ", ") + std::string(p);
        return Error{sc.file + ":" + std::to_string(sc.faults[i].line) +
                     ": error: key 'faults.when.state.enters': protocol " +
                     std::string(protocol) + " has no phase '" + t.phase +
                     "'; its phases are: " + known};
      }
    }
    m.watch_.push_back(Watch{i, t.kind, t.from, t.to, t.node, t.msg_type, t.msg_class, t.tx, phase, t.count});
  }
  return m;
}

void TriggerMatcher::match(const TraceEvent& e, std::vector<std::uint32_t>& fired) {
  for (Watch& w : watch_) {
    if (w.remaining == 0) continue;
    bool hit = false;
    switch (w.kind) {
      case TriggerSpec::Kind::sent:
        hit = e.kind == TraceKind::send && (w.from == kNoNode || w.from == e.node) &&
              (w.to == kNoNode || w.to == e.peer);
        break;
      case TriggerSpec::Kind::delivered:
        hit = e.kind == TraceKind::deliver && (w.from == kNoNode || w.from == e.peer) &&
              (w.to == kNoNode || w.to == e.node);
        break;
      case TriggerSpec::Kind::state:
        hit = e.kind == TraceKind::observe && e.obs.kind == ObsKind::phase &&
              e.obs.value == w.phase && (w.node == kNoNode || w.node == e.node);
        break;
      case TriggerSpec::Kind::at_time:
        break;
    }
    if (hit && w.kind != TriggerSpec::Kind::state && !w.type.empty()) hit = w.type == e.type;
    if (hit && w.kind != TriggerSpec::Kind::state && w.cls) hit = *w.cls == e.msg_class;
    if (hit && w.tx != kNoTx) hit = w.tx == e.tx;
    if (hit && --w.remaining == 0) fired.push_back(w.fault);
  }
}

}  // namespace txsim
