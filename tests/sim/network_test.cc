// The network model, measured from traces of the "ping" protocol: loss and duplication rates,
// latency bounds and mean, FIFO versus unordered links, per-link overrides, and partitions
// (symmetric groups and one-way cuts) that drop exactly the cut directions until healed.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "tests/sim/sim_test_support.h"

namespace txsim::test {
namespace {

struct SendInfo {
  Micros time;
  NodeId from, to;
};

std::map<std::uint64_t, SendInfo> sends_by_id(const CaptureSink& sink) {
  std::map<std::uint64_t, SendInfo> out;
  for (const Captured& e : sink.of(TraceKind::send)) out[e.msg_id] = {e.time, e.node, e.peer};
  return out;
}

// Delivery delay of every delivered copy, with its link.
struct Delay {
  NodeId from, to;
  Micros us;
};
std::vector<Delay> delays(const CaptureSink& sink) {
  const auto sent = sends_by_id(sink);
  std::vector<Delay> out;
  for (const Captured& e : sink.of(TraceKind::deliver))
    out.push_back({e.peer, e.node, e.time - sent.at(e.msg_id).time});
  return out;
}

int done_count(const CaptureSink& sink) {
  int n = 0;
  for (const Captured& e : sink.of(TraceKind::observe))
    n += e.obs.kind == ObsKind::phase && e.obs.value == int(PingPhase::done);
  return n;
}

TEST(Network, LossRateMatchesTheProbability) {
  const Scenario sc =
      must_load(ping_yaml("{latency: {fixed: 1ms}, loss: 0.3}", 100, 100), ping_context());
  std::uint64_t sent = 0, lost = 0;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    CaptureSink sink;
    const RunResult r = must_run_ping(sc, seed, &sink);
    EXPECT_EQ(r.end, EndReason::quiescent) << "retries get every transaction through";
    EXPECT_EQ(done_count(sink), 100);
    sent += sink.count(TraceKind::send);
    for (const Captured& d : sink.of(TraceKind::drop)) {
      EXPECT_EQ(d.text, "loss");
      ++lost;
    }
    EXPECT_EQ(sink.count(TraceKind::send),
              sink.count(TraceKind::drop) + sink.count(TraceKind::deliver))
        << "every message is either lost or delivered once";
    EXPECT_EQ(r.dropped, sink.count(TraceKind::drop));
    EXPECT_EQ(r.sent, sink.count(TraceKind::send));
  }
  ASSERT_GT(sent, 3000u);
  EXPECT_NEAR(double(lost) / double(sent), 0.3, 0.025);  // standard error about 0.008
}

TEST(Network, NoLossNoDuplicationDeliversEverythingOnce) {
  const Scenario sc =
      must_load(ping_yaml("{latency: {uniform: [1ms, 5ms]}}", 20, 300), ping_context());
  CaptureSink sink;
  const RunResult r = must_run_ping(sc, 3, &sink);
  EXPECT_EQ(sink.count(TraceKind::drop), 0u);
  EXPECT_EQ(sink.count(TraceKind::duplicate), 0u);
  EXPECT_EQ(r.sent, 120u);
  EXPECT_EQ(r.delivered, 120u);
  EXPECT_EQ(sink.count(TraceKind::timer), 0u) << "everything answered within the 10ms retry";
}

TEST(Network, UniformLatencyStaysInBoundsWithMeanInTheMiddle) {
  const Scenario sc = must_load(
      ping_yaml("{latency: {uniform: [1ms, 5ms]}, links: unordered}", 100, 100), ping_context());
  double sum = 0;
  std::size_t n = 0;
  Micros lo = sec(1), hi = 0;
  for (std::uint64_t seed = 1; seed <= 5; ++seed) {
    CaptureSink sink;
    must_run_ping(sc, seed, &sink);
    for (const Delay& d : delays(sink)) {
      ASSERT_GE(d.us, 1000);
      ASSERT_LE(d.us, 5000);
      lo = std::min(lo, d.us);
      hi = std::max(hi, d.us);
      sum += double(d.us);
      ++n;
    }
  }
  ASSERT_GE(n, 3000u);
  EXPECT_NEAR(sum / double(n), 3000, 60);  // standard error about 21us
  EXPECT_LT(lo, 1050);
  EXPECT_GT(hi, 4950);
}

TEST(Network, FifoDelaysStayInsideTheLatencyBounds) {
  // FIFO may hold a message back behind an earlier one, never beyond that one's arrival.
  const Scenario sc =
      must_load(ping_yaml("{latency: {uniform: [1ms, 5ms]}}", 100, 100), ping_context());
  CaptureSink sink;
  must_run_ping(sc, 8, &sink);
  for (const Delay& d : delays(sink)) {
    EXPECT_GE(d.us, 1000);
    EXPECT_LE(d.us, 5000);
  }
}

TEST(Network, DuplicationRateMatchesAndEachCopyIsDelivered) {
  const Scenario sc = must_load(
      ping_yaml("{latency: {uniform: [1ms, 3ms]}, duplicate: 0.2}", 100, 100), ping_context());
  std::uint64_t sent = 0, dups = 0;
  for (std::uint64_t seed = 1; seed <= 4; ++seed) {
    CaptureSink sink;
    const RunResult r = must_run_ping(sc, seed, &sink);
    EXPECT_EQ(r.end, EndReason::quiescent);
    std::set<std::uint64_t> duplicated;
    for (const Captured& e : sink.of(TraceKind::duplicate)) duplicated.insert(e.msg_id);
    std::map<std::uint64_t, int> copies;
    for (const Captured& e : sink.of(TraceKind::deliver)) ++copies[e.msg_id];
    for (const auto& [id, info] : sends_by_id(sink))
      EXPECT_EQ(copies[id], duplicated.count(id) ? 2 : 1) << "message " << id;
    EXPECT_EQ(r.duplicated, duplicated.size());
    sent += sink.count(TraceKind::send);
    dups += duplicated.size();
  }
  ASSERT_GT(sent, 2000u);
  EXPECT_NEAR(double(dups) / double(sent), 0.2, 0.025);
}

// Count of (earlier sent, later delivered first) pairs per link, over every link.
int reorderings(const CaptureSink& sink) {
  std::map<std::pair<NodeId, NodeId>, std::uint64_t> last_id;
  int inversions = 0;
  for (const Captured& e : sink.of(TraceKind::deliver)) {
    std::uint64_t& last = last_id[{e.peer, e.node}];
    if (e.msg_id < last) ++inversions;
    last = std::max(last, e.msg_id);
  }
  return inversions;
}

TEST(Network, FifoLinksNeverReorder) {
  const Scenario sc = must_load(
      ping_yaml("{latency: {uniform: [1ms, 5ms]}, duplicate: 0.1}", 60, 200), ping_context());
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    CaptureSink sink;
    must_run_ping(sc, seed, &sink);
    EXPECT_EQ(reorderings(sink), 0) << "seed " << seed;
  }
}

TEST(Network, UnorderedLinksDoReorder) {
  const Scenario sc = must_load(
      ping_yaml("{latency: {uniform: [1ms, 5ms]}, links: unordered}", 60, 200), ping_context());
  int total = 0;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    CaptureSink sink;
    must_run_ping(sc, seed, &sink);
    total += reorderings(sink);
  }
  EXPECT_GT(total, 50) << "messages 200us apart with 4ms of jitter overtake each other often";
}

TEST(Network, LatencyOverrideAppliesOnlyToItsLink) {
  const Scenario sc = must_load(
      ping_yaml("{latency: {fixed: 1ms}, overrides: [{from: A, to: B, latency: {fixed: 7ms}}]}", 10,
                500),
      ping_context());
  CaptureSink sink;
  must_run_ping(sc, 1, &sink);
  int ab = 0;
  for (const Delay& d : delays(sink)) {
    if (d.from == kA && d.to == kB) {
      EXPECT_EQ(d.us, 7000);
      ++ab;
    } else {
      EXPECT_EQ(d.us, 1000) << sc.nodes[d.from].name << " -> " << sc.nodes[d.to].name;
    }
  }
  EXPECT_EQ(ab, 10);
}

TEST(Network, LossOverrideToOneNodeLeavesOtherLinksAlone) {
  const Scenario sc =
      must_load(ping_yaml("{latency: {fixed: 1ms}, overrides: [{to: C, loss: 0.5}]}", 100, 100),
                ping_context());
  std::uint64_t to_c = 0, lost = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    CaptureSink sink;
    must_run_ping(sc, seed, &sink);
    EXPECT_EQ(done_count(sink), 100);
    for (const Captured& d : sink.of(TraceKind::drop)) {
      EXPECT_EQ(d.node, kC) << "only messages to C are lost";
      ++lost;
    }
    for (const Captured& s : sink.of(TraceKind::send)) to_c += s.peer == kC;
  }
  ASSERT_GT(to_c, 500u);
  EXPECT_NEAR(double(lost) / double(to_c), 0.5, 0.05);
}

TEST(Network, LaterOverridesWin) {
  const Scenario sc =
      must_load(ping_yaml("{latency: {fixed: 1ms}, overrides: [{from: A, latency: {fixed: 9ms}}, "
                          "{from: A, to: D, latency: {fixed: 2ms}}]}"),
                ping_context());
  CaptureSink sink;
  must_run_ping(sc, 1, &sink);
  for (const Delay& d : delays(sink)) {
    const Micros want = d.from != kA ? 1000 : d.to == kD ? 2000 : 9000;
    EXPECT_EQ(d.us, want) << sc.nodes[d.from].name << " -> " << sc.nodes[d.to].name;
  }
}

bool same_side(NodeId a, NodeId b) { return (a <= kB) == (b <= kB); }  // {A, B} | {C, D}

TEST(Network, SymmetricPartitionDropsCrossTrafficUntilHealed) {
  const Scenario sc = must_load(ping_yaml("{latency: {fixed: 1ms}}", 1, 0,
                                          "faults:\n"
                                          "  - {when: {at: 0ms}, partition: [[A, B], [C, D]]}\n"
                                          "  - {when: {at: 25ms}, heal: true}\n"),
                                ping_context());
  CaptureSink sink;
  const RunResult r = must_run_ping(sc, 1, &sink);
  ASSERT_EQ(sink.count(TraceKind::partition), 1u);
  EXPECT_EQ(sink.of(TraceKind::partition)[0].text, "{A, B} | {C, D}");
  ASSERT_EQ(sink.count(TraceKind::heal), 1u);
  EXPECT_EQ(sink.of(TraceKind::heal)[0].time, 25000);
  const auto drops = sink.of(TraceKind::drop);
  EXPECT_EQ(drops.size(), 6u) << "Pings to C and D at 0, 10 and 20ms";
  for (const Captured& d : drops) {
    EXPECT_EQ(d.text, "partition");
    EXPECT_FALSE(same_side(d.peer, d.node));
    EXPECT_LT(d.time, 25000);
  }
  for (const Captured& d : sink.of(TraceKind::deliver)) {
    if (d.time < 25000) {
      EXPECT_TRUE(same_side(d.peer, d.node)) << d.time;
    }
  }
  EXPECT_EQ(done_count(sink), 1) << "healing restores delivery";
  EXPECT_EQ(r.end, EndReason::quiescent);
  EXPECT_EQ(r.partitions, 1u);
}

TEST(Network, PartitionOfOneGroupPutsTheRestTogether) {
  const Scenario sc = must_load(
      ping_yaml("{latency: {fixed: 1ms}}", 1, 0,
                "faults: [{when: {at: 0ms}, partition: [[C]]}, {when: {at: 5ms}, heal: true}]\n"),
      ping_context());
  CaptureSink sink;
  must_run_ping(sc, 1, &sink);
  EXPECT_EQ(sink.of(TraceKind::partition).at(0).text, "{C} | {A, B, D}");
  const auto drops = sink.of(TraceKind::drop);
  ASSERT_EQ(drops.size(), 1u);
  EXPECT_EQ(drops[0].node, kC);
}

TEST(Network, OneWayCutDropsOnlyItsDirection) {
  const Scenario sc = must_load(ping_yaml("{latency: {fixed: 1ms}}", 1, 0,
                                          "faults:\n"
                                          "  - {when: {at: 0ms}, cut: {from: [C], to: A}}\n"
                                          "  - {when: {at: 25ms}, heal: true}\n"),
                                ping_context());
  CaptureSink sink;
  const RunResult r = must_run_ping(sc, 1, &sink);
  EXPECT_EQ(sink.of(TraceKind::partition).at(0).text, "cut C -> A");
  const auto drops = sink.of(TraceKind::drop);
  EXPECT_EQ(drops.size(), 3u) << "C's Pongs to the Pings of 0, 10 and 20ms";
  for (const Captured& d : drops) {
    EXPECT_EQ(d.peer, kC);
    EXPECT_EQ(d.node, kA);
    EXPECT_EQ(d.type, "Pong");
    EXPECT_EQ(d.text, "partition");
  }
  int a_to_c = 0;
  for (const Captured& d : sink.of(TraceKind::deliver)) a_to_c += d.peer == kA && d.node == kC;
  EXPECT_EQ(a_to_c, 4) << "A -> C still works: Pings at 0, 10, 20 and 30ms arrive";
  EXPECT_EQ(done_count(sink), 1);
  EXPECT_EQ(r.end, EndReason::quiescent);
}

TEST(Network, LinkParametersResolveFromOverrides) {
  const Scenario sc = must_load(
      ping_yaml("{latency: {fixed: 1ms}, loss: 0.1, overrides: [{from: B, duplicate: 0.4}]}"),
      ping_context());
  const LinkTable t(sc);
  EXPECT_TRUE(t.fifo());
  EXPECT_EQ(t.at(kB, kA).duplicate, 0.4);
  EXPECT_EQ(t.at(kB, kA).loss, 0.1);
  EXPECT_EQ(t.at(kA, kB).duplicate, 0.0);
  EXPECT_EQ(t.at(kC, kA).latency, Distribution::fixed(ms(1)));
}

TEST(Network, PartitionStateConnectivity) {
  const Scenario sc = must_load(ping_yaml("{latency: {fixed: 1ms}}"), ping_context());
  PartitionState p(4);
  EXPECT_TRUE(p.whole());
  FaultAction split;
  split.kind = FaultAction::Kind::partition;
  split.groups = {{kA, kB}, {kC, kD}};
  p.apply(split);
  EXPECT_FALSE(p.whole());
  EXPECT_TRUE(p.connected(kA, kB));
  EXPECT_TRUE(p.connected(kC, kD));
  EXPECT_FALSE(p.connected(kA, kC));
  EXPECT_FALSE(p.connected(kD, kB));
  EXPECT_TRUE(p.connected(kC, kC)) << "a node always reaches itself";
  FaultAction cut;
  cut.kind = FaultAction::Kind::partition;
  cut.cut_from = {kA};
  cut.cut_to = {kB};
  p.apply(cut);  // a cut adds to the grouping
  EXPECT_FALSE(p.connected(kA, kB));
  EXPECT_TRUE(p.connected(kB, kA));
  EXPECT_EQ(p.describe(sc), "{A, B} | {C, D}; cut A -> B");
  p.heal();
  EXPECT_TRUE(p.whole());
  EXPECT_EQ(p.describe(sc), "whole");
  for (NodeId a = 0; a < 4; ++a)
    for (NodeId b = 0; b < 4; ++b) EXPECT_TRUE(p.connected(a, b));
}

}  // namespace
}  // namespace txsim::test
