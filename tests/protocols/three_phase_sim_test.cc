// Three-phase commit inside the simulator, on the hand-built scenario of
// three_phase_fixture.h: the handlers together with the engine's crash cuts, partitions,
// timers and invariants. The scenario files in scenarios/three_phase/ cover the same ground
// from YAML; these pin the textbook results without the loader: the happy path commits for
// many seeds, a dead coordinator does not block, the torn PreCommit commits with a crash only
// and breaks atomicity once a partition isolates the precommitted participant.
#include "sim/runner.h"
#include "tests/protocols/three_phase_fixture.h"

namespace txsim::three_phase::testing {
namespace {

class ThreePhaseSimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sc.transactions.resize(1);  // t1 only: P1.a -30, P2.b +10, P3.c +20
    sc.limits.time_limit = sec(2);
    OptionValues ov;
    ov.fill_defaults(ThreePhase::schema());
    sc.options["three_phase"] = ov;
  }
  // Crash `node` right after it sends its count-th `type` message; recover after
  // `recover_after` (-1: never).
  void crash_after_send(NodeId node, std::string type, std::uint32_t count, Micros recover_after) {
    FaultSpec f;
    f.when.kind = TriggerSpec::Kind::sent;
    f.when.from = node;
    f.when.msg_type = std::move(type);
    f.when.count = count;
    f.action.kind = FaultAction::Kind::crash;
    f.action.node = node;
    f.action.recover_after = recover_after;
    sc.faults.push_back(f);
  }
  // Isolate `node` from everyone when it receives its first `type` message.
  void isolate_on_delivery(NodeId node, std::string type) {
    FaultSpec f;
    f.when.kind = TriggerSpec::Kind::delivered;
    f.when.to = node;
    f.when.msg_type = std::move(type);
    f.action.kind = FaultAction::Kind::partition;
    std::vector<NodeId> rest;
    for (NodeId n = 0; n < sc.nodes.size(); ++n) {
      if (n != node) rest.push_back(n);
    }
    f.action.groups = {{node}, rest};
    sc.faults.push_back(f);
  }
  RunResult run(std::uint64_t seed = 1) {
    Result<RunResult> r = run_protocol<ThreePhase>(sc, RunOptions{seed, nullptr});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : RunResult{};
  }
  static std::string first_violation(const RunResult& r) {
    const InvariantResult* v = r.first_violation();
    return v ? v->id + ": " + v->detail : "none";
  }

  Scenario sc = make_scenario();
};

TEST_F(ThreePhaseSimTest, HappyPathCommitsForManySeeds) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const RunResult r = run(seed);
    EXPECT_EQ(first_violation(r), "none") << "seed " << seed;
    EXPECT_EQ(r.end, EndReason::quiescent) << "seed " << seed;
    ASSERT_EQ(r.txs.size(), 1u);
    EXPECT_EQ(r.txs[0].outcome, Outcome::commit) << "seed " << seed;
  }
}

TEST_F(ThreePhaseSimTest, ConflictingTransactionsNeverOverdraw) {
  sc = make_scenario();  // all four transactions at time 0: t1 and t2 conflict on P1.a
  sc.limits.time_limit = sec(2);
  OptionValues ov;
  ov.fill_defaults(ThreePhase::schema());
  sc.options["three_phase"] = ov;
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const RunResult r = run(seed);
    EXPECT_EQ(first_violation(r), "none") << "seed " << seed;
    EXPECT_EQ(r.end, EndReason::quiescent) << "seed " << seed;
    EXPECT_EQ(r.txs[T3].outcome, Outcome::abort) << "P1.d would go negative";
    EXPECT_EQ(r.txs[T4].outcome, Outcome::abort) << "P2 is scripted to vote no";
  }
}

TEST_F(ThreePhaseSimTest, DeadCoordinatorBeforePrecommitDoesNotBlock) {
  crash_after_send(C, "CanCommit", 3, -1);
  const RunResult r = run();
  EXPECT_FALSE(r.blocked()) << "2PC blocks here (two_phase_sim_test.cc)";
  EXPECT_EQ(r.txs[0].outcome, Outcome::abort);
  EXPECT_EQ(first_violation(r), "none");
}

TEST_F(ThreePhaseSimTest, TornPreCommitCommitsWithACrashOnly) {
  crash_after_send(C, "PreCommit", 1, -1);
  const RunResult r = run();
  EXPECT_EQ(first_violation(r), "none");
  EXPECT_EQ(r.txs[0].outcome, Outcome::commit);
  EXPECT_FALSE(r.blocked());
}

TEST_F(ThreePhaseSimTest, TornPreCommitWithAPartitionBreaksAgreement) {
  crash_after_send(C, "PreCommit", 1, -1);
  isolate_on_delivery(P1, "PreCommit");
  const RunResult r = run();
  EXPECT_EQ(first_violation(r).substr(0, 4), "AC1:") << first_violation(r);
  EXPECT_EQ(r.txs[0].outcome, Outcome::mixed);
}

TEST_F(ThreePhaseSimTest, CrashedParticipantRecoversUncertainAndCommits) {
  crash_after_send(P2, "Vote", 1, ms(150));
  const RunResult r = run();
  EXPECT_EQ(first_violation(r), "none");
  EXPECT_EQ(r.txs[0].outcome, Outcome::commit);
  EXPECT_EQ(r.end, EndReason::quiescent);
}

TEST_F(ThreePhaseSimTest, RecoveredCoordinatorLearnsTheOutcome) {
  crash_after_send(C, "PreCommit", 1, ms(30));
  const RunResult r = run();
  EXPECT_EQ(first_violation(r), "none");
  EXPECT_EQ(r.txs[0].outcome, Outcome::commit);
  EXPECT_EQ(r.end, EndReason::quiescent);
}

}  // namespace
}  // namespace txsim::three_phase::testing
