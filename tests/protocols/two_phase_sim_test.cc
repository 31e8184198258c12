// Two-phase commit inside the simulator, on the hand-built scenario of two_phase_fixture.h:
// the handlers together with the engine's crash cuts, timers and invariants. The scenario
// files in scenarios/two_phase/ cover the same ground from YAML; these pin the textbook
// results without depending on the loader: the happy path commits, the torn Commit broadcast
// breaks atomicity only in the log_before_send=false variant, a dead coordinator blocks, and
// cooperative termination unblocks a participant whose peers have not voted.
#include "sim/runner.h"
#include "tests/protocols/two_phase_fixture.h"

namespace txsim::two_phase::testing {
namespace {

class TwoPhaseSimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sc.transactions.resize(1);  // t1 only: P1.a -30, P2.b +10, P3.c +20
    sc.limits.time_limit = sec(2);
    set_options({});
  }
  void set_options(const std::vector<std::pair<std::string, std::string>>& overrides) {
    OptionValues ov;
    const OptionSchema schema = TwoPhase::schema();
    ov.fill_defaults(schema);
    for (const auto& [key, text] : overrides) {
      for (const OptionSpec& s : schema) {
        if (s.key == key) {
          ASSERT_EQ(ov.set(s, text), "");
        }
      }
    }
    sc.options["two_phase"] = ov;
  }
  // Crash `node` right after it sends its count-th `type` message (the rest of that
  // handler's effects are cut); recover after `recover_after` (-1: never).
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
  RunResult run(std::uint64_t seed = 1) {
    Result<RunResult> r = run_protocol<TwoPhase>(sc, RunOptions{seed, nullptr});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : RunResult{};
  }
  static std::string first_violation(const RunResult& r) {
    const InvariantResult* v = r.first_violation();
    return v ? v->id + ": " + v->detail : "none";
  }

  Scenario sc = make_scenario();
};

TEST_F(TwoPhaseSimTest, HappyPathCommitsForManySeeds) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const RunResult r = run(seed);
    EXPECT_EQ(first_violation(r), "none") << "seed " << seed;
    EXPECT_EQ(r.end, EndReason::quiescent) << "seed " << seed;
    ASSERT_EQ(r.txs.size(), 1u);
    EXPECT_EQ(r.txs[0].outcome, Outcome::commit) << "seed " << seed;
    EXPECT_FALSE(r.blocked());
  }
}

TEST_F(TwoPhaseSimTest, ConflictingTransactionsNeverOverdraw) {
  sc = make_scenario();  // all four transactions at time 0: t1 and t2 conflict on P1.a
  sc.limits.time_limit = sec(2);
  set_options({});
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const RunResult r = run(seed);
    EXPECT_EQ(first_violation(r), "none") << "seed " << seed;
    EXPECT_EQ(r.end, EndReason::quiescent) << "seed " << seed;
    EXPECT_EQ(r.txs[T3].outcome, Outcome::abort) << "P1.d would go negative";
    EXPECT_EQ(r.txs[T4].outcome, Outcome::abort) << "P2 is scripted to vote no";
  }
}

TEST_F(TwoPhaseSimTest, TornCommitBroadcastBreaksOnlyTheBrokenVariant) {
  crash_after_send(C, "Commit", 1, ms(10));
  set_options({{"log_before_send", "false"}});
  RunResult r = run();
  EXPECT_EQ(first_violation(r).substr(0, 4), "AC1:") << first_violation(r);

  set_options({});
  r = run();
  EXPECT_EQ(first_violation(r), "none");
  EXPECT_EQ(r.txs[0].outcome, Outcome::commit);
  EXPECT_EQ(r.end, EndReason::quiescent);
}

TEST_F(TwoPhaseSimTest, DeadCoordinatorAfterPrepareBlocks) {
  crash_after_send(C, "Prepare", 3, -1);
  const RunResult r = run();
  EXPECT_TRUE(r.blocked());
  EXPECT_EQ(r.end, EndReason::time_limit);
  EXPECT_EQ(first_violation(r), "none") << "blocking is not a safety violation";
}

TEST_F(TwoPhaseSimTest, CooperativeTerminationCannotUnblockWhenAllArePrepared) {
  crash_after_send(C, "Prepare", 3, -1);
  set_options({{"cooperative_termination", "true"}});
  EXPECT_TRUE(run().blocked());
}

TEST_F(TwoPhaseSimTest, CooperativeTerminationUnblocksWhenAPeerHasNotVoted) {
  crash_after_send(C, "Prepare", 1, -1);  // only P1 gets Prepare
  set_options({{"cooperative_termination", "true"}});
  const RunResult r = run();
  EXPECT_FALSE(r.blocked());
  EXPECT_EQ(first_violation(r), "none");
  EXPECT_EQ(r.end, EndReason::quiescent);

  set_options({});
  EXPECT_TRUE(run().blocked()) << "without it, P1 waits for the coordinator forever";
}

TEST_F(TwoPhaseSimTest, CrashedParticipantRecoversInDoubtAndCommits) {
  crash_after_send(P2, "Vote", 1, ms(100));
  const RunResult r = run();
  EXPECT_EQ(first_violation(r), "none");
  EXPECT_EQ(r.txs[0].outcome, Outcome::commit);
  EXPECT_EQ(r.end, EndReason::quiescent);
}

TEST(TwoPhaseCheckScenario, RejectsScenariosItCannotRun) {
  Scenario sc = make_scenario();
  EXPECT_EQ(TwoPhase::check_scenario(sc), "");
  sc.nodes[P1].role = Role::coordinator;
  EXPECT_NE(TwoPhase::check_scenario(sc), "");
  sc = make_scenario();
  sc.transactions[T1].transfers[0].at = P2;  // P1.a transferred at P2
  EXPECT_NE(TwoPhase::check_scenario(sc), "");
}

}  // namespace
}  // namespace txsim::two_phase::testing
