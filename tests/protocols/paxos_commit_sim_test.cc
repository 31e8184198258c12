// Paxos Commit inside the simulator, on the hand-built scenario of paxos_commit_fixture.h: the
// handlers together with the engine's crash cuts, timers, partitions and invariants, over many
// seeds. The scenario files in scenarios/paxos_commit/ cover the same ground from YAML; these
// pin the claims without the loader: the fast path commits, a dead leader does not block (the
// RMs take over), F = 1 acceptor crash changes nothing, two acceptors down stop progress
// without breaking safety, and random crashes of any node never break atomicity.
#include "sim/runner.h"
#include "tests/protocols/paxos_commit_fixture.h"

namespace txsim::paxos_commit::testing {
namespace {

class PaxosCommitSimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sc.transactions.resize(1);  // t1 only: P1.a -10, P2.b +10
    sc.limits.time_limit = sec(3);
    sc.options["paxos_commit"] = options_with({});
  }
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
  void crash_at(NodeId node, Micros at, Micros recover_after) {
    FaultSpec f;
    f.when.kind = TriggerSpec::Kind::at_time;
    f.when.at = at;
    f.action.kind = FaultAction::Kind::crash;
    f.action.node = node;
    f.action.recover_after = recover_after;
    sc.faults.push_back(f);
  }
  RunResult run(std::uint64_t seed = 1) {
    Result<RunResult> r = run_protocol<PaxosCommit>(sc, RunOptions{seed, nullptr});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : RunResult{};
  }
  static std::string first_violation(const RunResult& r) {
    const InvariantResult* v = r.first_violation();
    return v ? v->id + ": " + v->detail : "none";
  }

  Scenario sc = make_scenario();
};

TEST_F(PaxosCommitSimTest, FastPathCommitsForManySeeds) {
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const RunResult r = run(seed);
    EXPECT_EQ(first_violation(r), "none") << "seed " << seed;
    EXPECT_EQ(r.end, EndReason::quiescent) << "seed " << seed;
    EXPECT_EQ(r.txs.at(0).outcome, Outcome::commit) << "seed " << seed;
    EXPECT_EQ(r.sent_by_type.count("Phase1a"), 0u) << "no takeover without a fault";
  }
}

TEST_F(PaxosCommitSimTest, DeadLeaderDoesNotBlock) {
  crash_after_send(C, "Prepare", 2, -1);  // the 2PC crash that blocks forever
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    const RunResult r = run(seed);
    EXPECT_EQ(first_violation(r), "none") << "seed " << seed;
    EXPECT_FALSE(r.blocked()) << "seed " << seed;
    EXPECT_EQ(r.txs.at(0).outcome, Outcome::commit) << "seed " << seed;
  }
}

TEST_F(PaxosCommitSimTest, OneAcceptorDownChangesNothing) {
  crash_at(A2, 0, -1);
  const RunResult r = run();
  EXPECT_EQ(first_violation(r), "none");
  EXPECT_EQ(r.txs.at(0).outcome, Outcome::commit);
  EXPECT_EQ(r.sent_by_type.count("Phase1a"), 0u) << "still the fast path";
}

TEST_F(PaxosCommitSimTest, TwoAcceptorsDownStopProgressUntilOneRecovers) {
  crash_at(A1, 0, -1);
  crash_at(A2, 0, -1);
  RunResult r = run();
  EXPECT_EQ(first_violation(r), "none") << "nothing can be decided, nothing wrong is";
  EXPECT_TRUE(r.blocked());
  sc.faults.back().action.recover_after = ms(400);  // A2 comes back: a majority again
  r = run();
  EXPECT_EQ(first_violation(r), "none");
  EXPECT_FALSE(r.blocked());
}

// Any node, or two, crash at varied moments and recover: never a violation, never a mixed
// outcome, and nobody is left in doubt. (A node that never recovers cannot apply its part, so
// money conservation would not hold at the end; recovery is part of the claim.)
TEST_F(PaxosCommitSimTest, CrashesWithRecoveryNeverBreakAtomicity) {
  sc.network.latency = Distribution::uniform(ms(1), ms(8));
  for (std::uint64_t seed = 1; seed <= 60; ++seed) {
    sc.faults.clear();
    const auto node = static_cast<NodeId>(seed % 6);
    const Micros at = static_cast<Micros>((seed * 7) % 40) * 1000;
    crash_at(node, at, seed % 2 == 0 ? ms(100) : ms(20));
    if (seed % 3 == 0) crash_at(static_cast<NodeId>((seed + 1) % 6), at + ms(3), ms(150));
    const RunResult r = run(seed);
    EXPECT_EQ(first_violation(r), "none") << "seed " << seed;
    EXPECT_NE(r.txs.at(0).outcome, Outcome::mixed) << "seed " << seed;
    EXPECT_FALSE(r.blocked()) << "seed " << seed;
  }
}

}  // namespace
}  // namespace txsim::paxos_commit::testing
