// TCC in the simulator and the model checker, from the scenario files of scenarios/tcc/:
// seeds sweeps of the runs whose claim is "whatever the latencies", and the checker's verdicts
// with pinned state counts (the same with 1 and 2 threads): with the full barrier it proves
// safety, with one barrier check off it finds the hanging Try, the double effect and the null
// compensation by itself.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "protocols/registry.h"
#include "protocols/tcc/tcc.h"
#include "sim/check/explore.h"
#include "sim/check/protocol_check.h"
#include "sim/check/protocol_model.h"
#include "sim/invariant.h"
#include "sim/runner.h"
#include "sim/scenario_loader.h"

namespace txsim::tcc {
namespace {

using Model = check::ProtocolModel<Tcc>;

Scenario load(const std::string& name) {
  LoadContext ctx;
  ctx.schema = [](std::string_view p) { return protocol_schema(p); };
  for (const ProtocolInfo& p : protocol_infos()) ctx.known_protocols.push_back(p.name);
  ctx.invariant_ids = standard_invariant_ids();
  const std::string path = std::string(TXSIM_SOURCE_DIR) + "/scenarios/tcc/" + name;
  Result<Scenario> sc = load_scenario_file(path, ctx);
  if (!sc) throw std::runtime_error(sc.error().message);
  return std::move(*sc);
}

RunResult run(const Scenario& sc, std::uint64_t seed) {
  Result<RunResult> r = run_protocol<Tcc>(sc, RunOptions{seed, nullptr});
  if (!r) throw std::runtime_error(r.error().message);
  return std::move(*r);
}

// The file's `expect:` holds for seeds 1..n.
void expect_for_seeds(const std::string& name, std::uint64_t n) {
  const Scenario sc = load(name);
  for (std::uint64_t seed = 1; seed <= n; ++seed) {
    const RunResult r = run(sc, seed);
    EXPECT_TRUE(r.expectation_misses.empty())
        << name << " --seed " << seed << ": " << r.expectation_misses.front();
  }
}

TEST(TccSim, HappyPathCommitsWhateverTheLatencies) { expect_for_seeds("happy-path.yaml", 50); }
TEST(TccSim, TheBarrierStopsTheHangingTryForEverySeed) {
  expect_for_seeds("try-overtaken-safe.yaml", 50);
}
TEST(TccSim, WithoutAntiHangingFundsStayFrozenForEverySeed) {
  expect_for_seeds("try-overtaken-hanging.yaml", 50);
}
TEST(TccSim, RetriesOutlastTransientErrors) { expect_for_seeds("transient-errors.yaml", 100); }
TEST(TccSim, TmRecoveryCompletesTheConfirm) {
  expect_for_seeds("tm-crash-after-confirm.yaml", 30);
}
TEST(TccSim, DuplicateConfirmWithoutIdempotencyDestroysMoney) {
  const RunResult r = run(load("duplicate-confirm.yaml"), 1);
  bool money = false;
  for (const InvariantResult& inv : r.invariants)
    money |= inv.violated && inv.id == "money-conservation";
  EXPECT_TRUE(money) << "P1.a pays 30 twice";
  ASSERT_NE(r.first_violation(), nullptr);
  EXPECT_EQ(r.first_violation()->id, "effect-at-most-once");
}

// The checker proves the file safe, with these counts, with 1 and 2 threads.
void expect_safe(const std::string& name, std::uint64_t distinct, std::uint64_t generated) {
  const Scenario sc = load(name);
  auto spec = check::check_spec_of(sc);
  ASSERT_TRUE(spec.ok());
  const Model m(sc, Tcc(sc, sc.options.at("tcc")), *spec,
                check::ProtocolModelOptions{.check_blocking = sc.check.blocking});
  for (unsigned threads : {1u, 2u}) {
    check::CheckOptions opt;
    opt.threads = threads;
    const check::CheckResult<Model> r = check::explore(m, opt);
    EXPECT_EQ(r.verdict, check::Verdict::ok) << name << ", " << threads << " threads";
    EXPECT_EQ(r.distinct_states, distinct) << name << ", " << threads << " threads";
    EXPECT_EQ(r.states_generated, generated) << name << ", " << threads << " threads";
  }
}

TEST(TccCheck, FullBarrierIsSafeWithReorderingAndADuplicate) {
  expect_safe("check-barrier-safe.yaml", 5940, 22588);
}
TEST(TccCheck, OneCrashAnywhereIsSafe) {
  expect_safe("check-tm-crash-safe.yaml", 15059, 66550);
}
TEST(TccCheck, TransientErrorsAreSafe) {
  expect_safe("check-transient-errors.yaml", 17708, 64250);
}
// The violation the checker reports first (blocking off: these files have no crash budget).
check::Violation first_violation(const std::string& name) {
  const Scenario sc = load(name);
  auto spec = check::check_spec_of(sc);
  if (!spec) throw std::runtime_error(spec.error().message);
  const Model m(sc, Tcc(sc, sc.options.at("tcc")), *spec, check::ProtocolModelOptions{});
  const check::CheckResult<Model> r = check::explore(m, check::CheckOptions{});
  if (r.verdict != check::Verdict::violation) throw std::runtime_error(name + ": no violation");
  return *r.violation;
}

TEST(TccCheck, FindsTheHangingTryWithoutAntiHanging) {
  const check::Violation v = first_violation("check-hanging.yaml");
  EXPECT_EQ(v.invariant, "no-frozen-funds");
  EXPECT_NE(v.detail.find("frozen forever"), std::string::npos) << v.detail;
}
TEST(TccCheck, FindsTheDoubleEffectWithoutIdempotency) {
  EXPECT_EQ(first_violation("check-double-confirm.yaml").invariant, "effect-at-most-once");
}
TEST(TccCheck, FindsTheBlindCompensationWithoutNullCompensation) {
  const check::Violation v = first_violation("check-null-compensation.yaml");
  EXPECT_EQ(v.invariant, "no-frozen-funds");
  EXPECT_NE(v.detail.find("-10"), std::string::npos) << v.detail;
}

}  // namespace
}  // namespace txsim::tcc
