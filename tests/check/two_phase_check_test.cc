// The model checker on two-phase commit: ProtocolModel<TwoPhase> runs the protocol's own
// handlers (protocols/two_phase/), so what it proves or refutes is about the code the
// simulator runs. Pinned counts follow TLC: distinct states, and states generated (initial
// states plus every successor emitted, duplicates included).
//
// Two explorers: a private reference BFS below (exact, keeps every state, compares them in full,
// does not stop at a violation, and remembers parents to print counterexamples), and the
// engine's explore() (sim/check/explore.h), which must report the same counts with 1 and 2
// threads.
#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocols/registry.h"
#include "protocols/two_phase/two_phase.h"
#include "sim/check/explore.h"
#include "sim/check/protocol_model.h"
#include "sim/invariant.h"
#include "sim/scenario_loader.h"

namespace txsim::check {
namespace {

using TwoPhaseModel = ProtocolModel<TwoPhase>;
static_assert(Model<TwoPhaseModel>);

LoadContext registry_context() {
  LoadContext ctx;
  ctx.schema = [](std::string_view name) { return protocol_schema(name); };
  for (const ProtocolInfo& p : protocol_infos()) ctx.known_protocols.push_back(p.name);
  ctx.invariant_ids = standard_invariant_ids();
  return ctx;
}

Scenario load_file(const std::string& relative) {
  Result<Scenario> sc =
      load_scenario_file(std::string(TXSIM_SOURCE_DIR) + "/" + relative, registry_context());
  if (!sc) throw std::runtime_error(sc.error().message);
  return std::move(*sc);
}

// One transfer between P1 and P2 (and P3 with a zero credit when `participants` is 3), with the
// given `options: {two_phase: ...}` text.
Scenario small_2pc(int participants, const std::string& options = "{}") {
  std::string text =
      "name: check-2pc\n"
      "protocols: [two_phase]\n"
      "nodes: {coordinator: C, participants: [P1, P2" +
      std::string(participants == 3 ? ", P3" : "") +
      "]}\n"
      "accounts: {P1: {a: 100}, P2: {b: 50}" +
      std::string(participants == 3 ? ", P3: {c: 0}" : "") +
      "}\n"
      "workload:\n"
      "  transactions:\n"
      "    - id: t1\n"
      "      transfers:\n"
      "        - {at: P1, account: a, amount: -10}\n"
      "        - {at: P2, account: b, amount: 10}\n" +
      std::string(participants == 3 ? "        - {at: P3, account: c, amount: 0}\n" : "") +
      "options: {two_phase: " + options + "}\n";
  Result<Scenario> sc = load_scenario_text(text, "check-2pc.yaml", registry_context());
  if (!sc) throw std::runtime_error(sc.error().message);
  return std::move(*sc);
}

TwoPhaseModel model_of(const Scenario& sc, CheckSpec spec, bool blocking = true) {
  return TwoPhaseModel(sc, TwoPhase(sc, sc.options.at("two_phase")), std::move(spec),
                       ProtocolModelOptions{blocking});
}

// --- the reference explorer ----------------------------------------------------------------
struct RefResult {
  std::uint64_t distinct = 0;
  std::uint64_t generated = 0;
  std::uint64_t deadlocks = 0;
  std::map<std::string, std::uint64_t> violations;  // invariant id -> states violating it
  std::vector<std::string> first_path;  // steps to the first state violating `target`
  std::optional<Violation> first;       // that violation
};

RefResult reference_bfs(const TwoPhaseModel& m, const std::string& target = "",
                        std::uint64_t states_max = 2'000'000) {
  using W = TwoPhaseModel::State;
  RefResult r;
  std::vector<W> states;
  std::vector<std::pair<std::size_t, Action>> parent;  // by index in `states`
  std::unordered_multimap<std::uint64_t, std::size_t> index;
  auto insert = [&](W&& s, std::size_t from, const Action& a) {
    const std::uint64_t fp = m.fingerprint(s);
    auto [lo, hi] = index.equal_range(fp);
    for (auto it = lo; it != hi; ++it)
      if (states[it->second] == s) return;
    EXPECT_LT(states.size(), states_max);
    index.emplace(fp, states.size());
    parent.emplace_back(from, a);
    if (auto v = m.check(s)) {
      ++r.violations[v->invariant];
      if (v->invariant == target && !r.first) {
        r.first = v;
        std::vector<std::string> rev;
        for (std::size_t at = states.size(), up = from; up != SIZE_MAX; at = up, up = parent[up].first)
          rev.push_back(m.describe_action(states[up], at == states.size() ? a : parent[at].second));
        r.first_path.assign(rev.rbegin(), rev.rend());
      }
    }
    states.push_back(std::move(s));
  };
  for (W& s : m.initial_states()) {
    ++r.generated;
    insert(std::move(s), SIZE_MAX, Action{});
  }
  for (std::size_t i = 0; i < states.size() && states.size() < states_max; ++i) {
    const W from = states[i];
    std::uint64_t emitted = 0;
    m.successors(from, [&](const Action& a, W&& next) {
      ++emitted;
      insert(std::move(next), i, a);
    });
    r.generated += emitted;
    if (emitted == 0 && !m.terminal_ok(from)) ++r.deadlocks;
  }
  r.distinct = states.size();
  return r;
}

void probe(const char* label, const TwoPhaseModel& m, const std::string& target) {
  auto t0 = std::chrono::steady_clock::now();
  const RefResult r = reference_bfs(m, target);
  std::printf("%.2fs ", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  std::printf("%s: distinct %llu generated %llu deadlocks %llu\n", label,
              (unsigned long long)r.distinct, (unsigned long long)r.generated,
              (unsigned long long)r.deadlocks);
  for (auto& [k, v] : r.violations) std::printf("  %s: %llu\n", k.c_str(), (unsigned long long)v);
  for (auto& st : r.first_path) std::printf("    %s\n", st.c_str());
  if (r.first) std::printf("  => %s\n", r.first->detail.c_str());
}

TEST(TwoPhaseCheck, Probe) {
  const Scenario sc = load_file("scenarios/two_phase/happy-path.yaml");
  for (std::uint32_t copies : {1u, 2u}) {
    CheckSpec spec;
    spec.copies_max = copies;
    probe(copies == 1 ? "happy c1" : "happy c2", model_of(sc, spec), "blocking");
  }
  CheckSpec crash1;
  crash1.crashes = 1;
  probe("crash1 3p", model_of(sc, crash1, false), "AC1");
  probe("crash1 3p blocking", model_of(sc, crash1, true), "blocking");
  probe("crash1 2p", model_of(small_2pc(2), crash1, false), "AC1");
  probe("broken 2p", model_of(small_2pc(2, "{log_before_send: false}"), crash1, false), "AC1");
  probe("random no 2p", model_of(small_2pc(2, "{random_no_vote: true}"), CheckSpec{}), "x");
}

}  // namespace
}  // namespace txsim::check
