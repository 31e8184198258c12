#include "reports/saga_run_path.h"

#include <optional>
#include <string_view>

namespace txsim::report {

namespace {

struct StepEvent {
  SagaExecEdge::Kind kind;
  std::size_t step;
  std::size_t event;  // index into doc.events(), for messages
};

std::optional<SagaExecEdge::Kind> edge_kind(std::string_view phase) {
  if (phase == "step-done") return SagaExecEdge::Kind::complete;
  if (phase == "step-failed") return SagaExecEdge::Kind::fail;
  if (phase == "compensated" || phase == "null-compensated") return SagaExecEdge::Kind::compensate;
  return std::nullopt;
}

// The first trace transaction that is an instance of `saga`, matched by name.
std::int32_t first_instance(const TraceDocument& doc, const Scenario& sc, const SagaDef& saga) {
  for (TxId t : saga.runs)
    for (std::size_t i = 0; i < doc.transactions().size(); ++i)
      if (t < sc.transactions.size() && doc.transactions()[i] == sc.transactions[t].name)
        return std::int32_t(i);
  return kNone;
}

// The step whose service is trace node `node` (kNone if it runs none of this saga's steps).
std::int32_t step_of_node(const TraceDocument& doc, const Scenario& sc, const SagaDef& saga,
                          std::int16_t node) {
  for (std::size_t s = 0; s < saga.steps.size(); ++s) {
    const NodeId svc = saga.steps[s].service;
    if (svc < sc.nodes.size() && sc.nodes[svc].name == doc.node_name(node))
      return std::int32_t(s);
  }
  return kNone;
}

class PathWalker {
 public:
  explicit PathWalker(const SagaExploration& x) : x_(x), out_(x.states.size()) {
    for (std::size_t e = 0; e < x.edges.size(); ++e) out_[x.edges[e].from].push_back(e);
  }
  // The edges of `seq` from state 0, or nullopt if some event has no edge where it falls.
  std::optional<std::vector<std::size_t>> walk(const std::vector<StepEvent>& seq) const {
    std::vector<std::size_t> edges;
    std::size_t at = 0;
    for (const StepEvent& ev : seq) {
      std::optional<std::size_t> next;
      for (std::size_t e : out_[at])
        if (x_.edges[e].kind == ev.kind && x_.edges[e].step == ev.step) next = e;
      if (!next) return std::nullopt;
      edges.push_back(*next);
      at = x_.edges[*next].to;
    }
    return edges;
  }

 private:
  const SagaExploration& x_;
  std::vector<std::vector<std::size_t>> out_;
};

}  // namespace

SagaRunPath saga_run_path(const TraceDocument& doc, const Scenario& sc, const SagaDef& saga,
                          const SagaExploration& x, std::int32_t tx) {
  SagaRunPath r;
  r.tx = tx == kNone ? first_instance(doc, sc, saga) : tx;
  r.states.push_back(0);
  if (r.tx == kNone || x.states.empty()) return r;
  const PathWalker walker(x);
  std::vector<StepEvent> placed;
  for (std::size_t i = 0; i < doc.events().size(); ++i) {
    const DocEvent& e = doc.events()[i];
    if (e.kind != EventKind::observe || e.tx != r.tx || doc.label(e.label) != "phase") continue;
    const auto kind = edge_kind(doc.phase_name(e.phase));
    const std::int32_t step = step_of_node(doc, sc, saga, e.node);
    if (!kind || step == kNone) continue;
    const StepEvent ev{*kind, std::size_t(step), i};
    bool fitted = false;
    // The latest position that keeps the path valid; at the end in the usual case.
    for (std::size_t pos = placed.size() + 1; pos-- > 0 && !fitted;) {
      std::vector<StepEvent> candidate = placed;
      candidate.insert(candidate.begin() + std::ptrdiff_t(pos), ev);
      if (walker.walk(candidate)) {
        placed = std::move(candidate);
        fitted = true;
      }
    }
    if (!fitted)
      r.unmatched.push_back("t=" + std::to_string(e.time) + "us " +
                            std::string(doc.node_name(e.node)) + ": " +
                            std::string(doc.phase_name(e.phase)) + " (no edge)");
  }
  r.edges = *walker.walk(placed);
  for (std::size_t e : r.edges) r.states.push_back(x.edges[e].to);
  return r;
}

}  // namespace txsim::report
