// Benchmarks of the model checker core (sim/check/): fingerprint hashing, visited-set inserts
// and lookups (one thread, and two threads on distinct shards), successor generation, and a full BFS of a toy model with a million
// states on one and two threads.
//
// The toy model is the grid walker of tests/check/toy_models.h, redefined here (benchmarks do
// not include test headers): (x, y) on a 1000 x 1000 grid, moving right or up. It has no
// invariants and trivial successors, so BFS figures measure the checker's own cost per state:
// fingerprint set, level bookkeeping, trace store. Figures and machine: docs/performance.md.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sim/check/explore.h"
#include "sim/check/fingerprint_set.h"
#include "sim/check/hash.h"

namespace txsim::check {
namespace {

struct BenchCell {
  std::uint32_t x = 0, y = 0;
  std::uint64_t pad = 0;  // a function of (x, y): work done by successors(), same state
  bool operator==(const BenchCell&) const = default;
};

struct BenchGrid {
  using State = BenchCell;
  std::uint32_t n = 999;  // (n+1)^2 states
  // Rounds of mixing per successor, to stand in for a real model's handlers (~1 ns each).
  std::uint32_t work = 0;

  std::vector<State> initial_states() const { return {State{}}; }
  template <class Emit>
  void successors(const State& s, Emit&& emit) const {
    if (s.x < n) emit(Action{1}, make(s.x + 1, s.y));
    if (s.y < n) emit(Action{2}, make(s.x, s.y + 1));
  }
  State make(std::uint32_t x, std::uint32_t y) const {
    std::uint64_t pad = (std::uint64_t{x} << 32) | y;
    for (std::uint32_t i = 0; i < work; ++i) pad = mix64(pad + i);
    return State{x, y, pad};
  }
  std::uint64_t fingerprint(const State& s) const {
    Hasher h;
    h.add(s.x);
    h.add(s.y);
    h.add(s.pad);
    return h.finish();
  }
  std::optional<Violation> check(const State&) const { return std::nullopt; }
  bool terminal_ok(const State&) const { return true; }
  std::string describe_action(const State&, const Action&) const { return {}; }
  std::string describe_state(const State&) const { return {}; }
};

// ---- hashing ---------------------------------------------------------------------------

// A state of `words` 64-bit words, hashed word by word (what a model's fingerprint does).
void BM_HasherWords(benchmark::State& state) {
  const auto words = std::size_t(state.range(0));
  std::vector<std::uint64_t> data(words);
  for (std::size_t i = 0; i < words; ++i) data[i] = i * 0x9e3779b97f4a7c15ULL;
  for (auto _ : state) {
    Hasher h;
    for (std::uint64_t w : data) h.add(w);
    benchmark::DoNotOptimize(h.finish());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * std::int64_t(words * 8));
}
BENCHMARK(BM_HasherWords)->ArgName("words")->Arg(2)->Arg(8)->Arg(32);

void BM_HasherBytes(benchmark::State& state) {
  const auto size = std::size_t(state.range(0));
  std::vector<unsigned char> data(size, 7);
  for (auto _ : state) {
    Hasher h;
    h.add_bytes(data.data(), data.size());
    benchmark::DoNotOptimize(h.finish());
  }
  state.SetBytesProcessed(state.iterations() * std::int64_t(size));
}
BENCHMARK(BM_HasherBytes)->ArgName("bytes")->Arg(64)->Arg(1024);

// ---- visited set -----------------------------------------------------------------------

constexpr std::uint64_t kInserts = 1 << 20;

// One thread, the table growing by doubling from its minimum size: BFS with one thread, DFS.
void BM_FingerprintSetInsert(benchmark::State& state) {
  for (auto _ : state) {
    FingerprintSet set;
    for (std::uint64_t i = 0; i < kInserts; ++i) set.insert(hash_words({i}));
    benchmark::DoNotOptimize(set.size());
    state.counters["B_per_fp"] = double(set.bytes()) / double(set.size());
  }
  state.SetItemsProcessed(state.iterations() * kInserts);
}
BENCHMARK(BM_FingerprintSetInsert)->Unit(benchmark::kMillisecond)->UseRealTime();

// Lookups of fingerprints that are present (what most BFS probes are), random order, with and
// without prefetching `ahead` lookups in advance (BFS prefetches 8 ahead).
void BM_FingerprintSetContains(benchmark::State& state) {
  const auto ahead = std::size_t(state.range(0));
  FingerprintSet set;
  for (std::uint64_t i = 0; i < kInserts; ++i) set.insert(hash_words({i}));
  std::vector<std::uint64_t> queries(kInserts);
  for (std::uint64_t i = 0; i < kInserts; ++i) queries[i] = hash_words({mix64(i) % kInserts});
  std::uint64_t found = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < queries.size(); ++i) {
      if (ahead > 0 && i + ahead < queries.size()) set.prefetch(queries[i + ahead]);
      found += set.contains(queries[i]);
    }
  }
  benchmark::DoNotOptimize(found);
  state.SetItemsProcessed(state.iterations() * std::int64_t(kInserts));
  state.counters["B_per_fp"] = double(set.bytes()) / double(set.size());
}
BENCHMARK(BM_FingerprintSetContains)->ArgName("ahead")->Arg(0)->Arg(8)
    ->Unit(benchmark::kMillisecond);

// `threads` threads insert concurrently, each the fingerprints of its own shards (BFS phase B).
void BM_FingerprintSetInsertSharded(benchmark::State& state) {
  const auto threads = unsigned(state.range(0));
  for (auto _ : state) {
    FingerprintSet set;
    std::vector<std::thread> workers;
    for (unsigned t = 0; t < threads; ++t) {
      workers.emplace_back([&set, t, threads] {
        for (std::uint64_t i = 0; i < kInserts; ++i) {
          const std::uint64_t fp = hash_words({i});
          if (FingerprintSet::shard_of(fp) % threads == t) set.insert(fp);
        }
      });
    }
    for (std::thread& w : workers) w.join();
    benchmark::DoNotOptimize(set.size());
  }
  state.SetItemsProcessed(state.iterations() * kInserts);
}
BENCHMARK(BM_FingerprintSetInsertSharded)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

// ---- successors and BFS ----------------------------------------------------------------

// Successor generation plus fingerprinting, the per-state work the model contributes.
void BM_GridSuccessors(benchmark::State& state) {
  const BenchGrid grid;
  std::uint64_t emitted = 0;
  BenchCell cell{};
  for (auto _ : state) {
    grid.successors(
        cell, [&](const Action&, BenchCell&& next) { emitted += grid.fingerprint(next) & 1; });
    cell.x = (cell.x + 1) % 999;
  }
  benchmark::DoNotOptimize(emitted);
  state.SetItemsProcessed(state.iterations() * 2);
}
BENCHMARK(BM_GridSuccessors);

// Full BFS of the 1000 x 1000 grid (1 000 000 distinct, 1 998 001 generated, depth 1999).
// items/s = distinct states per second of wall time (the checker runs its own threads).
void BM_BfsGrid(benchmark::State& state) {
  const BenchGrid grid;
  CheckOptions options;
  options.threads = unsigned(state.range(0));
  options.store_states = state.range(1) != 0;
  CheckResult<BenchGrid> result;
  for (auto _ : state) {
    result = explore(grid, options);
    if (result.verdict != Verdict::ok || result.distinct_states != 1'000'000) {
      state.SkipWithError("unexpected result");
    }
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(result.distinct_states));
  const double distinct = double(result.distinct_states);
  state.counters["generated_per_s"] = benchmark::Counter(
      double(result.states_generated) * double(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["peak_B_per_state"] = double(result.peak_memory_bytes) / distinct;
}
BENCHMARK(BM_BfsGrid)
    ->ArgNames({"threads", "store"})
    ->Args({1, 0})
    ->Args({2, 0})
    ->Args({1, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

// A 300 x 300 grid whose successors cost about a microsecond each, like a protocol model's:
// the checker's own overhead matters less, and the speed-up from threads shows.
void BM_BfsHeavyGrid(benchmark::State& state) {
  BenchGrid grid;
  grid.n = 299;
  grid.work = 1000;
  CheckOptions options;
  options.threads = unsigned(state.range(0));
  CheckResult<BenchGrid> result;
  for (auto _ : state) {
    result = explore(grid, options);
    if (result.distinct_states != 90'000) state.SkipWithError("unexpected result");
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(result.distinct_states));
}
BENCHMARK(BM_BfsHeavyGrid)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

// A wide state graph (the integers mod 1 000 003 under three maps and a self-loop: 19
// levels, up to ~300 000 states each), where levels are large enough to share well.
struct BenchTangle {
  using State = std::uint64_t;
  std::uint64_t m = 1'000'003;
  std::vector<State> initial_states() const { return {0, 5}; }
  template <class Emit>
  void successors(State s, Emit&& emit) const {
    emit(Action{1}, (s * 3 + 1) % m);
    emit(Action{2}, (s * 7 + 2) % m);
    emit(Action{3}, State{s});
    if (s % 5 != 0) emit(Action{4}, s / 2);
  }
  std::uint64_t fingerprint(State s) const { return hash_words({s}); }
  std::optional<Violation> check(State) const { return std::nullopt; }
  bool terminal_ok(State) const { return true; }
  std::string describe_action(State, const Action&) const { return {}; }
  std::string describe_state(State) const { return {}; }
};

void BM_BfsTangle(benchmark::State& state) {
  const BenchTangle tangle;
  CheckOptions options;
  options.threads = unsigned(state.range(0));
  CheckResult<BenchTangle> result;
  for (auto _ : state) {
    result = explore(tangle, options);
    if (result.distinct_states != 1'000'003) state.SkipWithError("unexpected result");
  }
  state.SetItemsProcessed(state.iterations() * std::int64_t(result.distinct_states));
  state.counters["generated_per_s"] = benchmark::Counter(
      double(result.states_generated) * double(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["peak_B_per_state"] =
      double(result.peak_memory_bytes) / double(result.distinct_states);
}
BENCHMARK(BM_BfsTangle)
    ->ArgName("threads")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MeasureProcessCPUTime();

}  // namespace
}  // namespace txsim::check
