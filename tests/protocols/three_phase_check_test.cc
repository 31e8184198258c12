// Three-phase commit under the model checker: ProtocolModel<ThreePhase> explores the
// protocol's own handlers with the budgets of the scenario files in scenarios/three_phase/.
// The three claims of docs/protocols/three_phase.md: with accurate (synchronous) timeouts and
// one crash, 3PC is safe and non-blocking; one partition breaks agreement; asynchronous
// timeouts break it with no fault at all. Counts are pinned (like Stateright's examples): a
// change means the protocol or the checker's transitions changed, and must be explained.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "protocols/registry.h"
#include "protocols/three_phase/three_phase.h"
#include "sim/check/explore.h"
#include "sim/check/protocol_check.h"
#include "sim/check/protocol_model.h"
#include "sim/invariant.h"
#include "sim/scenario_loader.h"

namespace txsim::check {
namespace {

using ThreePhaseModel = ProtocolModel<ThreePhase>;
static_assert(Model<ThreePhaseModel>);

ThreePhaseModel model_of(const std::string& relative) {
  LoadContext ctx;
  ctx.schema = [](std::string_view name) { return protocol_schema(name); };
  for (const ProtocolInfo& p : protocol_infos()) ctx.known_protocols.push_back(p.name);
  ctx.invariant_ids = standard_invariant_ids();
  Result<Scenario> sc = load_scenario_file(std::string(TXSIM_SOURCE_DIR) + "/" + relative, ctx);
  if (!sc) throw std::runtime_error(sc.error().message);
  Result<CheckSpec> spec = check_spec_of(*sc);
  if (!spec) throw std::runtime_error(spec.error().message);
  const ThreePhase protocol(*sc, sc->options.at("three_phase"));
  return ThreePhaseModel(*sc, protocol, *spec, ProtocolModelOptions{sc->check.blocking});
}

struct Expected {
  Verdict verdict = Verdict::ok;
  std::string invariant;  // for Verdict::violation
  std::uint64_t distinct = 0, generated = 0, depth = 0;
};

// The engine with 1 and 2 threads: the same verdict and counts either way (the larger space
// with 2 threads only, to keep the unit tests quick).
void expect_check(const std::string& file, const Expected& e, bool both = true) {
  const ThreePhaseModel m = model_of(file);
  for (unsigned threads : {2u, 1u}) {
    if (threads == 1 && !both) break;
    CheckOptions opt;
    opt.threads = threads;
    const CheckResult<ThreePhaseModel> r = explore(m, opt);
    EXPECT_EQ(r.verdict, e.verdict) << file << ", " << threads << " threads\n"
                                    << format_summary(r);
    if (e.verdict == Verdict::violation) {
      ASSERT_TRUE(r.violation.has_value());
      EXPECT_EQ(r.violation->invariant, e.invariant);
    }
    EXPECT_EQ(r.distinct_states, e.distinct) << file << ", " << threads << " threads";
    EXPECT_EQ(r.states_generated, e.generated) << file << ", " << threads << " threads";
    EXPECT_EQ(r.depth, e.depth) << file << ", " << threads << " threads";
  }
}

TEST(ThreePhaseCheck, SynchronousTimeoutsAndOneCrashAreSafeAndNonBlocking) {
  expect_check("scenarios/three_phase/check-sync-one-crash-safe.yaml",
               {Verdict::ok, "", 36965, 147563, 29}, false);
}

TEST(ThreePhaseCheck, SynchronousTimeoutsAndOnePartitionBreakAgreement) {
  expect_check("scenarios/three_phase/check-sync-partition-ac1.yaml",
               {Verdict::violation, "AC1", 1522, 3214, 11});
}

TEST(ThreePhaseCheck, AsynchronousTimeoutsBreakAgreementWithoutFaults) {
  expect_check("scenarios/three_phase/check-async-no-faults-ac1.yaml",
               {Verdict::violation, "AC1", 619, 1428, 9});
}

}  // namespace
}  // namespace txsim::check
