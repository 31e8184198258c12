// Per-state costs of the textbook models, the model's share of a search: successor generation
// (successors() with an emit that only counts), successors plus fingerprints of the non-stutter
// successors (what BFS does before touching the visited set), and fingerprint() alone.
//
// Each runs over a fixed sample of reachable states: the first 200 000 in BFS order (all levels
// up to the one that reaches the count), so the mix of states is the one a search meets early.
// items/s = states expanded (or fingerprinted) per second of CPU time; `succ_per_s` counts
// emitted successors. Figures: docs/performance.md.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <unordered_set>
#include <vector>

#include "protocols/textbook/textbook.h"
#include "sim/check/model.h"

namespace {

using namespace txsim;

template <class M>
std::vector<typename M::State> sample_states(const M& model, std::size_t count) {
  using State = typename M::State;
  std::vector<State> states = model.initial_states();
  std::unordered_set<std::uint64_t> seen;
  for (const State& s : states) seen.insert(model.fingerprint(s));
  for (std::size_t i = 0; i < states.size() && states.size() < count; ++i) {
    const State from = states[i];
    model.successors(from, [&](const check::Action&, State&& next) {
      if (states.size() < count && seen.insert(model.fingerprint(next)).second) {
        states.push_back(std::move(next));
      }
    });
  }
  return states;
}

constexpr std::size_t kSample = 200'000;

template <class M>
void successors_bench(benchmark::State& state, const M& model, bool fingerprint) {
  using State = typename M::State;
  const std::vector<State> states = sample_states(model, kSample);
  std::uint64_t emitted = 0, sink = 0;
  for (auto _ : state) {
    for (const State& s : states) {
      model.successors(s, [&](const check::Action&, State&& next) {
        ++emitted;
        if (fingerprint && !(next == s)) sink += model.fingerprint(next);
      });
    }
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * std::int64_t(states.size()));
  state.counters["succ_per_s"] = benchmark::Counter(double(emitted), benchmark::Counter::kIsRate);
}

template <class M>
void fingerprint_bench(benchmark::State& state, const M& model) {
  using State = typename M::State;
  const std::vector<State> states = sample_states(model, kSample);
  std::uint64_t sink = 0;
  for (auto _ : state) {
    for (const State& s : states) sink += model.fingerprint(s);
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(state.iterations() * std::int64_t(states.size()));
}

void BM_SuccessorsTwoPhaseTla8(benchmark::State& state) {
  successors_bench(state, textbook::TwoPhaseTla(8), state.range(0) != 0);
}
BENCHMARK(BM_SuccessorsTwoPhaseTla8)->ArgName("fingerprint")->Arg(0)->Arg(1)
    ->Unit(benchmark::kMillisecond);

void BM_SuccessorsPaxosCommit2x3x2(benchmark::State& state) {
  successors_bench(state, textbook::PaxosCommit(2, 3, 2), state.range(0) != 0);
}
BENCHMARK(BM_SuccessorsPaxosCommit2x3x2)->ArgName("fingerprint")->Arg(0)->Arg(1)
    ->Unit(benchmark::kMillisecond);

void BM_FingerprintTwoPhaseTla8(benchmark::State& state) {
  fingerprint_bench(state, textbook::TwoPhaseTla(8, state.range(0) != 0));
}
BENCHMARK(BM_FingerprintTwoPhaseTla8)->ArgName("symmetry")->Arg(0)->Arg(1)
    ->Unit(benchmark::kMillisecond);

void BM_FingerprintPaxosCommit2x3x2(benchmark::State& state) {
  fingerprint_bench(state, textbook::PaxosCommit(2, 3, 2));
}
BENCHMARK(BM_FingerprintPaxosCommit2x3x2)->Unit(benchmark::kMillisecond);

}  // namespace
