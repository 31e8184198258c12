// End-to-end explorations (issue 3's benchmark list): the textbook TwoPhase model with 8 RMs,
// PaxosCommit with 2 RMs, 3 acceptors and ballots {0,1}, and the real 2PC handlers with 4
// participants and one crash. items/s = distinct states per second; counters give the counts
// so a run also shows they did not change. Threads: Arg 1 and 2.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>

#include "protocols/registry.h"
#include "protocols/textbook/textbook.h"
#include "sim/check/explore.h"
#include "sim/invariant.h"
#include "sim/scenario_loader.h"

namespace {

using namespace txsim;

template <class M>
void explore_bench(benchmark::State& state, const M& model) {
  check::CheckOptions options;
  options.threads = static_cast<unsigned>(state.range(0));
  std::uint64_t distinct = 0, generated = 0, peak = 0;
  for (auto _ : state) {
    const auto r = check::explore(model, options);
    distinct = r.distinct_states;
    generated = r.states_generated;
    peak = std::max(peak, r.peak_memory_bytes);
    benchmark::DoNotOptimize(r.depth);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(distinct * state.iterations()));
  state.counters["distinct"] = double(distinct);
  state.counters["generated"] = double(generated);
  state.counters["generated_per_s"] =
      benchmark::Counter(double(generated * state.iterations()), benchmark::Counter::kIsRate);
  // The checker's own peak memory (CheckResult::peak_memory_bytes: its estimate, or the growth
  // of the resident set if larger), per distinct state.
  state.counters["peak_B_per_state"] = double(peak) / double(distinct);
}

void BM_ExploreTwoPhaseTla8(benchmark::State& state) {
  explore_bench(state, textbook::TwoPhaseTla(8));
}
// Wall time (UseRealTime), so items/s is distinct states per second of wall time; the CPU
// column is the whole process's CPU time (both threads), the figure to trust on a busy machine.
BENCHMARK(BM_ExploreTwoPhaseTla8)->ArgName("threads")->Arg(1)->Arg(2)
    ->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();

void BM_ExplorePaxosCommit2x3x2(benchmark::State& state) {
  explore_bench(state, textbook::PaxosCommit(2, 3, 2));
}
BENCHMARK(BM_ExplorePaxosCommit2x3x2)->ArgName("threads")->Arg(1)->Arg(2)
    ->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();

// 2PC's own handlers, 4 participants, one transaction, a budget of one crash, blocking off:
// bench/data/2pc-4-crash-1.yaml (also what scripts/measure-check-speed runs for protocols).
void BM_ExploreTwoPhaseProtocol4Crash1(benchmark::State& state) {
  LoadContext ctx;
  ctx.schema = [](std::string_view name) { return protocol_schema(name); };
  for (const ProtocolInfo& p : protocol_infos()) ctx.known_protocols.push_back(p.name);
  ctx.invariant_ids = standard_invariant_ids();
  auto sc = load_scenario_file(TXSIM_SOURCE_DIR "/bench/data/2pc-4-crash-1.yaml", ctx);
  if (!sc) {
    state.SkipWithError(sc.error().message.c_str());
    return;
  }
  check::CheckOptions options;
  options.threads = static_cast<unsigned>(state.range(0));
  std::uint64_t distinct = 0, generated = 0;
  for (auto _ : state) {
    auto r = find_protocol("two_phase")->check(*sc, options);
    distinct = r->stats.distinct_states;
    generated = r->stats.states_generated;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(distinct * state.iterations()));
  state.counters["distinct"] = double(distinct);
  state.counters["generated"] = double(generated);
}
BENCHMARK(BM_ExploreTwoPhaseProtocol4Crash1)->ArgName("threads")->Arg(1)->Arg(2)
    ->Unit(benchmark::kMillisecond)->UseRealTime()->MeasureProcessCPUTime();

}  // namespace
