// The model checker on Paxos Commit under asynchronous timing, where every timer may fire at
// any moment and every leader's takeover races the fast path and the other leaders. That space
// is too large to finish (well over a million worlds even with one takeover round), so these
// checks are bounded in depth: every path of at most N steps is explored, and no explored
// world may break an invariant. The counts are pinned (1 and 2 threads alike).
//
// Why here and not as scenario files: `txsim check` exits 3 whenever a search is incomplete,
// also when it stopped at the depth the scenario asked for, so a depth-bounded scenario would
// fail ctest. The configurations are check-fast-path.yaml with the budgets below.
// Slow (a few seconds, ~200 MB each): built into protocol_tests_slow, run by scripts/test --all.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "protocols/paxos_commit/paxos_commit.h"
#include "protocols/registry.h"
#include "sim/check/explore.h"
#include "sim/check/protocol_check.h"
#include "sim/check/protocol_model.h"
#include "sim/invariant.h"
#include "sim/scenario_loader.h"
#include "tests/protocols/paxos_commit_fixture.h"

namespace txsim::check {
namespace {

using PaxosModel = ProtocolModel<PaxosCommit>;
using paxos_commit::testing::options_with;

// Node ids of check-fast-path.yaml: C, P1, P2, A1, A2, A3.
constexpr NodeId kC = 0, kP1 = 1, kP2 = 2, kA1 = 3, kA2 = 4, kA3 = 5;

Scenario fast_path_scenario() {
  LoadContext ctx;
  ctx.schema = [](std::string_view name) { return protocol_schema(name); };
  for (const ProtocolInfo& p : protocol_infos()) ctx.known_protocols.push_back(p.name);
  ctx.invariant_ids = standard_invariant_ids();
  std::string path = TXSIM_SOURCE_DIR;
  path += "/scenarios/paxos_commit/check-fast-path.yaml";
  Result<Scenario> sc = load_scenario_file(path, ctx);
  if (!sc) throw std::runtime_error(sc.error().message);
  return std::move(*sc);
}

struct Bounded {
  std::uint64_t depth = 0;
  std::uint64_t distinct = 0;
  std::uint64_t generated = 0;
};

// Explores `sc` (blocking off) to `b.depth` with 1 and 2 threads: no violation, pinned counts.
void expect_bounded(const Scenario& sc, const Bounded& b) {
  Result<CheckSpec> spec = check_spec_of(sc);
  ASSERT_TRUE(spec.ok());
  const PaxosModel m(sc, PaxosCommit(sc, sc.options.at("paxos_commit")), *spec,
                     ProtocolModelOptions{.check_blocking = false});
  for (unsigned threads : {1u, 2u}) {
    CheckOptions opt;
    opt.threads = threads;
    opt.depth_max = b.depth;
    const CheckResult<PaxosModel> r = explore(m, opt);
    EXPECT_EQ(r.verdict, Verdict::incomplete) << threads << " threads";
    EXPECT_EQ(r.stop_reason, StopReason::depth_max) << threads << " threads";
    EXPECT_FALSE(r.violation.has_value()) << threads << " threads";
    EXPECT_EQ(r.distinct_states, b.distinct) << threads << " threads";
    EXPECT_EQ(r.states_generated, b.generated) << threads << " threads";
  }
}

// C, P1 and P2 each take over once (ballots 6, 7, 8), racing the ballot-0 votes and each
// other; no fault. A takeover decides in ten steps, so depth 12 covers a takeover racing the
// fast path and a second leader.
TEST(PaxosCommitAsyncCheck, CompetingLeadersAreSafeToDepth12) {
  Scenario sc = fast_path_scenario();
  sc.options["paxos_commit"] = options_with({{"max_round", "1"}});
  expect_bounded(sc, Bounded{12, 60831, 225376});
}

// One crash of any node (an acceptor: F = 1), also inside a handler, with or without recovery;
// C's one takeover races the votes (the RMs only ask).
TEST(PaxosCommitAsyncCheck, OneCrashIsSafeToDepth10) {
  Scenario sc = fast_path_scenario();
  sc.options["paxos_commit"] = options_with({{"max_round", "1"}, {"rm_takeover", "false"}});
  sc.check.crashes = 1;
  expect_bounded(sc, Bounded{10, 80645, 305851});
}

// The 3PC split, [P1] | [C, P2, A1, A2, A3], starting and healing at any moment; every
// leader takes over once.
TEST(PaxosCommitAsyncCheck, PartitionSplitIsSafeToDepth11) {
  Scenario sc = fast_path_scenario();
  sc.options["paxos_commit"] = options_with({{"max_round", "1"}});
  sc.check.partitions = 1;
  sc.check.partition_choices = {{{kP1}, {kC, kP2, kA1, kA2, kA3}}};
  expect_bounded(sc, Bounded{11, 54144, 189115});
}

}  // namespace
}  // namespace txsim::check
