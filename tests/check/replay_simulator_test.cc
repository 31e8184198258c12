// Replaying a checker counterexample through the simulator's event loop (scripted mode,
// sim/simulator_script.h, driven by sim/check/protocol_replay.h): the run reproduces the
// checker's violation, its events come from the simulator (message ids, payloads, states),
// and every time is the scenario's: requests at their `at`, deliveries at
// max(previous event, send time + the latency the link's law draws from the network stream,
// raised on FIFO links), never going back.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "protocols/registry.h"
#include "sim/check/check_options.h"
#include "sim/invariant.h"
#include "sim/network.h"
#include "sim/rng.h"
#include "sim/scenario_loader.h"

namespace txsim::check {
namespace {

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

struct Recorded {
  Micros time;
  TraceKind kind;
  NodeId node, peer;
  std::uint64_t msg_id;
  TxId tx;
  std::string type, text;
};

class Recorder final : public TraceSink {
 public:
  void begin(const TraceHeader& h) override { seed = h.seed; }
  void event(const TraceEvent& e) override {
    events.push_back(Recorded{e.time, e.kind, e.node, e.peer, e.msg_id, e.tx,
                              std::string(e.type), std::string(e.text)});
  }
  void end(Micros t) override { end_time = t; }
  bool wants_payloads() const override { return true; }
  std::uint64_t seed = 0;
  std::vector<Recorded> events;
  Micros end_time = -1;
};

struct Replayed {
  CheckReport report;
  ReplayResult replay;
  Recorder trace;
};

// Checks the scenario with its protocol, then replays the counterexample.
Replayed check_and_replay(const Scenario& sc, const std::string& protocol) {
  const ProtocolInfo* p = find_protocol(protocol);
  if (p == nullptr || !p->check || !p->replay) throw std::runtime_error("no " + protocol);
  CheckOptions opt;
  opt.threads = 1;
  Result<CheckReport> r = p->check(sc, opt);
  if (!r) throw std::runtime_error(r.error().message);
  Replayed out{std::move(*r), {}, {}};
  Result<ReplayResult> rep = p->replay(sc, out.report.schedule, &out.trace);
  if (!rep) throw std::runtime_error(rep.error().message);
  out.replay = std::move(*rep);
  return out;
}

// Every time follows from the scenario: each step's first event is at max(the previous event,
// the step's own time), and the events of one step share it.
void expect_times_from_the_scenario(const Scenario& sc, const Recorder& trace) {
  const LinkTable links(sc);
  Rng net = Rng::for_stream(sc.seed, Stream::network);
  std::vector<Micros> fifo_last(sc.nodes.size() * sc.nodes.size(), 0);
  std::map<std::uint64_t, std::deque<Micros>> due;  // by message id, oldest copy first
  auto draw = [&](NodeId from, NodeId to, Micros now, std::uint64_t id) {
    Micros at = now + links.at(from, to).latency.sample(net);
    if (links.fifo()) {
      at = std::max(at, fifo_last[from * sc.nodes.size() + to]);
      fifo_last[from * sc.nodes.size() + to] = at;
    }
    due[id].push_back(at);
  };
  Micros previous = 0;
  std::size_t deliveries = 0;
  for (const Recorded& e : trace.events) {
    ASSERT_GE(e.time, previous) << "time went back at a " << to_string(e.kind) << " event";
    switch (e.kind) {
      case TraceKind::request:
        ASSERT_LT(e.tx, sc.transactions.size());
        EXPECT_EQ(e.time, std::max(previous, sc.transactions[e.tx].at));
        break;
      case TraceKind::send:
        draw(e.node, e.peer, e.time, e.msg_id);
        break;
      case TraceKind::duplicate:
        draw(e.peer, e.node, e.time, e.msg_id);  // node: the receiver
        break;
      case TraceKind::deliver:
      case TraceKind::drop: {
        if (e.kind == TraceKind::drop && e.text == "loss") {  // a scheduled loss: at once
          EXPECT_EQ(e.time, previous);
        } else {
          ASSERT_FALSE(due[e.msg_id].empty()) << "message " << e.msg_id << " arrived unsent";
          EXPECT_EQ(e.time, std::max(previous, due[e.msg_id].front()))
              << "message " << e.msg_id << " " << e.type;
          ++deliveries;
        }
        if (!due[e.msg_id].empty()) due[e.msg_id].pop_front();
        break;
      }
      default:
        break;
    }
    previous = e.time;
  }
  EXPECT_GT(deliveries, 0u);
  EXPECT_EQ(trace.end_time, previous);
}

std::vector<std::string> violation_lines(const Recorder& trace) {
  std::vector<std::string> ids;
  for (const Recorded& e : trace.events)
    if (e.kind == TraceKind::violation) ids.push_back(e.type);
  return ids;
}

TEST(ReplaySimulator, TwoPhaseBrokenLogOrderReproducesAc1WithTimesFromTheLatencyModel) {
  const Scenario sc = load_file("scenarios/two_phase/check-broken-log-order.yaml");
  const Replayed r = check_and_replay(sc, "two_phase");
  ASSERT_EQ(r.report.invariant(), "AC1");
  EXPECT_EQ(r.replay.steps, r.report.schedule.size());
  ASSERT_TRUE(r.replay.violation.has_value());
  EXPECT_EQ(r.replay.violation->invariant, "AC1");
  EXPECT_EQ(violation_lines(r.trace).front(), "AC1");
  EXPECT_EQ(r.trace.seed, sc.seed);
  // The torn handler: the coordinator crashes after the first effect of its handler.
  const auto crash = std::find_if(r.trace.events.begin(), r.trace.events.end(),
                                  [](const Recorded& e) { return e.kind == TraceKind::crash; });
  ASSERT_NE(crash, r.trace.events.end());
  EXPECT_EQ(sc.nodes[crash->node].name, "C");
  expect_times_from_the_scenario(sc, r.trace);
  // Times are filled in: the run takes simulated time, unlike the untimed checker.
  EXPECT_GT(r.replay.end_time, 0);
  EXPECT_EQ(r.replay.end_time, r.trace.end_time);
}

TEST(ReplaySimulator, ThreePhasePartitionReproducesAc1WithTimesFromTheLatencyModel) {
  const Scenario sc = load_file("scenarios/three_phase/check-sync-partition-ac1.yaml");
  const Replayed r = check_and_replay(sc, "three_phase");
  ASSERT_EQ(r.report.invariant(), "AC1");
  ASSERT_TRUE(r.replay.violation.has_value());
  EXPECT_EQ(r.replay.violation->invariant, "AC1");
  const auto partition =
      std::count_if(r.trace.events.begin(), r.trace.events.end(),
                    [](const Recorded& e) { return e.kind == TraceKind::partition; });
  EXPECT_EQ(partition, 1);
  expect_times_from_the_scenario(sc, r.trace);
}

TEST(ReplaySimulator, BlockingIsJudgedByTheModelAndWrittenAsAViolation) {
  const Scenario sc = load_file("scenarios/two_phase/check-coordinator-crash-blocks.yaml");
  const Replayed r = check_and_replay(sc, "two_phase");
  ASSERT_EQ(r.report.verdict(), "blocking");
  ASSERT_TRUE(r.replay.violation.has_value());
  EXPECT_EQ(r.replay.violation->invariant, "blocking");
  EXPECT_EQ(violation_lines(r.trace), std::vector<std::string>{"blocking"});
  expect_times_from_the_scenario(sc, r.trace);
}

TEST(ReplaySimulator, SameScheduleSameRun) {
  const Scenario sc = load_file("scenarios/two_phase/check-broken-log-order.yaml");
  const Replayed a = check_and_replay(sc, "two_phase");
  Recorder again;
  ASSERT_TRUE(find_protocol("two_phase")->replay(sc, a.report.schedule, &again));
  ASSERT_EQ(again.events.size(), a.trace.events.size());
  for (std::size_t i = 0; i < again.events.size(); ++i) {
    EXPECT_EQ(again.events[i].time, a.trace.events[i].time) << i;
    EXPECT_EQ(again.events[i].text, a.trace.events[i].text) << i;
  }
}

TEST(ReplaySimulator, AnActionNotEnabledIsAnErrorNamingTheStep) {
  const Scenario sc = load_file("scenarios/two_phase/check-broken-log-order.yaml");
  const Replayed a = check_and_replay(sc, "two_phase");
  std::vector<Action> schedule = a.report.schedule;
  ASSERT_GE(schedule.size(), 3u);
  schedule[2] = Action{std::uint32_t(StepKind::recover), 0, 0, 0};  // C is up at step 3
  Result<ReplayResult> r = find_protocol("two_phase")->replay(sc, schedule, nullptr);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("step 3 "), std::string::npos) << r.error().message;
}

TEST(ReplaySimulator, AShortenedScheduleDoesNotReproduce) {
  const Scenario sc = load_file("scenarios/two_phase/check-broken-log-order.yaml");
  const Replayed a = check_and_replay(sc, "two_phase");
  std::vector<Action> schedule = a.report.schedule;
  schedule.pop_back();  // the violating delivery
  Result<ReplayResult> r = find_protocol("two_phase")->replay(sc, schedule, nullptr);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->steps, schedule.size());
  EXPECT_FALSE(r->violation.has_value() && r->violation->invariant == "AC1");
}

}  // namespace
}  // namespace txsim::check
