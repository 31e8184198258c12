// Determinism: the same scenario and seed give a byte-identical JSON Lines trace; different
// seeds give different runs; a sweep's summary does not depend on the number of threads.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>

#include "sim/sweep.h"
#include "tests/sim/sim_test_support.h"

namespace txsim::test {
namespace {

// The happy path of 2PC, made rough: loss, duplication, random latencies, three transactions
// (two of them contending for P1.a), so timeouts, retries and queries all happen.
const char* kRough =
    "name: 2pc-rough\n"
    "protocols: [two_phase]\n"
    "nodes: {coordinator: C, participants: [P1, P2, P3]}\n"
    "accounts: {P1: {a: 100}, P2: {b: 50}, P3: {c: 0}}\n"
    "workload:\n"
    "  transactions:\n"
    "    - id: t1\n"
    "      transfers: [{at: P1, account: a, amount: -10}, {at: P2, account: b, amount: 10},\n"
    "                  {at: P3, account: c, amount: 0}]\n"
    "    - {id: t2, at: 2ms, transfers: [{at: P1, account: a, amount: -5},\n"
    "                                     {at: P3, account: c, amount: 5}]}\n"
    "    - {id: t3, at: 40ms, transfers: [{at: P2, account: b, amount: -1},\n"
    "                                      {at: P3, account: c, amount: 1}]}\n"
    "network: {latency: {uniform: [1ms, 5ms]}, loss: 0.1, duplicate: 0.1, links: unordered}\n"
    "run: {time_limit: 2s}\n";

// The same with faults: a participant crashes on a trigger and recovers, a partition heals.
const char* kFaulty =
    "faults:\n"
    "  - when: {delivered: {to: P2, type: Prepare, count: 1}}\n"
    "    crash: P2\n"
    "    recover_after: 30ms\n"
    "  - {when: {at: 45ms}, partition: [[P3], [C, P1, P2]]}\n"
    "  - {when: {at: 90ms}, heal: true}\n";

Scenario rough(bool faults) {
  return must_load(std::string(kRough) + (faults ? kFaulty : ""), registry_context(), "rough.yaml");
}

std::string trace_of(const Scenario& sc, std::uint64_t seed, bool states = false) {
  const ProtocolInfo* tp = find_protocol("two_phase");
  char* buf = nullptr;
  std::size_t len = 0;
  std::FILE* f = open_memstream(&buf, &len);
  if (f == nullptr) throw std::runtime_error("open_memstream failed");
  {
    JsonlTraceWriter w(f, states);
    auto r = tp->run(sc, RunOptions{seed, &w});
    if (!r) throw std::runtime_error(r.error().message);
  }
  std::fclose(f);
  std::string out(buf, len);
  std::free(buf);
  return out;
}

std::string body(const std::string& trace) { return trace.substr(trace.find('\n') + 1); }

TEST(Determinism, SameSeedGivesByteIdenticalTraces) {
  for (bool faults : {false, true}) {
    const Scenario sc = rough(faults);
    for (std::uint64_t seed = 1; seed <= 200; ++seed) {
      const std::string a = trace_of(sc, seed), b = trace_of(sc, seed);
      ASSERT_FALSE(a.empty());
      ASSERT_EQ(a, b) << "seed " << seed << (faults ? " with faults" : "");
    }
  }
}

TEST(Determinism, SameSeedGivesIdenticalTracesWithStates) {
  const Scenario sc = rough(true);
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const std::string a = trace_of(sc, seed, true);
    EXPECT_NE(a.find("\"ev\":\"state\""), std::string::npos);
    ASSERT_EQ(a, trace_of(sc, seed, true)) << "seed " << seed;
  }
}

TEST(Determinism, TraceHasHeaderFirstAndEndLast) {
  const std::string t = trace_of(rough(false), 17);
  EXPECT_EQ(t.rfind("{\"format\":\"txsim-trace\",\"version\":1,", 0), 0u) << t.substr(0, 80);
  EXPECT_NE(t.substr(0, t.find('\n')).find("\"seed\":17"), std::string::npos);
  const std::size_t last = t.rfind('\n', t.size() - 2);
  EXPECT_NE(t.substr(last + 1).find("\"ev\":\"end\""), std::string::npos);
  EXPECT_EQ(t.back(), '\n');
}

TEST(Determinism, DifferentSeedsGiveDifferentRuns) {
  for (bool faults : {false, true}) {
    const Scenario sc = rough(faults);
    std::set<std::string> bodies;
    for (std::uint64_t seed = 1; seed <= 200; ++seed) bodies.insert(body(trace_of(sc, seed)));
    EXPECT_GE(bodies.size(), 195u) << "random latencies make almost every run unique";
  }
}

TEST(Determinism, TheScenarioSeedIsNotUsedWhenTheRunSeedDiffers) {
  // RunOptions::seed drives the run; two runs that differ only in it must differ.
  const Scenario sc = rough(false);
  EXPECT_NE(body(trace_of(sc, 1)), body(trace_of(sc, 2)));
}

TEST(Determinism, PingRunsAreDeterministicToo) {
  const Scenario sc = must_load(
      ping_yaml("{latency: {exponential: {mean: 2ms}}, loss: 0.2, duplicate: 0.1}", 20, 500,
                "faults: [{when: {sent: {type: Pong, count: 7}}, crash: A, "
                "recover_after: 15ms}]\n"),
      ping_context());
  for (std::uint64_t seed = 1; seed <= 50; ++seed) {
    auto run = [&](TraceSink* s) { must_run_ping(sc, seed, s); };
    ASSERT_EQ(jsonl_of(run), jsonl_of(run)) << "seed " << seed;
  }
}

void expect_same(const Percentiles& a, const Percentiles& b, const char* what) {
  EXPECT_EQ(a.p50, b.p50) << what;
  EXPECT_EQ(a.p99, b.p99) << what;
  EXPECT_EQ(a.max, b.max) << what;
  EXPECT_EQ(a.count, b.count) << what;
}

void expect_same(const SweepSummary& a, const SweepSummary& b) {
  EXPECT_EQ(a.seed_first, b.seed_first);
  EXPECT_EQ(a.seed_last, b.seed_last);
  EXPECT_EQ(a.runs, b.runs);
  EXPECT_EQ(a.outcomes, b.outcomes);
  ASSERT_EQ(a.violations.size(), b.violations.size());
  for (const auto& [id, broken] : a.violations) {
    ASSERT_TRUE(b.violations.count(id)) << id;
    EXPECT_EQ(broken.runs, b.violations.at(id).runs) << id;
    EXPECT_EQ(broken.first_seed, b.violations.at(id).first_seed) << id;
  }
  EXPECT_EQ(a.blocked_runs, b.blocked_runs);
  EXPECT_EQ(a.expectation_misses, b.expectation_misses);
  EXPECT_EQ(a.first_miss_seed, b.first_miss_seed);
  expect_same(a.decision_latency_us, b.decision_latency_us, "decision latency");
  expect_same(a.in_doubt_us, b.in_doubt_us, "in doubt");
  EXPECT_EQ(a.messages_per_tx, b.messages_per_tx);  // same fold order: exactly equal
}

TEST(Determinism, SweepSummaryDoesNotDependOnThreadCount) {
  for (bool faults : {false, true}) {
    const Scenario sc = rough(faults);
    const RunFn run = find_protocol("two_phase")->run;
    std::atomic<std::uint64_t> calls{0};
    SweepOptions one{1, 200, 1, {}};
    SweepOptions four{1, 200, 4, [&](std::uint64_t) { ++calls; }};
    const auto a = sweep(sc, run, one);
    const auto b = sweep(sc, run, four);
    ASSERT_TRUE(a.ok()) << a.error().message;
    ASSERT_TRUE(b.ok()) << b.error().message;
    expect_same(*a, *b);
    EXPECT_EQ(calls.load(), 200u) << "progress reports every finished run";
    EXPECT_EQ(a->runs, 200u);
    std::uint64_t per_tx = 0;
    for (const auto& [outcome, n] : a->outcomes) per_tx += n;
    EXPECT_EQ(per_tx, 600u) << "three transactions per run";
    EXPECT_GT(a->decision_latency_us.count, 0u);
    EXPECT_GT(a->messages_per_tx, 0);
  }
}

TEST(Determinism, SweepAgreesWithIndividualRuns) {
  const Scenario sc = rough(true);
  const RunFn run = find_protocol("two_phase")->run;
  const auto s = sweep(sc, run, SweepOptions{1, 40, 3, {}});
  ASSERT_TRUE(s.ok());
  std::map<std::string, std::uint64_t> outcomes;
  std::uint64_t blocked = 0;
  for (std::uint64_t seed = 1; seed <= 40; ++seed) {
    auto r = run(sc, RunOptions{seed, nullptr});
    ASSERT_TRUE(r.ok());
    for (const TxResult& t : r->txs) ++outcomes[std::string(to_string(t.outcome))];
    blocked += r->blocked();
  }
  EXPECT_EQ(s->outcomes, outcomes);
  EXPECT_EQ(s->blocked_runs, blocked);
}

TEST(Determinism, SweepRejectsAnEmptyRange) {
  const Scenario sc = rough(false);
  EXPECT_FALSE(sweep(sc, find_protocol("two_phase")->run, SweepOptions{5, 4, 1, {}}).ok());
}

TEST(Determinism, PercentilesUseNearestRank) {
  const Percentiles p = percentiles({5, 1, 4, 2, 3, 6, 7, 8, 9, 10});
  EXPECT_EQ(p.count, 10u);
  EXPECT_EQ(p.p50, 5);
  EXPECT_EQ(p.p99, 10);
  EXPECT_EQ(p.max, 10);
  const Percentiles none = percentiles({});
  EXPECT_EQ(none.count, 0u);
  EXPECT_EQ(none.max, 0);
}

}  // namespace
}  // namespace txsim::test
