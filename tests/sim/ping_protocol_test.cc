// The test "ping" protocol (tests/sim/ping_protocol.h) on its own: its handlers' effect lists,
// and a plain simulated run. The other engine tests rely on exactly this behaviour.
#include <gtest/gtest.h>

#include "tests/sim/sim_test_support.h"

namespace txsim::test {
namespace {

class PingHandlers : public ::testing::Test {
 protected:
  PingHandlers()
      : sc(must_load(ping_yaml("{latency: {fixed: 1ms}}", 2), ping_context())),
        proto(sc, sc.options.at("ping")) {}

  // "persist", "obs waiting t1", "send B Ping", "set retry t1 10ms", "cancel retry t1"
  std::vector<std::string> lines() {
    std::vector<std::string> out;
    for (const Effect& e : fx.list()) {
      switch (e.kind) {
        case EffectKind::send:
          out.push_back("send " + sc.nodes[e.to].name + " " +
                        std::string(proto.type_name(fx_msgs()[e.index])));
          break;
        case EffectKind::set_timer:
          out.push_back("set " + proto.timer_name(e.timer) + " " + format_duration(e.delay));
          break;
        case EffectKind::cancel_timer:
          out.push_back("cancel " + proto.timer_name(e.timer));
          break;
        case EffectKind::persist:
          out.push_back("persist");
          break;
        case EffectKind::observe:
          out.push_back("obs " + std::string(kPingPhases[std::size_t(e.obs.value)]) + " " +
                        sc.transactions[e.obs.tx].name);
          break;
        case EffectKind::choose:
          out.push_back("choose");
          break;
      }
    }
    return out;
  }
  std::vector<PingMsg>& fx_msgs() { return fx.messages(); }

  Scenario sc;
  PingProtocol proto;
  PingProtocol::Fx fx;
};

using Lines = std::vector<std::string>;

TEST_F(PingHandlers, RequestPersistsThenPingsEveryPeerAndArmsRetry) {
  PingState a = proto.init(kA);
  fx.reset(kA, 0, nullptr);
  proto.on_request(a, fx, 0);
  EXPECT_EQ(lines(), (Lines{"persist", "obs waiting t1", "send B Ping", "send C Ping",
                            "send D Ping", "set retry t1 10ms"}));
  EXPECT_EQ(a.durable.started, std::vector<TxId>{0});
  ASSERT_EQ(a.vol.waiting.size(), 1u);
  EXPECT_EQ(a.vol.waiting[0].missing, (std::vector<NodeId>{kB, kC, kD}));
  fx.reset(kA, 0, nullptr);
  proto.on_request(a, fx, 0);
  EXPECT_TRUE(fx.list().empty()) << "a repeated request changes nothing";
}

TEST_F(PingHandlers, PeerAnswersPingWithPong) {
  PingState b = proto.init(kB);
  fx.reset(kB, 0, nullptr);
  proto.on_message(b, fx, kA, Ping{1});
  EXPECT_EQ(lines(), Lines{"send A Pong"});
  EXPECT_EQ(std::get<Pong>(fx_msgs()[0]).tx, 1);
  EXPECT_EQ(b, proto.init(kB)) << "a peer keeps no state";
}

TEST_F(PingHandlers, PongsCountUntilDoneAndDuplicatesAreIgnored) {
  PingState a = proto.init(kA);
  fx.reset(kA, 0, nullptr);
  proto.on_request(a, fx, 0);
  for (NodeId from : {kB, kC}) {
    fx.reset(kA, 0, nullptr);
    proto.on_message(a, fx, from, Pong{0});
    EXPECT_EQ(lines(), Lines{"persist"});
  }
  fx.reset(kA, 0, nullptr);
  proto.on_message(a, fx, kB, Pong{0});
  EXPECT_TRUE(fx.list().empty()) << "a duplicate pong";
  fx.reset(kA, 0, nullptr);
  proto.on_message(a, fx, kD, Pong{0});
  EXPECT_EQ(lines(), (Lines{"persist", "obs done t1", "cancel retry t1"}));
  EXPECT_EQ(a.durable.pongs, 3u);
  EXPECT_EQ(a.durable.done, std::vector<TxId>{0});
  EXPECT_TRUE(a.vol.waiting.empty());
  EXPECT_EQ(fx.snapshots().back(), a.durable);
}

TEST_F(PingHandlers, RetryPingsOnlyTheSilentPeers) {
  PingState a = proto.init(kA);
  fx.reset(kA, 0, nullptr);
  proto.on_request(a, fx, 0);
  fx.reset(kA, 0, nullptr);
  proto.on_message(a, fx, kC, Pong{0});
  fx.reset(kA, 0, nullptr);
  proto.on_timer(a, fx, 0);
  EXPECT_EQ(lines(), (Lines{"send B Ping", "send D Ping", "set retry t1 10ms"}));
}

TEST_F(PingHandlers, RecoverRestartsUnfinishedRequestsFromIdle) {
  PingState a = proto.init(kA);
  fx.reset(kA, 0, nullptr);
  proto.on_request(a, fx, 0);
  proto.on_request(a, fx, 1);
  fx.reset(kA, 0, nullptr);
  for (NodeId from : {kB, kC, kD}) proto.on_message(a, fx, from, Pong{1});
  ASSERT_EQ(a.durable.done, std::vector<TxId>{1});
  a = proto.restore(kA, a.durable);
  EXPECT_TRUE(a.vol.waiting.empty()) << "restore resets the volatile part";
  EXPECT_EQ(a.durable.pongs, 3u) << "and keeps the durable part";
  fx.reset(kA, 0, nullptr);
  proto.on_recover(a, fx);
  EXPECT_EQ(lines(), (Lines{"obs idle t1", "obs waiting t1", "send B Ping", "send C Ping",
                            "send D Ping", "set retry t1 10ms"}));
}

TEST_F(PingHandlers, DescribesMessagesTimersAndState) {
  PingState a = proto.init(kA);
  fx.reset(kA, 0, nullptr);
  proto.on_request(a, fx, 0);
  proto.on_message(a, fx, kC, Pong{0});
  EXPECT_EQ(
      proto.describe_state(a),
      R"({"pongs":1,"started":["t1"],"done":[],"waiting":[{"tx":"t1","missing":["B","D"]}]})");
  EXPECT_EQ(proto.type_name(PingMsg{Pong{0}}), "Pong");
  EXPECT_EQ(proto.tx_of(PingMsg{Ping{1}}), 1);
  EXPECT_EQ(proto.describe(PingMsg{Ping{1}}), "{}");
  EXPECT_EQ(proto.timer_name(1), "retry t2");
  EXPECT_EQ(proto.request_target(1), kA);
}

TEST(PingRun, EveryTransactionFinishesAndTheRunSettles) {
  const Scenario sc =
      must_load(ping_yaml("{latency: {uniform: [1ms, 5ms]}}", 3, 1000), ping_context());
  CaptureSink sink;
  const RunResult r = must_run_ping(sc, 5, &sink);
  EXPECT_EQ(r.end, EndReason::quiescent);
  EXPECT_FALSE(r.violated());
  EXPECT_EQ(r.sent, 18u) << "3 transactions x 3 peers x (Ping + Pong), nothing lost";
  EXPECT_EQ(r.delivered, 18u);
  EXPECT_EQ(r.sent_by_type.at("Ping"), 9u);
  EXPECT_EQ(r.sent_by_type.at("Pong"), 9u);
  int done = 0;
  for (const Captured& e : sink.of(TraceKind::observe)) done += e.obs.value == 2;
  EXPECT_EQ(done, 3);
  EXPECT_EQ(sink.begins, 1);
  EXPECT_EQ(sink.ends, 1);
  EXPECT_EQ(sink.protocol, "ping");
  EXPECT_EQ(sink.seed, 5u);
  EXPECT_EQ(sink.end_time, r.end_time);
  for (std::size_t i = 1; i < sink.events.size(); ++i)
    EXPECT_LE(sink.events[i - 1].time, sink.events[i].time) << "time never goes back";
}

TEST(PingRun, StateEventsCarryTheProtocolsDescription) {
  const Scenario sc = must_load(ping_yaml("{latency: {fixed: 1ms}}"), ping_context());
  CaptureSink sink(/*states=*/true);
  must_run_ping(sc, 1, &sink);
  const auto states = sink.of(TraceKind::state);
  ASSERT_FALSE(states.empty());
  EXPECT_EQ(states.back().node, kA);
  EXPECT_EQ(states.back().text, R"({"pongs":3,"started":["t1"],"done":["t1"],"waiting":[]})");
}

TEST(PingRun, RetryOptionComesFromTheScenario) {
  const Scenario sc =
      must_load(ping_yaml("{latency: {fixed: 1ms}, loss: 1}", 1, 0,
                          "options: {ping: {retry: 3ms}}\nrun: {time_limit: 10ms}\n"),
                ping_context());
  CaptureSink sink;
  const RunResult r = must_run_ping(sc, 1, &sink);
  EXPECT_EQ(r.end, EndReason::time_limit);
  std::vector<Micros> fired;
  for (const Captured& e : sink.of(TraceKind::timer)) fired.push_back(e.time);
  EXPECT_EQ(fired, (std::vector<Micros>{3000, 6000, 9000}));
}

TEST(PingRun, FastClockFiresTimersEarly) {
  // A's clock runs 10% fast: its 10ms retry timer fires after 10ms / 1.1 = 9.091ms true time.
  const Scenario sc = must_load(ping_yaml("{latency: {fixed: 1ms}, loss: 1}", 1, 0,
                                          "clocks: {A: {drift_ppm: 100000}}\n"
                                          "run: {time_limit: 30ms}\n"),
                                ping_context());
  CaptureSink sink;
  must_run_ping(sc, 1, &sink);
  std::vector<Micros> fired;
  for (const Captured& e : sink.of(TraceKind::timer)) fired.push_back(e.time);
  EXPECT_EQ(fired, (std::vector<Micros>{9091, 18182, 27273}));
}

}  // namespace
}  // namespace txsim::test
