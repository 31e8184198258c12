// Faults and triggers: crashes at a time and on trace events, recovery from the last persisted
// durable state, crash_during cutting a handler's effect list after exactly k effects, count
// and filters of `sent` / `delivered` / `state` triggers, drop and delay of the matched message,
// input errors, and the 2PC torn broadcast.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "tests/sim/sim_test_support.h"

namespace txsim::test {
namespace {

// Pings from A take 1ms; Pongs from B, C and D take 1, 2 and 3ms, so with one request at 0
// A hears B at 2ms, C at 3ms and D at 4ms.
const char* kStaggered =
    "{latency: {fixed: 1ms}, overrides: [{from: C, to: A, latency: {fixed: 2ms}}, "
    "{from: D, to: A, latency: {fixed: 3ms}}]}";

Scenario ping_with(const std::string& network, const std::string& extra, int txs = 1,
                   Micros spacing = 0) {
  return must_load(ping_yaml(network, txs, spacing, extra), ping_context());
}

std::size_t index_of(const CaptureSink& sink, TraceKind kind, NodeId node) {
  for (std::size_t i = 0; i < sink.events.size(); ++i)
    if (sink.events[i].kind == kind && sink.events[i].node == node) return i;
  return sink.events.size();
}

TEST(Faults, CrashAtTimeSilencesTheNodeAndDropsMessagesToIt) {
  const Scenario sc = ping_with("{latency: {fixed: 5ms}}",
                                "faults: [{when: {at: 2ms}, crash: B}]\n"
                                "run: {time_limit: 100ms}\n");
  CaptureSink sink;
  const RunResult r = must_run_ping(sc, 1, &sink);
  const auto crashes = sink.of(TraceKind::crash);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].node, kB);
  EXPECT_EQ(crashes[0].time, 2000);
  EXPECT_EQ(crashes[0].value, -1) << "B was idle";
  for (std::size_t i = index_of(sink, TraceKind::crash, kB); i < sink.events.size(); ++i) {
    const Captured& e = sink.events[i];
    const bool handler_evidence = e.kind == TraceKind::send || e.kind == TraceKind::deliver ||
                                  e.kind == TraceKind::timer || e.kind == TraceKind::observe;
    EXPECT_FALSE(handler_evidence && e.node == kB) << "a down node runs no handler, at " << i;
  }
  const auto drops = sink.of(TraceKind::drop);
  EXPECT_EQ(drops.size(), 10u) << "Pings sent at 0, 10, ..., 90ms arrive at 5, ..., 95ms";
  for (const Captured& d : drops) {
    EXPECT_EQ(d.node, kB);
    EXPECT_EQ(d.text, "receiver down");
  }
  EXPECT_EQ(r.end, EndReason::time_limit) << "A keeps asking B";
  EXPECT_EQ(r.crashes, 1u);
}

TEST(Faults, RecoverAfterRestoresTheDiskResetsVolatileAndRunsOnRecover) {
  const Scenario sc = ping_with(kStaggered,
                                "faults:\n"
                                "  - when: {delivered: {from: C, to: A, type: Pong}}\n"
                                "    crash: A\n"
                                "    recover_after: 10ms\n");
  CaptureSink sink(/*states=*/true);
  const RunResult r = must_run_ping(sc, 1, &sink);
  ASSERT_EQ(sink.count(TraceKind::crash), 1u);
  EXPECT_EQ(sink.of(TraceKind::crash)[0].time, 3000);
  const auto recovers = sink.of(TraceKind::recover);
  ASSERT_EQ(recovers.size(), 1u);
  EXPECT_EQ(recovers[0].time, 13000);
  EXPECT_EQ(recovers[0].node, kA);
  // D's Pong arrives while A is down.
  const auto drops = sink.of(TraceKind::drop);
  ASSERT_EQ(drops.size(), 1u);
  EXPECT_EQ(drops[0].peer, kD);
  EXPECT_EQ(drops[0].text, "receiver down");
  // The state right after on_recover: two pongs were on disk; who answered was forgotten.
  const std::size_t rec = index_of(sink, TraceKind::recover, kA);
  std::string after;
  for (std::size_t i = rec; i < sink.events.size() && after.empty(); ++i)
    if (sink.events[i].kind == TraceKind::state) after = sink.events[i].text;
  EXPECT_EQ(after, R"({"pongs":2,"started":["t1"],"done":[],)"
                   R"("waiting":[{"tx":"t1","missing":["B","C","D"]}]})");
  int pings_after = 0;
  for (std::size_t i = rec; i < sink.events.size(); ++i)
    pings_after += sink.events[i].kind == TraceKind::send && sink.events[i].type == "Ping";
  EXPECT_EQ(pings_after, 3) << "on_recover pinged everybody again";
  EXPECT_EQ(sink.count(TraceKind::timer), 0u) << "the retry timer armed before the crash died";
  EXPECT_EQ(sink.of(TraceKind::state).back().text,
            R"({"pongs":5,"started":["t1"],"done":["t1"],"waiting":[]})");
  EXPECT_EQ(r.end, EndReason::quiescent);
}

TEST(Faults, TimerArmedBeforeACrashNeverFiresAfterRecovery) {
  // A arms its retry for 10ms, crashes at 3ms, is back at 5ms and re-arms for 15ms. D's
  // first Pong (12ms on the wire) finishes the round at 13ms. The 10ms timer belonged to the
  // crashed incarnation and must stay silent although A is up and still waiting then.
  const Scenario sc =
      ping_with("{latency: {fixed: 1ms}, overrides: [{from: D, to: A, latency: {fixed: 12ms}}]}",
                "faults: [{when: {at: 3ms}, crash: A, recover_after: 2ms}]\n");
  CaptureSink sink;
  const RunResult r = must_run_ping(sc, 1, &sink);
  EXPECT_EQ(sink.count(TraceKind::timer), 0u);
  ASSERT_EQ(sink.count(TraceKind::recover), 1u);
  EXPECT_EQ(sink.of(TraceKind::recover)[0].time, 5000);
  Micros done_at = -1;
  for (const Captured& e : sink.of(TraceKind::observe))
    if (e.obs.value == int(PingPhase::done)) done_at = e.time;
  EXPECT_EQ(done_at, 13000);
  EXPECT_EQ(r.end, EndReason::quiescent);
}

TEST(Faults, RecoveryStartsFromTheLastAppliedPersistNotFromMemory) {
  // B's Pong is handled (pongs = 1, persisted); then C's Pong handler is cut before its
  // persist, so the disk still says 1 although memory said 2.
  const Scenario sc = ping_with(kStaggered,
                                "faults:\n"
                                "  - when: {delivered: {from: B, to: A, type: Pong}}\n"
                                "    crash_during: {node: A, after_effects: 0}\n"
                                "  - {when: {at: 20ms}, recover: A}\n");
  CaptureSink sink(/*states=*/true);
  const RunResult r = must_run_ping(sc, 1, &sink);
  const auto crashes = sink.of(TraceKind::crash);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].time, 3000) << "the handler of C's Pong";
  EXPECT_EQ(crashes[0].value, 0);
  const std::size_t rec = index_of(sink, TraceKind::recover, kA);
  ASSERT_LT(rec, sink.events.size());
  EXPECT_EQ(sink.events[rec].time, 20000);
  std::string after;
  for (std::size_t i = rec; i < sink.events.size() && after.empty(); ++i)
    if (sink.events[i].kind == TraceKind::state) after = sink.events[i].text;
  EXPECT_EQ(after.rfind(R"({"pongs":1,)", 0), 0u) << after;
  EXPECT_EQ(sink.of(TraceKind::state).back().text,
            R"({"pongs":4,"started":["t1"],"done":["t1"],"waiting":[]})");
  EXPECT_EQ(r.end, EndReason::quiescent);
}

TEST(Faults, CrashDuringCutsExactlyTheEffectsAfterK) {
  // A's on_request emits: persist, observe waiting, Ping B, Ping C, Ping D, set timer.
  for (int k = 0; k <= 7; ++k) {
    SCOPED_TRACE("after_effects " + std::to_string(k));
    const Scenario sc = must_load(
        "name: cut\nprotocols: [ping]\nnodes: {coordinator: A, participants: [B, C, D]}\n"
        "accounts: {B: {x: 0}}\n"
        "workload: {transactions: [{id: t1, at: 1ms, transfers: [{at: B, account: x, "
        "amount: 0}]}]}\n"
        "network: {latency: {fixed: 1ms}}\n"
        "faults: [{when: {at: 0ms}, crash_during: {node: A, after_effects: " +
            std::to_string(k) + "}}]\n",
        ping_context());
    CaptureSink sink;
    const RunResult r = must_run_ping(sc, 1, &sink);
    const auto crashes = sink.of(TraceKind::crash);
    ASSERT_EQ(crashes.size(), 1u);
    EXPECT_EQ(crashes[0].node, kA);
    EXPECT_EQ(crashes[0].time, 1000);
    // A persist and the observations right after it are one atomic step (sim/effects.h):
    // a cut asked for between them moves after them.
    EXPECT_EQ(crashes[0].value, k == 1 ? 2 : std::min(k, 6)) << "effects applied before the cut";
    int pings = 0;
    for (const Captured& e : sink.of(TraceKind::send)) pings += e.node == kA;
    EXPECT_EQ(pings, std::clamp(k - 2, 0, 3));
    int waiting = 0;
    for (const Captured& e : sink.of(TraceKind::observe)) waiting += e.node == kA;
    EXPECT_EQ(waiting, k >= 1 ? 1 : 0);
    EXPECT_EQ(r.end, EndReason::quiescent) << "the timer, if set, died with the node";
    EXPECT_EQ(sink.count(TraceKind::timer), 0u);
  }
}

TEST(Faults, CrashCutNeverFallsBetweenAPersistAndItsObservations) {
  auto list = [](std::initializer_list<EffectKind> kinds) {
    std::vector<Effect> out;
    for (EffectKind k : kinds) out.push_back(Effect{k});
    return out;
  };
  using K = EffectKind;
  const auto l = list({K::persist, K::observe, K::observe, K::send, K::observe, K::persist});
  EXPECT_TRUE(crash_cut_allowed(l, 0));
  EXPECT_FALSE(crash_cut_allowed(l, 1)) << "between the persist and its first observation";
  EXPECT_FALSE(crash_cut_allowed(l, 2)) << "or its second";
  EXPECT_TRUE(crash_cut_allowed(l, 3));
  EXPECT_TRUE(crash_cut_allowed(l, 4)) << "an observation after a send is not protected";
  EXPECT_TRUE(crash_cut_allowed(l, 5));
  EXPECT_TRUE(crash_cut_allowed(l, 6)) << "after the whole list";
  EXPECT_TRUE(crash_cut_allowed(list({K::observe, K::send}), 0));
}

TEST(Faults, SentTriggerWithCountFiresOnTheNthMatchOnlyOnce) {
  const Scenario sc = ping_with("{latency: {fixed: 1ms}}",
                                "faults: [{when: {sent: {from: A, type: Ping, count: 2}}, "
                                "drop: true}]\n");
  CaptureSink sink;
  const RunResult r = must_run_ping(sc, 1, &sink);
  std::vector<Captured> pings;
  for (const Captured& s : sink.of(TraceKind::send))
    if (s.type == "Ping") pings.push_back(s);
  ASSERT_GE(pings.size(), 4u) << "the dropped Ping is resent by the retry";
  const auto drops = sink.of(TraceKind::drop);
  ASSERT_EQ(drops.size(), 1u) << "later matches do not fire again";
  EXPECT_EQ(drops[0].text, "fault");
  EXPECT_EQ(drops[0].msg_id, pings[1].msg_id) << "the second Ping";
  EXPECT_EQ(drops[0].node, kC);
  EXPECT_EQ(r.end, EndReason::quiescent);
}

TEST(Faults, SentTriggerFiltersByDestinationAndTransaction) {
  const Scenario sc = ping_with("{latency: {fixed: 1ms}}",
                                "faults: [{when: {sent: {to: D, tx: t2}}, drop: true}]\n", 3, 1000);
  CaptureSink sink;
  must_run_ping(sc, 1, &sink);
  const auto drops = sink.of(TraceKind::drop);
  ASSERT_EQ(drops.size(), 1u);
  EXPECT_EQ(drops[0].node, kD);
  EXPECT_EQ(drops[0].tx, 1) << "t2";
  EXPECT_EQ(drops[0].type, "Ping");
}

// Delivery delay of each message id.
std::map<std::uint64_t, Micros> took_by_id(const CaptureSink& sink) {
  std::map<std::uint64_t, Micros> sent, took;
  for (const Captured& s : sink.of(TraceKind::send)) sent[s.msg_id] = s.time;
  for (const Captured& d : sink.of(TraceKind::deliver)) took[d.msg_id] = d.time - sent.at(d.msg_id);
  return took;
}

const char* kDelayFirstPingToC =
    "faults: [{when: {sent: {from: A, to: C, type: Ping}}, delay: 20ms}]\n";

TEST(Faults, DelayPostponesOnlyTheMatchedMessage) {
  const Scenario sc = ping_with("{latency: {fixed: 1ms}, links: unordered}", kDelayFirstPingToC);
  CaptureSink sink;
  must_run_ping(sc, 1, &sink);
  const std::uint64_t first_to_c = sink.of(TraceKind::send).at(1).msg_id;
  const auto took = took_by_id(sink);
  EXPECT_EQ(took.at(first_to_c), 21000);
  for (const auto& [id, us] : took) EXPECT_TRUE(id == first_to_c || us == 1000) << id;
  EXPECT_EQ(sink.count(TraceKind::timer), 1u) << "C's silence made A retry once at 10ms";
}

TEST(Faults, DelayedMessageHoldsBackLaterOnesOnAFifoLink) {
  const Scenario sc = ping_with("{latency: {fixed: 1ms}}", kDelayFirstPingToC);
  CaptureSink sink;
  must_run_ping(sc, 1, &sink);
  std::vector<Captured> to_c;
  for (const Captured& d : sink.of(TraceKind::deliver))
    if (d.node == kC) to_c.push_back(d);
  ASSERT_EQ(to_c.size(), 3u) << "the first Ping and the retries of 10 and 20ms";
  for (std::size_t i = 0; i < to_c.size(); ++i) {
    EXPECT_EQ(to_c[i].time, 21000) << "a retry may not overtake the delayed Ping";
    if (i > 0) {
      EXPECT_LT(to_c[i - 1].msg_id, to_c[i].msg_id);
    }
  }
}

TEST(Faults, DeliveredTriggerActsAfterTheHandlerRan) {
  const Scenario sc = ping_with("{latency: {fixed: 1ms}}",
                                "faults: [{when: {delivered: {to: B, type: Ping}}, crash: B}]\n"
                                "run: {time_limit: 50ms}\n");
  CaptureSink sink;
  must_run_ping(sc, 1, &sink);
  const std::size_t got = index_of(sink, TraceKind::deliver, kB);
  const std::size_t crash = index_of(sink, TraceKind::crash, kB);
  ASSERT_LT(crash, sink.events.size());
  ASSERT_EQ(crash, got + 2) << "deliver, B's Pong, then the crash";
  EXPECT_EQ(sink.events[got + 1].kind, TraceKind::send);
  EXPECT_EQ(sink.events[got + 1].node, kB);
  EXPECT_EQ(sink.events[got + 1].type, "Pong");
  EXPECT_EQ(sink.events[crash].value, -1) << "the handler had finished";
  bool pong_from_b_arrived = false;
  for (const Captured& d : sink.of(TraceKind::deliver)) pong_from_b_arrived |= d.peer == kB;
  EXPECT_TRUE(pong_from_b_arrived) << "what B sent before crashing is in flight";
}

TEST(Faults, StateTriggerFiresWhenTheNodeEntersThePhase) {
  // The crash fires on the observe effect itself: the Pings after it are cut.
  const Scenario sc = ping_with("{latency: {fixed: 1ms}}",
                                "faults: [{when: {state: {node: A, enters: waiting, count: 2}}, "
                                "crash: A}]\n",
                                3, 1000);
  CaptureSink sink;
  const RunResult r = must_run_ping(sc, 1, &sink);
  const auto crashes = sink.of(TraceKind::crash);
  ASSERT_EQ(crashes.size(), 1u);
  EXPECT_EQ(crashes[0].time, 1000) << "t2, the second request, enters waiting";
  EXPECT_EQ(crashes[0].value, 2) << "persist and observe were applied";
  int t2_pings = 0;
  for (const Captured& s : sink.of(TraceKind::send)) t2_pings += s.tx == 1;
  EXPECT_EQ(t2_pings, 0);
  EXPECT_EQ(sink.of(TraceKind::request).at(2).text, "node down");
  EXPECT_EQ(r.crashes, 1u);
}

TEST(Faults, StateTriggerIgnoresOtherNodesAndPhases) {
  const Scenario sc = ping_with("{latency: {fixed: 1ms}}",
                                "faults: [{when: {state: {enters: done}}, "
                                "partition: [[A], [B, C, D]]}]\n");
  CaptureSink sink;
  must_run_ping(sc, 1, &sink);
  const auto parts = sink.of(TraceKind::partition);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_EQ(parts[0].time, 2000) << "when A entered done, not when it entered waiting";
}

int line_of(const std::string& text, const std::string& needle) {
  const std::size_t at = text.find(needle);
  return at == std::string::npos ? -1 : int(std::count(text.begin(), text.begin() + at, '\n')) + 1;
}

TEST(Faults, UnknownPhaseInStateTriggerIsAnErrorNamingTheLine) {
  const std::string text = ping_yaml("{latency: {fixed: 1ms}}", 1, 0,
                                     "faults:\n"
                                     "  - {when: {at: 1ms}, crash: B}\n"
                                     "  - when: {state: {node: A, enters: bogus}}\n"
                                     "    crash: A\n");
  const Scenario sc = must_load(text, ping_context(), "ping.yaml");
  const Result<RunResult> r = run_ping(sc, 1, nullptr);
  ASSERT_FALSE(r.ok());
  const std::string& m = r.error().message;
  const int line = line_of(text, "  - when: {state");
  EXPECT_EQ(m.rfind("ping.yaml:" + std::to_string(line) + ":", 0), 0u) << m;
  EXPECT_NE(m.find("no phase 'bogus'"), std::string::npos) << m;
  EXPECT_NE(m.find("idle, waiting, done"), std::string::npos) << m;
}

TEST(Faults, MatcherReportsFiringsInScenarioOrder) {
  const Scenario sc = ping_with("{latency: {fixed: 1ms}}",
                                "faults:\n"
                                "  - {when: {sent: {type: Pong}}, delay: 1ms}\n"
                                "  - {when: {sent: {from: B}}, delay: 2ms}\n");
  auto m = TriggerMatcher::make(sc, "ping", PingProtocol::phase_names());
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->active());
  std::vector<std::uint32_t> fired;
  TraceEvent ping{.kind = TraceKind::send, .node = kA, .peer = kB, .type = "Ping"};
  m->match(ping, fired);
  EXPECT_TRUE(fired.empty());
  TraceEvent pong{.kind = TraceKind::send, .node = kB, .peer = kA, .type = "Pong"};
  m->match(pong, fired);
  EXPECT_EQ(fired, (std::vector<std::uint32_t>{0, 1}));
  m->match(pong, fired);
  EXPECT_EQ(fired.size(), 2u) << "each fault fires at most once";
}

// ---- two-phase commit: the torn broadcast ---------------------------------------------------
const char* kTwoPhase =
    "name: torn\n"
    "protocols: [two_phase]\n"
    "nodes: {coordinator: C, participants: [P1, P2, P3]}\n"
    "accounts: {P1: {a: 100}, P2: {b: 50}, P3: {c: 0}}\n"
    "workload:\n"
    "  transactions:\n"
    "    - id: t1\n"
    "      transfers: [{at: P1, account: a, amount: -10}, {at: P2, account: b, amount: 10},\n"
    "                  {at: P3, account: c, amount: 0}]\n"
    "network: {latency: {uniform: [1ms, 5ms]}}\n"
    "run: {time_limit: 500ms}\n"
    "faults:\n"
    "  - when: {sent: {from: C, type: Commit, count: 1}}\n"
    "    crash: C\n";

TEST(Faults, TwoPhaseTornBroadcastSendsExactlyOneCommit) {
  const Scenario sc = must_load(kTwoPhase, registry_context());
  const ProtocolInfo* tp = find_protocol("two_phase");
  ASSERT_NE(tp, nullptr);
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    CaptureSink sink;
    auto r = tp->run(sc, RunOptions{seed, &sink});
    ASSERT_TRUE(r.ok()) << r.error().message;
    const std::size_t crash = index_of(sink, TraceKind::crash, 0);
    ASSERT_LT(crash, sink.events.size());
    int commits = 0;
    for (std::size_t i = 0; i < crash; ++i)
      commits += sink.events[i].kind == TraceKind::send && sink.events[i].type == "Commit";
    EXPECT_EQ(commits, 1);
    EXPECT_EQ(sink.events[crash - 1].kind, TraceKind::send) << "the crash follows the send";
    EXPECT_EQ(sink.events[crash - 1].type, "Commit");
    // decide_commit: persist, decide, phase, cancel timer, Commit to P1 -> 5 effects applied.
    EXPECT_EQ(sink.events[crash].value, 5);
    for (std::size_t i = crash; i < sink.events.size(); ++i)
      EXPECT_FALSE(sink.events[i].kind == TraceKind::send && sink.events[i].node == 0);
    EXPECT_TRUE(r->blocked()) << "P2 and P3 stay in doubt while C is down";
    EXPECT_FALSE(r->violated());
  }
}

}  // namespace
}  // namespace txsim::test
