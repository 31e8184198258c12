// The choreographed saga: its handlers driven directly (what a service publishes when it runs
// its step, what it does with a duplicated event with and without idempotency, a failure that
// overtakes a step's trigger with and without commutativity, compensations in reverse order,
// the outbox and its redelivery, a compensation flagged for manual intervention), the
// scenarios of scenarios/saga/choreo-*.yaml over many seeds, and the model checker's verdicts
// with pinned state counts.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "protocols/registry.h"
#include "protocols/saga_choreography/choreography.h"
#include "sim/check/explore.h"
#include "sim/check/protocol_check.h"
#include "sim/check/protocol_model.h"
#include "sim/invariant.h"
#include "sim/runner.h"
#include "sim/scenario_loader.h"

namespace txsim::choreo {
namespace {

using Model = check::ProtocolModel<Choreography>;
// Distinct states of choreo-check-safe.yaml (the same with 1 and 2 threads).
constexpr std::uint64_t kSafeDistinct = 16534;
constexpr std::uint64_t kSafeGenerated = 51056;

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
  Result<RunResult> r = run_protocol<Choreography>(sc, RunOptions{seed, nullptr});
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

// Every business check passes (random_step_failure asks a choice: no failure).
struct NoFailure final : Chooser {
  std::uint32_t choose(std::uint32_t) override { return 0; }
};

// A scenario, its protocol, and one effects sink reused by every handler call.
struct Fixture {
  explicit Fixture(const std::string& file)
      : sc(load(file)), p(sc, sc.options.at("saga_choreography")) {}
  Scenario sc;
  Choreography p;
  Choreography::Fx fx;
  NoFailure no_failure;

  NodeId node(const std::string& name) const { return sc.node_by_name(name).value(); }
  Choreography::State start(const std::string& name) {
    fx.reset(node(name), 0, &no_failure);
    return p.init(node(name));
  }
  std::vector<std::pair<NodeId, Msg>> sent() {
    std::vector<std::pair<NodeId, Msg>> out;
    for (const Effect& e : fx.list())
      if (e.kind == EffectKind::send) out.push_back({e.to, fx.messages()[e.index]});
    return out;
  }
  std::size_t count(EffectKind k) const {
    std::size_t n = 0;
    for (const Effect& e : fx.list()) n += e.kind == k;
    return n;
  }
  // Sum of the balance observations on `account` in the current effect list.
  std::int64_t moved(AccountId account) const {
    std::int64_t n = 0;
    for (const Effect& e : fx.list())
      if (e.kind == EffectKind::observe && e.obs.kind == ObsKind::balance &&
          e.obs.account == account)
        n += e.obs.value;
    return n;
  }
  void deliver(Choreography::State& s, const std::string& from, Event e) {
    fx.reset(s.node, 0, &no_failure);
    p.on_message(s, fx, node(from), e);
  }
};

// choreo-check-safe.yaml: charge (Payments, step 0, takes the request) and reserve-stock
// (Inventory, step 1, started by SagaBegun) in parallel. Account 0 is Inventory.stock.
TEST(ChoreographyHandlers, TheEntryServiceRunsItsStepAndPublishesAfterThePersist) {
  Fixture f("choreo-check-safe.yaml");
  Choreography::State s = f.start("Payments");
  EXPECT_EQ(f.p.request_target(0), f.node("Payments"));
  f.p.on_request(s, f.fx, 0);
  std::size_t first_persist = f.fx.list().size(), first_send = f.fx.list().size();
  for (std::size_t i = f.fx.list().size(); i-- > 0;) {
    if (f.fx.list()[i].kind == EffectKind::persist) first_persist = i;
    if (f.fx.list()[i].kind == EffectKind::send) first_send = i;
  }
  EXPECT_LT(first_persist, first_send) << "the outbox is written before anything is sent";
  const auto sent = f.sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0], (std::pair<NodeId, Msg>{f.node("Inventory"), Event{0, 0, What::begun}}));
  EXPECT_EQ(sent[1], (std::pair<NodeId, Msg>{f.node("Inventory"), Event{0, 0, What::done}}));
  EXPECT_EQ(s.durable.outbox.size(), 2u);
  EXPECT_EQ(f.count(EffectKind::set_timer), 1u) << "one redelivery timer for the saga";
  EXPECT_EQ(s.durable.records.at(0).applied, 1u);
}

TEST(ChoreographyHandlers, AnIdempotentServiceOnlyAcksADuplicatedTrigger) {
  Fixture f("choreo-check-safe.yaml");
  Choreography::State s = f.start("Inventory");
  f.deliver(s, "Payments", Event{0, 0, What::begun});
  EXPECT_EQ(f.moved(0), -1) << "the reservation";
  f.deliver(s, "Payments", Event{0, 0, What::begun});
  EXPECT_EQ(f.moved(0), 0);
  ASSERT_EQ(f.sent().size(), 1u);
  EXPECT_EQ(f.sent()[0].second, Msg(Ack{0, 0, What::begun}));
  EXPECT_EQ(f.count(EffectKind::persist), 0u) << "nothing new to remember";
  EXPECT_EQ(s.durable.records.at(0).applied, 1u);
}

TEST(ChoreographyHandlers, ANonIdempotentServiceAppliesADuplicatedTriggerTwice) {
  Fixture f("choreo-check-unsafe.yaml");
  Choreography::State s = f.start("Inventory");
  f.deliver(s, "Payments", Event{0, 0, What::begun});
  f.deliver(s, "Payments", Event{0, 0, What::begun});
  EXPECT_EQ(f.moved(0), -1) << "the duplicate reserves again";
  EXPECT_EQ(s.durable.records.at(0).applied, 2u);
  // An event that did not trigger the step changes nothing, duplicated or not.
  f.deliver(s, "Payments", Event{0, 0, What::done});
  f.deliver(s, "Payments", Event{0, 0, What::done});
  EXPECT_EQ(f.moved(0), 0);
  EXPECT_EQ(s.durable.records.at(0).applied, 2u);
}

TEST(ChoreographyHandlers, AFailureThatOvertakesTheTriggerCancelsTheStep) {
  Fixture f("choreo-check-safe.yaml");
  Choreography::State s = f.start("Inventory");
  f.deliver(s, "Payments", Event{0, 0, What::failed});
  EXPECT_TRUE(s.durable.records.at(0).cancelled) << "a null compensation";
  EXPECT_EQ(f.moved(0), 0);
  const auto sent = f.sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].second, Msg(Event{0, 1, What::compensated}));
  EXPECT_EQ(sent[1].second, Msg(Ack{0, 0, What::failed}));
  f.deliver(s, "Payments", Event{0, 0, What::begun});  // the late trigger
  EXPECT_EQ(f.moved(0), 0) << "the late action must not run";
  EXPECT_EQ(s.durable.records.at(0).applied, 0u);
}

TEST(ChoreographyHandlers, ANonCommutativeServiceCompensatesBlindly) {
  Fixture f("choreo-check-not-commutative.yaml");
  Choreography::State s = f.start("Inventory");
  f.deliver(s, "Payments", Event{0, 0, What::failed});
  EXPECT_EQ(f.moved(0), 1) << "puts back a unit it never took";
  EXPECT_EQ(s.durable.records.at(0).compensated, 1u);
  EXPECT_EQ(s.durable.records.at(0).applied, 0u);
}

// choreo-charge-fails.yaml: create-order -> reserve-stock -> charge (fails) -> ship.
TEST(ChoreographyHandlers, CompensationsWaitForTheirSuccessors) {
  Fixture f("choreo-charge-fails.yaml");
  Choreography::State s = f.start("Orders");
  f.p.on_request(s, f.fx, 0);
  f.deliver(s, "Inventory", Event{0, 1, What::done});
  f.deliver(s, "Payments", Event{0, 2, What::failed});
  EXPECT_EQ(f.moved(0), 0) << "reserve-stock is not compensated yet";
  EXPECT_EQ(s.durable.records.at(0).compensated, 0u);
  f.deliver(s, "Inventory", Event{0, 1, What::compensated});
  EXPECT_EQ(f.moved(0), -1) << "now the order is cancelled";
  EXPECT_EQ(s.durable.records.at(0).compensated, 1u);
}

TEST(ChoreographyHandlers, StepsAfterAFailedStepStaySilent) {
  Fixture f("choreo-charge-fails.yaml");
  Choreography::State s = f.start("Shipping");
  f.deliver(s, "Payments", Event{0, 2, What::failed});
  ASSERT_EQ(f.sent().size(), 1u) << "only the ack: ship can never run, nobody waits for it";
  EXPECT_FALSE(s.durable.records.at(0).cancelled);
}

TEST(ChoreographyHandlers, TheOutboxIsResentUntilAcked) {
  Fixture f("choreo-check-safe.yaml");
  Choreography::State s = f.start("Payments");
  const NodeId inventory = f.node("Inventory");
  f.p.on_request(s, f.fx, 0);
  f.fx.reset(s.node, 0, &f.no_failure);
  f.p.on_message(s, f.fx, inventory, Ack{0, 0, What::begun});
  EXPECT_EQ(s.durable.outbox.size(), 1u);
  EXPECT_EQ(f.count(EffectKind::persist), 1u) << "the ack is struck off durably";
  EXPECT_EQ(f.count(EffectKind::cancel_timer), 0u) << "StepDone(charge) is still owed";
  f.fx.reset(s.node, 0, &f.no_failure);
  f.p.on_timer(s, f.fx, timer_id(TimerKind::redeliver, 0));
  ASSERT_EQ(f.sent().size(), 1u);
  EXPECT_EQ(f.sent()[0], (std::pair<NodeId, Msg>{inventory, Event{0, 0, What::done}}));
  // A crash keeps the outbox: the recovered relay re-arms its timer.
  Choreography::State back = f.p.restore(s.node, s.durable);
  f.fx.reset(s.node, 0, &f.no_failure);
  f.p.on_recover(back, f.fx);
  EXPECT_EQ(f.count(EffectKind::set_timer), 1u);
  f.fx.reset(s.node, 0, &f.no_failure);
  f.p.on_message(back, f.fx, inventory, Ack{0, 0, What::done});
  EXPECT_TRUE(back.durable.outbox.empty());
  EXPECT_EQ(f.count(EffectKind::cancel_timer), 1u);
}

TEST(ChoreographyHandlers, ACompensationThatKeepsFailingIsFlaggedForManualIntervention) {
  Fixture f("choreo-compensation-keeps-failing.yaml");
  Choreography::State s = f.start("Inventory");
  f.deliver(s, "Orders", Event{0, 0, What::begun});
  f.deliver(s, "Orders", Event{0, 0, What::done});
  f.deliver(s, "Payments", Event{0, 2, What::failed});
  EXPECT_EQ(s.durable.records.at(0).undo_attempts, 1u);
  EXPECT_EQ(f.count(EffectKind::set_timer), 1u) << "a retry";
  for (int i = 0; i < 5; ++i) {
    f.fx.reset(s.node, 0, &f.no_failure);
    f.p.on_timer(s, f.fx, timer_id(TimerKind::retry, 0, 1));
  }
  EXPECT_TRUE(s.durable.records.at(0).manual);
  EXPECT_EQ(s.durable.records.at(0).undo_attempts, 3u) << "max_compensation_attempts";
  EXPECT_EQ(s.durable.records.at(0).compensated, 0u);
}

TEST(ChoreographyScenario, RefusesAnOrchestrator) {
  const Scenario sc = load("order-success.yaml");
  EXPECT_NE(Choreography::check_scenario(sc).find("no orchestrator"), std::string::npos);
}

// --- scenarios over seeds ---

TEST(ChoreographySim, HappyPathCommitsWhateverTheLatencies) {
  expect_for_seeds("choreo-happy.yaml", 30);
}
TEST(ChoreographySim, ThePivotFailsAndTheStepsBeforeItAreCompensated) {
  expect_for_seeds("choreo-charge-fails.yaml", 30);
}
TEST(ChoreographySim, DuplicatesAreHarmlessOnlyWithIdempotentServices) {
  expect_for_seeds("choreo-duplicate-idempotent.yaml", 30);
  expect_for_seeds("choreo-duplicate-not-idempotent.yaml", 30);
  const RunResult r = run(load("choreo-duplicate-not-idempotent.yaml"), 1);
  bool stock = false, money = false;
  for (const auto& inv : r.invariants) {
    stock |= inv.violated && inv.id == "stock-conservation";
    money |= inv.violated && inv.id == "money-conservation";
  }
  EXPECT_TRUE(stock) << "a unit reserved twice";
  EXPECT_FALSE(money) << "stock is not money";
}
TEST(ChoreographySim, ManualIntervention) {
  expect_for_seeds("choreo-compensation-keeps-failing.yaml", 10);
}

// --- the checker ---

check::CheckResult<Model> check_file(const std::string& name, unsigned threads = 1) {
  const Scenario sc = load(name);
  auto spec = check::check_spec_of(sc);
  if (!spec) throw std::runtime_error(spec.error().message);
  const Model m(sc, Choreography(sc, sc.options.at("saga_choreography")), *spec,
                check::ProtocolModelOptions{.check_blocking = sc.check.blocking});
  check::CheckOptions opt;
  opt.threads = threads;
  return check::explore(m, opt);
}

TEST(ChoreographyCheck, IdempotentCommutativeServicesAreSafeWithACrashAndADuplicate) {
  for (unsigned threads : {1u, 2u}) {
    const auto r = check_file("choreo-check-safe.yaml", threads);
    EXPECT_EQ(r.verdict, check::Verdict::ok) << threads << " threads";
    EXPECT_EQ(r.distinct_states, kSafeDistinct) << threads << " threads";
    EXPECT_EQ(r.states_generated, kSafeGenerated) << threads << " threads";
  }
}

TEST(ChoreographyCheck, ANonIdempotentServiceReservesTwice) {
  const auto r = check_file("choreo-check-unsafe.yaml");
  ASSERT_EQ(r.verdict, check::Verdict::violation);
  EXPECT_EQ(r.violation->invariant, "effect-at-most-once");
}

TEST(ChoreographyCheck, ABlindCompensationCreatesStock) {
  const auto r = check_file("choreo-check-not-commutative.yaml");
  ASSERT_EQ(r.verdict, check::Verdict::violation);
  EXPECT_EQ(r.violation->invariant, "stock-conservation");
  EXPECT_NE(r.violation->detail.find("created 1"), std::string::npos) << r.violation->detail;
}

}  // namespace
}  // namespace txsim::choreo
