// The `saga:` block: the bundled saga scenarios load to exact SagaSpecs (one saga run by every
// transaction; several under `sagas:` with their `runs:`), defaults filled in. The malformed
// ones are in the bad-scenario corpus (tests/data/bad_scenarios/saga_*.yaml).
#include <gtest/gtest.h>

#include "protocols/registry.h"
#include "sim/invariant.h"
#include "sim/scenario_loader.h"

namespace txsim {
namespace {

Scenario load(const std::string& name) {
  LoadContext ctx;
  ctx.schema = [](std::string_view p) { return protocol_schema(p); };
  for (const ProtocolInfo& p : protocol_infos()) ctx.known_protocols.push_back(p.name);
  ctx.invariant_ids = standard_invariant_ids();
  const std::string path = std::string(TXSIM_SOURCE_DIR) + "/scenarios/saga/" + name;
  Result<Scenario> r = load_scenario_file(path, ctx);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : Scenario{};
}

TEST(SagaLoader, OneSagaRunByEveryTransaction) {
  const Scenario s = load("order-success.yaml");
  ASSERT_EQ(s.saga.sagas.size(), 1u);
  const SagaDef& d = s.saga.sagas[0];
  EXPECT_EQ(d.name, "order");
  EXPECT_EQ(d.runs, std::vector<TxId>{0});
  EXPECT_EQ(s.saga.saga_of(0), &d);
  ASSERT_EQ(d.steps.size(), 5u);
  EXPECT_EQ(d.steps[0].kind, SagaStepKind::compensatable);
  EXPECT_EQ(d.steps[0].service, s.node_by_name("Orders").value());
  EXPECT_EQ(d.steps[0].compensation, (std::vector<SagaTransfer>{{0, -1}})) << "the inverse";
  EXPECT_TRUE(d.steps[0].idempotent);
  EXPECT_TRUE(d.steps[0].commutative);
  EXPECT_EQ(d.steps[2].kind, SagaStepKind::pivot);
  EXPECT_EQ(d.steps[2].action.size(), 2u);
  EXPECT_EQ(d.steps[2].after, std::vector<std::size_t>{1});
  EXPECT_EQ(d.steps[4].kind, SagaStepKind::retriable);
  EXPECT_FALSE(d.steps[4].compensable);
  EXPECT_EQ(s.transactions[0].participants.size(), 5u);
}

TEST(SagaLoader, SeveralSagasWithTheirInstances) {
  const Scenario s = load("isolation-anomaly.yaml");
  ASSERT_EQ(s.saga.sagas.size(), 2u);
  EXPECT_EQ(s.saga.sagas[0].name, "transfer");
  EXPECT_EQ(s.saga.sagas[1].runs, std::vector<TxId>{1});
  EXPECT_EQ(s.saga.saga_of(1)->name, "spend");
  EXPECT_EQ(s.expect.violation, "semantic-atomicity");
}

TEST(SagaLoader, ScriptedFailuresAndServiceOptions) {
  EXPECT_TRUE(load("order-charge-fails.yaml").saga.sagas[0].steps[2].fails_always);
  EXPECT_EQ(load("order-sms-retried.yaml").saga.sagas[0].steps[4].fails_first, 2u);
  EXPECT_EQ(load("compensation-keeps-failing.yaml").saga.sagas[0].steps[1].compensation_fails,
            10u);
  EXPECT_FALSE(load("check-not-idempotent.yaml").saga.sagas[0].steps[0].idempotent);
  EXPECT_FALSE(load("check-not-commutative.yaml").saga.sagas[0].steps[0].commutative);
}

TEST(SagaLoader, ScenariosWithoutASagaHaveNone) {
  LoadContext ctx;
  ctx.known_protocols = {"two_phase"};
  const std::string path = std::string(TXSIM_SOURCE_DIR) + "/scenarios/two_phase/happy-path.yaml";
  Result<Scenario> r = load_scenario_file(path, ctx);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->saga.present());
  EXPECT_EQ(r->saga.saga_of(0), nullptr);
}

}  // namespace
}  // namespace txsim
