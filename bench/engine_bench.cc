// Benchmarks of the bare engine: the event queue, the seeded generator and its distributions,
// and the simulator's run loop driving a minimal protocol (tokens passed around a ring).
//
// The ring protocol is defined here, not in protocols/: it has no accounts, no locks, no
// observations, so what is measured is the engine's own cost per message (queue, in-flight
// slots, effect list, network draws, run-loop bookkeeping) and nothing a real protocol adds.
// Figures and the machine they were taken on: docs/performance.md.
#include <benchmark/benchmark.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "sim/distribution.h"
#include "sim/event_queue.h"
#include "sim/rng.h"
#include "sim/simulator.h"

namespace txsim {
namespace {

// ---- EventQueue ------------------------------------------------------------------------

// The simulator's payload is 12 bytes (kind, node, two 32-bit fields); use the same size.
struct BenchPayload {
  std::uint32_t a, b, c;
};

// Steady state at a given queue size: pop the earliest event, push one a random delay later.
// This is the "hold" model of discrete-event scheduling, what the run loop does per event.
void BM_EventQueueHold(benchmark::State& state) {
  const auto size = static_cast<std::size_t>(state.range(0));
  EventQueue<BenchPayload> q;
  Rng rng(42);
  for (std::size_t i = 0; i < size; ++i) {
    q.push(static_cast<Micros>(rng.below(10'000)), BenchPayload{std::uint32_t(i), 0, 0});
  }
  for (auto _ : state) {
    auto e = q.pop();
    benchmark::DoNotOptimize(e);
    q.push(e.time + 1 + static_cast<Micros>(rng.below(10'000)), e.payload);
  }
  state.SetItemsProcessed(state.iterations());  // one item = one pop + one push
  state.counters["queue_size"] = static_cast<double>(size);
}
BENCHMARK(BM_EventQueueHold)->Arg(16)->Arg(1 << 10)->Arg(1 << 14)->Arg(1 << 17)->Arg(1 << 20);

// Fill then drain: n pushes at random times followed by n pops.
void BM_EventQueueFillDrain(benchmark::State& state) {
  const auto n = static_cast<std::size_t>(state.range(0));
  EventQueue<BenchPayload> q;
  Rng rng(7);
  for (auto _ : state) {
    for (std::size_t i = 0; i < n; ++i) {
      q.push(static_cast<Micros>(rng.below(1'000'000)), BenchPayload{std::uint32_t(i), 0, 0});
    }
    while (!q.empty()) benchmark::DoNotOptimize(q.pop());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));  // push + pop
}
BENCHMARK(BM_EventQueueFillDrain)->Arg(1 << 10)->Arg(1 << 16)->Arg(1 << 20);

// ---- Rng and Distribution ----------------------------------------------------------------

void BM_RngNextU64(benchmark::State& state) {
  Rng rng(1);
  for (auto _ : state) benchmark::DoNotOptimize(rng.next_u64());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RngNextU64);

void BM_RngBelow(benchmark::State& state) {
  Rng rng(1);
  const auto bound = static_cast<std::uint64_t>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(rng.below(bound));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RngBelow)->Arg(6)->Arg(4001);

void BM_RngNormal(benchmark::State& state) {
  Rng rng(1);
  for (auto _ : state) benchmark::DoNotOptimize(rng.normal());
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RngNormal);

void BM_DistributionSample(benchmark::State& state) {
  static const std::array<Distribution, 5> laws = {
      Distribution::fixed(ms(2)), Distribution::uniform(ms(1), ms(5)),
      Distribution::normal(ms(3), ms(1)), Distribution::exponential(ms(2)),
      Distribution::lognormal(ms(2), 0.5)};
  static const std::array<const char*, 5> names = {"fixed", "uniform", "normal", "exponential",
                                                   "lognormal"};
  const Distribution& d = laws[static_cast<std::size_t>(state.range(0))];
  state.SetLabel(names[static_cast<std::size_t>(state.range(0))]);
  Rng rng(1);
  for (auto _ : state) benchmark::DoNotOptimize(d.sample(rng));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DistributionSample)->DenseRange(0, 4);

// ---- The bare engine: a token ring through Simulator<P>::run ------------------------------

// Each transaction of the scenario is one token, injected at node (tx mod N) by its request.
// A token hops to the next node of the ring until it has made `hops` deliveries, then stops.
// No observations, no timers, no persists: one send effect per delivery.
struct TokenRing {
  static constexpr std::string_view kName = "bench_ring";
  struct Token {
    TxId tx = 0;
    std::uint32_t left = 0;  // deliveries still to make after this one
    bool operator==(const Token&) const = default;
  };
  using Msg = std::variant<Token>;
  struct Durable {
    bool operator==(const Durable&) const = default;
  };
  struct State {
    Durable durable;
    std::uint64_t seen = 0;
    bool operator==(const State&) const = default;
  };
  using Fx = Effects<Msg, Durable>;

  std::uint32_t nodes = 1;
  std::uint32_t hops = 1;

  static OptionSchema schema() { return {}; }
  static std::span<const std::string_view> phase_names() { return {}; }

  State init(NodeId) const { return {}; }
  State restore(NodeId, const Durable&) const { return {}; }
  NodeId request_target(TxId tx) const { return static_cast<NodeId>(tx % nodes); }
  NodeId next(NodeId n) const { return static_cast<NodeId>((n + 1) % nodes); }
  void on_request(State&, Fx& fx, TxId tx) const { fx.send(next(fx.self()), Token{tx, hops - 1}); }
  void on_message(State& s, Fx& fx, NodeId, const Msg& m) const {
    ++s.seen;
    const Token& t = std::get<Token>(m);
    if (t.left > 0) fx.send(next(fx.self()), Token{t.tx, t.left - 1});
  }
  void on_timer(State&, Fx&, TimerId) const {}
  void on_recover(State&, Fx&) const {}
  std::string_view type_name(const Msg&) const { return "Token"; }
  TxId tx_of(const Msg& m) const { return std::get<Token>(m).tx; }
  std::string describe(const Msg&) const { return "{}"; }
  std::string timer_name(TimerId) const { return "none"; }
  std::string describe_state(const State&) const { return "{}"; }
};
static_assert(Protocol<TokenRing>);

Scenario ring_scenario(std::uint32_t nodes, std::uint32_t tokens, const Distribution& latency) {
  Scenario sc;
  sc.name = "bench-ring";
  sc.protocols = {std::string(TokenRing::kName)};
  for (std::uint32_t n = 0; n < nodes; ++n) {
    std::string name = "N";  // built by appending: GCC 12 misfires -Wrestrict on "N" + ...
    name += std::to_string(n);
    sc.nodes.push_back(NodeSpec{std::move(name), Role::participant, {}});
  }
  for (std::uint32_t t = 0; t < tokens; ++t) {
    TxSpec tx;
    tx.name = "t";
    tx.name += std::to_string(t);
    tx.at = 0;
    sc.transactions.push_back(std::move(tx));
  }
  sc.network.latency = latency;
  sc.limits.time_limit = sec(3600 * 24 * 365);
  sc.limits.max_events = ~std::uint64_t{0};
  return sc;
}

// Arguments: nodes, tokens in flight at once, latency law (0 fixed 1ms, 1 uniform [1ms, 5ms]).
// Every run makes about 2^20 deliveries, so the per-run setup (Ledger, RunStats, start) is
// amortised the same way in every row.
void BM_EngineRing(benchmark::State& state) {
  const auto nodes = static_cast<std::uint32_t>(state.range(0));
  const auto tokens = static_cast<std::uint32_t>(state.range(1));
  const bool uniform = state.range(2) != 0;
  const std::uint32_t total = 1u << 20;
  const Scenario sc = ring_scenario(
      nodes, tokens, uniform ? Distribution::uniform(ms(1), ms(5)) : Distribution::fixed(ms(1)));
  const TokenRing proto{nodes, total / tokens};
  std::uint64_t delivered = 0, events = 0;
  for (auto _ : state) {
    auto r = Simulator<TokenRing>::run(sc, proto, RunOptions{1, nullptr});
    if (!r || r->end != EndReason::quiescent) {
      state.SkipWithError("ring run did not finish");
      return;
    }
    delivered += r->delivered;
    events += r->events;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(delivered));  // items = deliveries
  state.counters["deliveries_per_run"] =
      static_cast<double>(delivered) / static_cast<double>(state.iterations());
  state.counters["events_per_s"] =
      benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.SetLabel(uniform ? "uniform[1ms,5ms]" : "fixed 1ms");
}
BENCHMARK(BM_EngineRing)
    ->ArgNames({"nodes", "tokens", "uniform"})
    ->Args({8, 1, 0})
    ->Args({8, 64, 0})
    ->Args({64, 1024, 0})
    ->Args({64, 16384, 0})
    ->Args({64, 1024, 1})
    ->Unit(benchmark::kMillisecond);

// The same ring with tracing on, into a sink that only counts: the price of producing trace
// events (without formatting or writing them).
class CountingSink final : public TraceSink {
 public:
  void event(const TraceEvent& e) override { count_ += e.kind == TraceKind::deliver; }
  std::uint64_t count() const { return count_; }

 private:
  std::uint64_t count_ = 0;
};

void BM_EngineRingCountingSink(benchmark::State& state) {
  const std::uint32_t nodes = 64, tokens = 1024, total = 1u << 20;
  const Scenario sc = ring_scenario(nodes, tokens, Distribution::fixed(ms(1)));
  const TokenRing proto{nodes, total / tokens};
  std::uint64_t delivered = 0;
  for (auto _ : state) {
    CountingSink sink;
    auto r = Simulator<TokenRing>::run(sc, proto, RunOptions{1, &sink});
    if (!r || r->end != EndReason::quiescent || sink.count() != r->delivered) {
      state.SkipWithError("ring run did not finish");
      return;
    }
    delivered += r->delivered;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(delivered));
}
BENCHMARK(BM_EngineRingCountingSink)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace txsim
