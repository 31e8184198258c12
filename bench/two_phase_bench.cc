// Benchmarks of simulated two-phase commit: transactions per second through the whole stack
// (scenario text -> loader -> registry -> Simulator<TwoPhase>), tracing off, and how memory
// grows with the number of transactions.
//
// The workload: coordinator C, participants P1..P5 with 64 accounts each, K transactions one
// millisecond apart. Transaction i moves money between `width` consecutive participants
// (starting at P(i mod 5)) on account a(i mod 64), so two transactions that share an account are
// at least 64 ms apart while one commits in at most about 20 ms: no lock conflicts, every
// transaction commits, and the benchmark checks that it did.
//
// Memory is measured by a counting global operator new / delete (it serves the whole benchmark
// binary), switched on only inside BM_TwoPhaseMemory and BM_TwoPhaseLoad: elsewhere it costs one
// relaxed load per allocation. The process's peak RSS is reported too.
// Figures and the machine they were taken on: docs/performance.md.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <sys/resource.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <new>
#include <string>

#include "protocols/registry.h"
#include "sim/invariant.h"
#include "sim/scenario_loader.h"
#include "sim/trace.h"

// ---- heap accounting (only while g_heap_counting is set) ---------------------------------
namespace {
std::atomic<bool> g_heap_counting{false};
std::int64_t g_heap_live = 0;  // bytes allocated and not freed since counting started
std::int64_t g_heap_peak = 0;

void* counted_alloc(std::size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) throw std::bad_alloc();
  if (g_heap_counting.load(std::memory_order_relaxed)) {
    g_heap_live += static_cast<std::int64_t>(malloc_usable_size(p));
    if (g_heap_live > g_heap_peak) g_heap_peak = g_heap_live;
  }
  return p;
}
void counted_free(void* p) {
  if (p == nullptr) return;
  if (g_heap_counting.load(std::memory_order_relaxed)) {
    g_heap_live -= static_cast<std::int64_t>(malloc_usable_size(p));
  }
  std::free(p);
}
}  // namespace

void* operator new(std::size_t n) { return counted_alloc(n); }
void* operator new[](std::size_t n) { return counted_alloc(n); }
void operator delete(void* p) noexcept { counted_free(p); }
void operator delete[](void* p) noexcept { counted_free(p); }
void operator delete(void* p, std::size_t) noexcept { counted_free(p); }
void operator delete[](void* p, std::size_t) noexcept { counted_free(p); }

namespace txsim {
namespace {

constexpr int kParticipants = 5;
constexpr int kAccounts = 64;  // per participant

// Appends the decimal form of v (GCC 12 misfires -Wrestrict on "literal" + std::to_string).
void put(std::string& y, long v) { y += std::to_string(v); }

// The scenario text for K transactions touching `width` participants each.
std::string two_phase_text(int k, int width) {
  std::string y;
  y.reserve(static_cast<std::size_t>(k) * 160 + 4096);
  y += "name: bench-2pc\nprotocols: [two_phase]\nseed: 1\n";
  y += "nodes: {coordinator: C, participants: [P1, P2, P3, P4, P5]}\naccounts:\n";
  for (int p = 1; p <= kParticipants; ++p) {
    y += "  P";
    put(y, p);
    y += ": {";
    for (int a = 0; a < kAccounts; ++a) {
      y += a ? ", a" : "a";
      put(y, a);
      y += ": 1000000000";
    }
    y += "}\n";
  }
  y += "workload:\n  transactions:\n";
  for (int i = 0; i < k; ++i) {
    y += "    - {id: t";
    put(y, i);
    y += ", at: ";
    put(y, i);
    y += "ms, transfers: [";
    for (int j = 0; j < width; ++j) {
      // The first participant pays width - 1, every other one receives 1: balanced.
      y += j ? ", {at: P" : "{at: P";
      put(y, (i + j) % kParticipants + 1);
      y += ", account: a";
      put(y, i % kAccounts);
      y += ", amount: ";
      put(y, j == 0 ? -(width - 1) : 1);
      y += "}";
    }
    y += "]}\n";
  }
  y += "network: {latency: {uniform: [1ms, 5ms]}}\n";
  y += "run: {time_limit: 3600s, max_events: 1000000000}\n";
  y += "expect: {outcome: commit, violation: none, blocked: false}\n";
  return y;
}

LoadContext registry_context() {
  LoadContext ctx;
  ctx.schema = [](std::string_view name) { return protocol_schema(name); };
  for (const ProtocolInfo& info : protocol_infos()) ctx.known_protocols.push_back(info.name);
  ctx.invariant_ids = standard_invariant_ids();
  return ctx;
}

// Loaded once per (K, width) for the whole process: loading is not what the run rows measure.
const Scenario& scenario(int k, int width) {
  static std::map<std::pair<int, int>, Scenario> cache;
  auto it = cache.find({k, width});
  if (it == cache.end()) {
    auto sc = load_scenario_text(two_phase_text(k, width), "bench-2pc.yaml", registry_context());
    if (!sc) {
      std::fprintf(stderr, "%s\n", sc.error().message.c_str());
      std::abort();
    }
    it = cache.emplace(std::pair{k, width}, std::move(*sc)).first;
  }
  return it->second;
}

// TXSIM_BENCH_LARGE=1 adds the rows with 30 000 transactions. They take many minutes while the
// run time grows faster than linearly in K (docs/performance.md), so they are off by default.
// Larger K does not load: the YAML reader stops at kYamlNodesMax (1 000 000) nodes, about 28 per
// transaction of this workload, and TxId is 16 bits (at most 65 534 transactions).
bool large_rows() {
  const char* v = std::getenv("TXSIM_BENCH_LARGE");
  return v != nullptr && *v != '\0' && *v != '0';
}

double max_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) * 1024.0;  // Linux reports kilobytes
}

// Returns an error message if the run did not commit every transaction as expected.
const char* verify(const Result<RunResult>& r, int k) {
  if (!r) return "run failed";
  if (r->end != EndReason::quiescent) return "run did not settle";
  if (!r->expectation_misses.empty() || r->violated()) return "expectation missed";
  if (r->txs.size() != static_cast<std::size_t>(k)) return "wrong transaction count";
  return nullptr;
}

// Throughput. Arguments: K transactions, width participants per transaction.
void BM_TwoPhase(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const int width = static_cast<int>(state.range(1));
  const Scenario& sc = scenario(k, width);
  const ProtocolInfo* p = find_protocol("two_phase");
  std::uint64_t delivered = 0, events = 0;
  for (auto _ : state) {
    auto r = p->run(sc, RunOptions{1, nullptr});
    if (const char* why = verify(r, k)) {
      state.SkipWithError(why);
      return;
    }
    delivered += r->delivered;
    events += r->events;
  }
  const auto iters = static_cast<double>(state.iterations());
  state.SetItemsProcessed(state.iterations() * k);  // items = transactions
  state.counters["deliveries_per_s"] =
      benchmark::Counter(static_cast<double>(delivered), benchmark::Counter::kIsRate);
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["deliveries_per_tx"] = static_cast<double>(delivered) / iters / k;
  state.counters["max_rss_MB"] = max_rss_bytes() / 1e6;
}
BENCHMARK(BM_TwoPhase)
    ->ArgNames({"txs", "width"})
    ->Args({1000, 3})
    ->Args({3000, 3})
    ->Args({10000, 3})
    ->Args({1000, 5})
    ->Apply([](benchmark::internal::Benchmark* b) {
      if (large_rows()) b->Args({30000, 3});
    })
    ->Unit(benchmark::kMillisecond);

// Counts messages in flight (sent or duplicated, not yet delivered or dropped): the part of the
// engine's working set that scales with concurrency, not with the length of the run.
class InFlightSink final : public TraceSink {
 public:
  void event(const TraceEvent& e) override {
    switch (e.kind) {
      case TraceKind::send:
      case TraceKind::duplicate:
        ++inflight_;
        break;
      case TraceKind::deliver:
      case TraceKind::drop:  // a drop at send time comes right after its send event
        --inflight_;
        break;
      default:
        break;
    }
    if (inflight_ > peak_) peak_ = inflight_;
  }
  std::int64_t peak() const { return peak_; }

 private:
  std::int64_t inflight_ = 0, peak_ = 0;
};

// Memory, one run per row: peak heap bytes the run allocates beyond what the loaded scenario
// already holds, per transaction, and the peak number of messages in flight.
void BM_TwoPhaseMemory(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const Scenario& sc = scenario(k, 3);
  const ProtocolInfo* p = find_protocol("two_phase");
  for (auto _ : state) {
    InFlightSink sink;
    g_heap_live = 0;
    g_heap_peak = 0;
    g_heap_counting.store(true);
    {
      auto r = p->run(sc, RunOptions{1, &sink});
      if (const char* why = verify(r, k)) {
        g_heap_counting.store(false);
        state.SkipWithError(why);
        return;
      }
      state.counters["result_heap_MB"] = static_cast<double>(g_heap_live) / 1e6;
    }
    g_heap_counting.store(false);
    state.counters["peak_heap_MB"] = static_cast<double>(g_heap_peak) / 1e6;
    state.counters["peak_heap_B_per_tx"] = static_cast<double>(g_heap_peak) / k;
    state.counters["peak_inflight_msgs"] = static_cast<double>(sink.peak());
  }
  state.counters["max_rss_MB"] = max_rss_bytes() / 1e6;
  state.SetItemsProcessed(state.iterations() * k);
}
BENCHMARK(BM_TwoPhaseMemory)
    ->ArgNames({"txs"})
    ->Arg(1000)
    ->Arg(3000)
    ->Arg(10000)
    ->Apply([](benchmark::internal::Benchmark* b) {
      if (large_rows()) b->Arg(30000);
    })
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// Loading the generated scenario text (YAML parse + validation), per transaction, and the peak
// heap the loader needs on the way (the last iteration's).
void BM_TwoPhaseLoad(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const std::string text = two_phase_text(k, 3);
  const LoadContext ctx = registry_context();
  for (auto _ : state) {
    g_heap_live = 0;
    g_heap_peak = 0;
    g_heap_counting.store(true);
    auto sc = load_scenario_text(text, "bench-2pc.yaml", ctx);
    const bool ok = sc.ok();
    if (ok) benchmark::DoNotOptimize(sc->transactions.data());
    g_heap_counting.store(false);
    if (!ok) {
      std::fprintf(stderr, "%s\n", sc.error().message.c_str());
      state.SkipWithError("load failed");
      return;
    }
  }
  state.SetItemsProcessed(state.iterations() * k);
  state.counters["yaml_bytes"] = static_cast<double>(text.size());
  state.counters["peak_heap_MB"] = static_cast<double>(g_heap_peak) / 1e6;
}
BENCHMARK(BM_TwoPhaseLoad)
    ->ArgNames({"txs"})
    ->Arg(1000)
    ->Arg(10000)
    ->Apply([](benchmark::internal::Benchmark* b) {
      if (large_rows()) b->Arg(30000);
    })
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace txsim
