// The orchestrated saga: its handlers driven directly (what the orchestrator sends when a
// saga starts, when a step completes, when one fails), the scenarios of scenarios/saga/ over
// many seeds, and the model checker's verdicts with pinned state counts.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "protocols/registry.h"
#include "protocols/saga/saga.h"
#include "sim/check/explore.h"
#include "sim/check/protocol_check.h"
#include "sim/check/protocol_model.h"
#include "sim/invariant.h"
#include "sim/runner.h"
#include "sim/scenario_loader.h"

namespace txsim::saga {
namespace {

using Model = check::ProtocolModel<Saga>;
// Distinct states of check-order-safe.yaml (the same with 1 and 2 threads).
constexpr std::uint64_t kSafeDistinct = 5980;
constexpr std::uint64_t kSafeGenerated = 18684;

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

void expect_for_seeds(const std::string& name, std::uint64_t n) {
  const Scenario sc = load(name);
  for (std::uint64_t seed = 1; seed <= n; ++seed) {
    const RunResult r = run(sc, seed);
    EXPECT_TRUE(r.expectation_misses.empty())
        << name << " --seed " << seed << ": " << r.expectation_misses.front();
  }
}

// --- handlers ---

struct Fixture {
  Scenario sc = load("order-success.yaml");
  Saga p{sc, sc.options.at("saga")};
  Saga::Fx fx;
  NodeId o = sc.node_by_name("O").value();

  std::vector<std::pair<NodeId, Msg>> sent() {
    std::vector<std::pair<NodeId, Msg>> out;
    for (const Effect& e : fx.list())
      if (e.kind == EffectKind::send) out.push_back({e.to, fx.messages()[e.index]});
    return out;
  }
};

TEST(SagaHandlers, StartLogsThenSendsTheFirstStepOnly) {
  Fixture f;
  Saga::State s = f.p.init(f.o);
  f.fx.reset(f.o, 0, nullptr);
  f.p.on_request(s, f.fx, 0);
  ASSERT_EQ(f.fx.list().front().kind, EffectKind::persist) << "the log is written first";
  const auto sent = f.sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].first, f.sc.node_by_name("Orders").value());
  EXPECT_EQ(sent[0].second, Msg(Do{0, 0}));
  EXPECT_EQ(s.durable.logs[0].steps[0].state, StepState::running);
}

TEST(SagaHandlers, AFailedStepCompensatesTheCompletedOnesInReverse) {
  Fixture f;
  Saga::State s = f.p.init(f.o);
  f.fx.reset(f.o, 0, nullptr);
  f.p.on_request(s, f.fx, 0);
  f.p.on_message(s, f.fx, 1, DoReply{0, 0, true});
  f.p.on_message(s, f.fx, 2, DoReply{0, 1, true});
  f.fx.reset(f.o, 0, nullptr);
  f.p.on_message(s, f.fx, 3, DoReply{0, 2, false});  // the pivot fails
  EXPECT_EQ(s.durable.logs[0].status, SagaStatus::compensating);
  auto sent = f.sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].second, Msg(Undo{0, 1})) << "reserve-stock first: it ran last";
  f.fx.reset(f.o, 0, nullptr);
  f.p.on_message(s, f.fx, 2, UndoReply{0, 1, true});
  sent = f.sent();
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].second, Msg(Undo{0, 0}));
  f.fx.reset(f.o, 0, nullptr);
  f.p.on_message(s, f.fx, 1, UndoReply{0, 0, true});
  EXPECT_EQ(s.durable.logs[0].status, SagaStatus::failed);
}

// --- scenarios over seeds ---

TEST(SagaSim, OrderSucceedsWhateverTheLatencies) { expect_for_seeds("order-success.yaml", 30); }
TEST(SagaSim, ThePivotFailsAndTheStepsBeforeItAreCompensated) {
  expect_for_seeds("order-charge-fails.yaml", 30);
}
TEST(SagaSim, RetriableStepRecoversForward) { expect_for_seeds("order-sms-retried.yaml", 30); }
TEST(SagaSim, ParallelBranchesCompensateInReverseTopologicalOrder) {
  expect_for_seeds("parallel-branches.yaml", 30);
}
TEST(SagaSim, ACompensationThatKeepsFailingIsFlagged) {
  expect_for_seeds("compensation-keeps-failing.yaml", 30);
}
TEST(SagaSim, IsolationAnomalyAndItsFix) {
  expect_for_seeds("isolation-anomaly.yaml", 5);
  expect_for_seeds("isolation-fixed.yaml", 5);
}
TEST(SagaSim, ABeforeImageCompensationLosesAConcurrentUpdate) {
  const RunResult r = run(load("lost-update.yaml"), 1);
  EXPECT_TRUE(r.expectation_misses.empty()) << r.expectation_misses.front();
  ASSERT_NE(r.first_violation(), nullptr);
  EXPECT_EQ(r.first_violation()->id, "money-conservation");
  EXPECT_NE(r.first_violation()->detail.find("destroyed 50"), std::string::npos);
}

// --- the checker ---

check::CheckResult<Model> check_file(const std::string& name, unsigned threads = 1) {
  const Scenario sc = load(name);
  auto spec = check::check_spec_of(sc);
  if (!spec) throw std::runtime_error(spec.error().message);
  const Model m(sc, Saga(sc, sc.options.at("saga")), *spec,
                check::ProtocolModelOptions{.check_blocking = sc.check.blocking});
  check::CheckOptions opt;
  opt.threads = threads;
  return check::explore(m, opt);
}

TEST(SagaCheck, IdempotentCommutativeServicesAreSafeWithACrashAndADuplicate) {
  for (unsigned threads : {1u, 2u}) {
    const auto r = check_file("check-order-safe.yaml", threads);
    EXPECT_EQ(r.verdict, check::Verdict::ok) << threads << " threads";
    EXPECT_EQ(r.distinct_states, kSafeDistinct) << threads << " threads";
    EXPECT_EQ(r.states_generated, kSafeGenerated) << threads << " threads";
  }
}

TEST(SagaCheck, FindsTheDoubleReservationOfANonIdempotentService) {
  const auto r = check_file("check-not-idempotent.yaml");
  ASSERT_EQ(r.verdict, check::Verdict::violation);
  EXPECT_EQ(r.violation->invariant, "effect-at-most-once");
}

TEST(SagaCheck, ATimedOutStepThatAppliedIsLostWithoutCompensateFailed) {
  const auto r = check_file("check-timeout-not-compensated.yaml");
  ASSERT_EQ(r.verdict, check::Verdict::violation);
  EXPECT_EQ(r.violation->invariant, "money-conservation");
}

TEST(SagaCheck, ABlindCompensationOfAStepThatNeverRanCreatesStock) {
  const auto r = check_file("check-not-commutative.yaml");
  ASSERT_EQ(r.verdict, check::Verdict::violation);
  EXPECT_EQ(r.violation->invariant, "money-conservation");
  EXPECT_NE(r.violation->detail.find("created 1"), std::string::npos) << r.violation->detail;
}

}  // namespace
}  // namespace txsim::saga
