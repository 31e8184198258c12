// `txsim saga-graph SCENARIO`: the execution graph of each saga of a scenario (sim/saga_explore.h)
// - its states, paths and failure points, each terminal state checked for semantic atomicity,
// and the shortest path to an unrecoverable one. Exit 0 when every terminal state is atomic,
// 1 when some is not, 2 on bad input, 3 when the state limit cut the exploration.
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/scenario_input.h"
#include "sim/saga_explore.h"

namespace txsim::cli {
namespace {

constexpr std::size_t kPathsPrintedMax = 10'000;

bool compensate_failed_of(const Scenario& sc, const SagaGraphArgs& args) {
  if (args.compensate_failed >= 0) return args.compensate_failed == 1;
  const auto it = sc.options.find("saga");
  return it != sc.options.end() && it->second.get_bool("compensate_failed");
}

std::string path_text(const SagaDef& def, const SagaExploration& x,
                      const std::vector<std::size_t>& path) {
  std::string out;
  for (std::size_t e : path) {
    if (!out.empty()) out += " -> ";
    out += describe_edge(def, x.edges[e]);
  }
  return out.empty() ? std::string("(nothing happens)") : out;
}

void print_text(const SagaDef& def, const SagaGraph& g, const SagaExploration& x, bool comp,
                bool paths) {
  std::printf("saga %s (%zu steps; compensate_failed: %s)\n", def.name.c_str(), def.steps.size(),
              comp ? "on" : "off");
  std::string order;
  for (std::size_t s : g.order()) order.append(order.empty() ? "" : ", ").append(def.steps[s].name);
  std::printf("  steps in topological order: %s\n", order.c_str());
  std::printf("  execution states: %zu\n  transitions: %zu\n", x.states.size(), x.edges.size());
  std::printf("  paths: %llu\n  failure points: %zu\n", (unsigned long long)x.paths,
              x.failure_points);
  std::printf("  terminal states: %zu, semantically atomic: %zu\n", x.terminals.size(),
              x.terminals.size() - x.unrecoverable.size());
  if (x.truncated) std::printf("  TRUNCATED at %zu states\n", x.states.size());
  if (x.unrecoverable.empty()) {
    std::printf("  unrecoverable states: none\n");
  } else {
    std::printf("  unrecoverable states: %zu; the shortest path to one:\n",
                x.unrecoverable.size());
    for (std::size_t i = 0; i < x.shortest_bad_path.size(); ++i) {
      const SagaExecEdge& e = x.edges[x.shortest_bad_path[i]];
      std::printf("    %zu. %s\n", i + 1, describe_edge(def, e).c_str());
    }
    std::printf("    ends in: %s\n", describe_state(def, x.states[x.unrecoverable.front()]).c_str());
  }
  if (!paths) return;
  const auto all = saga_paths(x, kPathsPrintedMax);
  for (std::size_t i = 0; i < all.size(); ++i)
    std::printf("  path %zu: %s\n", i + 1, path_text(def, x, all[i]).c_str());
}

nlohmann::json to_json(const SagaDef& def, const SagaExploration& x, bool comp, bool paths) {
  nlohmann::json j;
  j["name"] = def.name;
  j["steps"] = def.steps.size();
  j["compensate_failed"] = comp;
  j["states"] = x.states.size();
  j["transitions"] = x.edges.size();
  j["paths"] = x.paths;
  j["failure_points"] = x.failure_points;
  j["terminal_states"] = x.terminals.size();
  j["unrecoverable_states"] = x.unrecoverable.size();
  j["truncated"] = x.truncated;
  nlohmann::json bad = nlohmann::json::array();
  for (std::size_t e : x.shortest_bad_path) bad.push_back(describe_edge(def, x.edges[e]));
  j["shortest_unrecoverable_path"] = bad;
  if (paths) {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& p : saga_paths(x, kPathsPrintedMax)) all.push_back(path_text(def, x, p));
    j["all_paths"] = all;
  }
  return j;
}

}  // namespace

int cmd_saga_graph(const SagaGraphArgs& args) {
  const std::optional<Scenario> sc = load_or_report(args.scenario);
  if (!sc) return kExitBadInput;
  if (!sc->saga.present()) {
    std::fprintf(stderr, "%s: error: the scenario has no saga: block\n", sc->file.c_str());
    return kExitBadInput;
  }
  const bool comp = compensate_failed_of(*sc, args);
  std::ofstream dot;
  if (!args.dot_file.empty()) {
    dot.open(args.dot_file);
    if (!dot) {
      std::fprintf(stderr, "error: cannot write %s\n", args.dot_file.c_str());
      return kExitBadInput;
    }
  }
  bool bad = false, truncated = false;
  nlohmann::json out = nlohmann::json::array();
  for (const SagaDef& def : sc->saga.sagas) {
    const SagaGraph g(def);
    const SagaExploration x = explore_saga(def, g, comp);
    bad |= !x.unrecoverable.empty();
    truncated |= x.truncated;
    if (args.json) out.push_back(to_json(def, x, comp, args.paths));
    else print_text(def, g, x, comp, args.paths);
    if (dot) {
      g.write_dot(dot, def);
      write_exec_dot(dot, def, x);
    }
  }
  if (args.json) std::printf("%s\n", nlohmann::json{{"sagas", out}}.dump().c_str());
  if (truncated) return kExitLimit;
  return bad ? kExitFailed : kExitOk;
}

}  // namespace txsim::cli
