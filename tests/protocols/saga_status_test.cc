// The orchestrated saga's status query (protocols/saga/status.cc), the stock-conservation
// invariant next to money-conservation, and the orchestrator's recovery in the middle of a
// compensation: handlers driven directly, and the scenarios that show each.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "protocols/registry.h"
#include "protocols/saga/saga.h"
#include "sim/invariant.h"
#include "sim/runner.h"
#include "sim/scenario_loader.h"

namespace txsim::saga {
namespace {

Scenario load(const std::string& name) {
  LoadContext ctx;
  ctx.schema = [](std::string_view p) { return protocol_schema(p); };
  for (const ProtocolInfo& p : protocol_infos()) ctx.known_protocols.push_back(p.name);
  ctx.invariant_ids = standard_invariant_ids();
  const std::string path = std::string(TXSIM_SOURCE_DIR) + "/scenarios/saga/" + name;
  Result<Scenario> sc = load_scenario_file(path, ctx);
  if (!sc) throw std::runtime_error(sc.error().message);
  return std::move(*sc);
}

RunResult run(const Scenario& sc, std::uint64_t seed) {
  Result<RunResult> r = run_protocol<Saga>(sc, RunOptions{seed, nullptr});
  if (!r) throw std::runtime_error(r.error().message);
  return std::move(*r);
}

bool broke(const RunResult& r, const std::string& id) {
  for (const auto& inv : r.invariants)
    if (inv.violated && inv.id == id) return true;
  return false;
}

// status-query.yaml: create-order (Orders), reserve-stock (Inventory, status_after: 20ms),
// charge (Payments, the pivot).
struct Fixture {
  Scenario sc = load("status-query.yaml");
  Saga p{sc, sc.options.at("saga")};
  Saga::Fx fx;
  NodeId o = sc.node_by_name("O").value();
  NodeId inventory = sc.node_by_name("Inventory").value();

  std::vector<std::pair<NodeId, Msg>> sent() {
    std::vector<std::pair<NodeId, Msg>> out;
    for (const Effect& e : fx.list())
      if (e.kind == EffectKind::send) out.push_back({e.to, fx.messages()[e.index]});
    return out;
  }
};

TEST(SagaStatus, TheOrchestratorAnswersFromItsDurableLog) {
  Fixture f;
  Saga::State s = f.p.init(f.o);
  f.fx.reset(f.o, 0, nullptr);
  f.p.on_request(s, f.fx, 0);
  f.fx.reset(f.o, 0, nullptr);
  f.p.on_message(s, f.fx, f.inventory, Status{0, 1});
  ASSERT_EQ(f.sent().size(), 1u);
  EXPECT_EQ(f.sent()[0], (std::pair<NodeId, Msg>{f.inventory, StatusReply{0, 0}}))
      << "executing";
  EXPECT_TRUE(f.fx.list().size() == 1u) << "a query changes nothing";
  f.p.on_message(s, f.fx, 1, DoReply{0, 0, true});
  f.p.on_message(s, f.fx, 2, DoReply{0, 1, true});
  f.p.on_message(s, f.fx, 3, DoReply{0, 2, false});  // the pivot fails
  // A recovered orchestrator answers the same: the status is durable.
  Saga::State back = f.p.restore(f.o, s.durable);
  f.fx.reset(f.o, 0, nullptr);
  f.p.on_message(back, f.fx, f.inventory, Status{0, 1});
  ASSERT_EQ(f.sent().size(), 1u);
  EXPECT_EQ(f.sent()[0].second, Msg(StatusReply{0, std::uint8_t(SagaStatus::compensating)}));
}

TEST(SagaStatus, AServiceAsksUntilItLearnsTheEnd) {
  Fixture f;
  Saga::State s = f.p.init(f.inventory);
  f.fx.reset(f.inventory, 0, nullptr);
  f.p.on_message(s, f.fx, f.o, Do{0, 1});
  bool armed = false;
  for (const Effect& e : f.fx.list())
    armed |= e.kind == EffectKind::set_timer && e.delay == ms(20);
  EXPECT_TRUE(armed) << "status_after: 20ms";
  f.fx.reset(f.inventory, 0, nullptr);
  f.p.on_timer(s, f.fx, timer_id(TimerKind::status, 0, 1));
  ASSERT_EQ(f.sent().size(), 1u);
  EXPECT_EQ(f.sent()[0], (std::pair<NodeId, Msg>{f.o, Status{0, 1}}));
  f.fx.reset(f.inventory, 0, nullptr);
  f.p.on_message(s, f.fx, f.o, StatusReply{0, std::uint8_t(SagaStatus::executing)});
  EXPECT_EQ(s.durable.records.at(0).status_seen, 1u);
  f.p.on_message(s, f.fx, f.o, StatusReply{0, std::uint8_t(SagaStatus::done)});
  f.fx.reset(f.inventory, 0, nullptr);
  f.p.on_timer(s, f.fx, timer_id(TimerKind::status, 0, 1));
  EXPECT_TRUE(f.sent().empty()) << "the saga ended: no more questions";
}

TEST(SagaStatus, TheScenarioAsksWhileTheOrchestratorIsDownAndCommits) {
  const Scenario sc = load("status-query.yaml");
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const RunResult r = run(sc, seed);
    EXPECT_TRUE(r.expectation_misses.empty()) << "--seed " << seed;
  }
}

TEST(SagaOrchestratorCrash, CompensationResumesFromTheLog) {
  const Scenario sc = load("orchestrator-crash-mid-compensation.yaml");
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const RunResult r = run(sc, seed);
    EXPECT_TRUE(r.expectation_misses.empty()) << "--seed " << seed;
    EXPECT_FALSE(broke(r, "semantic-atomicity")) << "--seed " << seed;
  }
}

TEST(StockConservation, ADoubleReservationBreaksStockNotMoney) {
  const RunResult r = run(load("stock-double-reserve.yaml"), 1);
  EXPECT_TRUE(r.expectation_misses.empty()) << r.expectation_misses.front();
  EXPECT_TRUE(broke(r, "stock-conservation"));
  EXPECT_FALSE(broke(r, "money-conservation")) << "stock accounts are not summed as money";
  for (const auto& inv : r.invariants) {
    if (inv.id == "stock-conservation") {
      EXPECT_NE(inv.detail.find("destroyed 1"), std::string::npos) << inv.detail;
    }
  }
}

TEST(StockConservation, AccountsDeclareTheirKind) {
  const Scenario sc = load("stock-double-reserve.yaml");
  ASSERT_EQ(sc.accounts.size(), 3u);
  EXPECT_TRUE(sc.accounts[0].stock);
  EXPECT_EQ(sc.accounts[0].initial, 5);
  EXPECT_FALSE(sc.accounts[1].stock) << "money is the default";
}

}  // namespace
}  // namespace txsim::saga
