// saga_run_path(): a run's service observations mapped onto the saga's execution graph.
#include "reports/saga_run_path.h"

#include <gtest/gtest.h>

#include "protocols/scenario_files.h"

namespace txsim::report {
namespace {

const char* kHeader =
    R"({"format":"txsim-trace","version":1,"scenario":"saga-parallel-branches",)"
    R"("file":"scenarios/saga/parallel-branches.yaml","protocol":"saga","seed":1,)"
    R"("nodes":[{"name":"O","role":"orchestrator"},{"name":"Airline","role":"service"},)"
    R"({"name":"Hotel","role":"service"},{"name":"Cars","role":"service"},)"
    R"({"name":"Bank","role":"service"}],"transactions":["trip1"],"accounts":[],)"
    R"("phases":["executing","compensating","done","failed","manual","step-done",)"
    R"("step-failed","compensated","null-compensated","compensation-failed","finished"]})"
    "\n";

std::string phase(int t, const char* node, const char* ph) {
  return R"({"t":)" + std::to_string(t) + R"(,"ev":"observe","node":")" + node +
         R"(","what":"phase","tx":"trip1","phase":")" + ph + "\"}\n";
}

TEST(SagaRunPath, FollowsTheServicesAndReordersConcurrentSteps) {
  auto sc = load_scenario(std::string(TXSIM_SOURCE_DIR) +
                          "/scenarios/saga/parallel-branches.yaml");
  ASSERT_TRUE(sc.ok()) << sc.error().message;
  const SagaDef& def = sc->saga.sagas.at(0);
  const SagaGraph g(def);
  const SagaExploration x = explore_saga(def, g, false);
  ASSERT_EQ(x.states.size(), 22u);
  // The car fails before the hotel's (concurrent) booking is observed; the flight's action is
  // then applied a second time, which the graph has no edge for.
  const std::string body = phase(10, "O", "executing") + phase(20, "Airline", "step-done") +
                           phase(30, "Cars", "step-failed") + phase(35, "Hotel", "step-done") +
                           phase(40, "Airline", "step-done") + phase(50, "Hotel", "compensated") +
                           phase(60, "Airline", "compensated") + "{\"t\":70,\"ev\":\"end\"}\n";
  auto doc = TraceDocument::parse(kHeader + body, "t.jsonl");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  const SagaRunPath p = saga_run_path(*doc, *sc, def, x);
  EXPECT_EQ(p.tx, 0);
  std::vector<std::string> steps;
  for (std::size_t e : p.edges) steps.push_back(describe_edge(def, x.edges[e]));
  EXPECT_EQ(steps, (std::vector<std::string>{"flight done", "hotel done", "car fails",
                                             "compensate hotel", "compensate flight"}));
  ASSERT_EQ(p.states.size(), 6u);
  EXPECT_EQ(p.states[0], 0u);
  for (std::size_t i = 0; i < p.edges.size(); ++i) {
    EXPECT_EQ(x.edges[p.edges[i]].from, p.states[i]);
    EXPECT_EQ(x.edges[p.edges[i]].to, p.states[i + 1]);
  }
  EXPECT_EQ(describe_state(def, x.states[p.states.back()]),
            describe_state(def, {StepStatus::compensated, StepStatus::compensated,
                                 StepStatus::failed, StepStatus::pending}));
  ASSERT_EQ(p.unmatched.size(), 1u);
  EXPECT_EQ(p.unmatched[0], "t=40us Airline: step-done (no edge)");
}

TEST(SagaRunPath, NoInstanceNoPath) {
  auto sc = load_scenario(std::string(TXSIM_SOURCE_DIR) +
                          "/scenarios/saga/parallel-branches.yaml");
  ASSERT_TRUE(sc.ok());
  const SagaDef& def = sc->saga.sagas.at(0);
  const SagaGraph g(def);
  const SagaExploration x = explore_saga(def, g, false);
  std::string header = kHeader;
  header.replace(header.find("\"trip1\""), 7, "\"other\"");
  auto doc = TraceDocument::parse(header + "{\"t\":1,\"ev\":\"end\"}\n", "t.jsonl");
  ASSERT_TRUE(doc.ok()) << doc.error().message;
  const SagaRunPath p = saga_run_path(*doc, *sc, def, x);
  EXPECT_EQ(p.tx, kNone);
  EXPECT_TRUE(p.edges.empty());
  EXPECT_EQ(p.states, (std::vector<std::size_t>{0}));
}

}  // namespace
}  // namespace txsim::report
