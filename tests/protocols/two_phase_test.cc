// Two-phase commit, failure-free behaviour: phase one, votes (yes, lock conflict, negative
// balance, scripted and chosen no), the decision, phase two, acks and duplicates. Each test
// pins the exact effect list, because the order (persist before vote, log before send) is
// what the protocol is about.
#include "tests/protocols/two_phase_fixture.h"

namespace txsim::two_phase::testing {
namespace {

TEST_F(TwoPhaseTest, RequestSendsPrepareToEachParticipantAscending) {
  EXPECT_EQ(proto->request_target(T1), C);
  EXPECT_EQ(request(T1), (Lines{"obs phase t1 collecting", "send P1 Prepare", "send P2 Prepare",
                                "send P3 Prepare", "set prepare-timeout t1 50ms"}));
  ASSERT_EQ(states[C].vol.collecting.size(), 1u);
  EXPECT_EQ(states[C].vol.collecting[0].tx, T1);
  EXPECT_EQ(request(T1), Lines{}) << "a repeated request is ignored";
}

TEST_F(TwoPhaseTest, TimerIdEncodesKindAndTx) {
  EXPECT_EQ(timer_id(TimerKind::prepare_timeout, 7), (1u << 16) | 7u);
  EXPECT_EQ(timer_id(TimerKind::query, 2), (3u << 16) | 2u);
  EXPECT_EQ(timer_kind(timer_id(TimerKind::retry, 9)), TimerKind::retry);
  EXPECT_EQ(timer_tx(timer_id(TimerKind::retry, 9)), 9);
}

TEST_F(TwoPhaseTest, YesVoteLocksPersistsThenVotes) {
  EXPECT_EQ(deliver(C, P1, Prepare{T1}),
            (Lines{"obs lock t1 P1.a", "persist", "obs vote t1 1", "obs phase t1 prepared",
                   "send C Vote {\"yes\":true}", "set query t1 30ms"}));
  ASSERT_NE(record(P1, T1), nullptr);
  EXPECT_EQ(record(P1, T1)->status, TxStatus::prepared);
  EXPECT_TRUE(record(P1, T1)->voted_yes) << "its deltas are the transaction's, from the config";
  EXPECT_EQ(disk[P1], states[P1].durable) << "the prepared record reached the disk";
  EXPECT_EQ(states[P1].vol.locks, (std::vector<Lock>{{A, T1}}));
  EXPECT_EQ(balance(P1, A), 100) << "no money moves before commit";
}

TEST_F(TwoPhaseTest, DuplicatePrepareResendsTheVoteOnly) {
  deliver(C, P1, Prepare{T1});
  const TwoPhase::State before = states[P1];
  EXPECT_EQ(deliver(C, P1, Prepare{T1}), Lines{"send C Vote {\"yes\":true}"});
  EXPECT_EQ(states[P1], before);
}

TEST_F(TwoPhaseTest, LockConflictVotesNo) {
  deliver(C, P1, Prepare{T1});
  EXPECT_EQ(deliver(C, P1, Prepare{T2}),
            (Lines{"persist", "obs vote t2 0", "obs decide t2 0", "obs phase t2 aborted",
                   "send C Vote {\"yes\":false}"}));
  EXPECT_EQ(record(P1, T2)->status, TxStatus::aborted);
  EXPECT_EQ(states[P1].vol.locks, (std::vector<Lock>{{A, T1}})) << "t1 keeps its lock";
  EXPECT_EQ(deliver(C, P1, Prepare{T2}), Lines{"send C Vote {\"yes\":false}"});
}

TEST_F(TwoPhaseTest, NegativeBalanceVotesNo) {
  EXPECT_EQ(deliver(C, P1, Prepare{T3}),
            (Lines{"persist", "obs vote t3 0", "obs decide t3 0", "obs phase t3 aborted",
                   "send C Vote {\"yes\":false}"}));
  EXPECT_TRUE(states[P1].vol.locks.empty());
  // P2 is credited by t3, so it can vote yes.
  EXPECT_EQ(deliver(C, P2, Prepare{T3})[0], "obs lock t3 P2.b");
}

TEST_F(TwoPhaseTest, ScriptedNoVote) {
  EXPECT_EQ(deliver(C, P2, Prepare{T4}).back(), "send C Vote {\"yes\":false}");
  EXPECT_EQ(deliver(C, P1, Prepare{T4}).back(), "set query t4 30ms") << "P1 is not scripted";
}

TEST_F(TwoPhaseTest, RandomNoVoteIsAChoice) {
  build({{"random_no_vote", "true"}});
  chooser.values = {0, 1};
  EXPECT_EQ(deliver(C, P1, Prepare{T1}),
            (Lines{"choose 2 -> 0", "persist", "obs vote t1 0", "obs decide t1 0",
                   "obs phase t1 aborted", "send C Vote {\"yes\":false}"}));
  EXPECT_EQ(deliver(C, P2, Prepare{T1})[0], "choose 2 -> 1");
  EXPECT_EQ(states[P2].vol.locks.size(), 1u) << "choice 1 keeps the yes vote";
  EXPECT_EQ(chooser.calls, 2);
  deliver(C, P2, Prepare{T4});  // scripted no: not a choice
  deliver(C, P1, Prepare{T3});  // negative balance: not a choice
  EXPECT_EQ(chooser.calls, 2);
}

TEST_F(TwoPhaseTest, NoChoiceWithoutRandomNoVote) {
  deliver(C, P1, Prepare{T1});
  EXPECT_EQ(chooser.calls, 0);
}

TEST_F(TwoPhaseTest, AllYesCommitsWriteAheadOfTheBroadcast) {
  prepare_t1();
  ASSERT_EQ(net.size(), 3u);
  EXPECT_EQ(deliver(P1, C, Vote{T1, true}), Lines{});
  EXPECT_EQ(deliver(P1, C, Vote{T1, true}), Lines{}) << "a duplicate vote counts once";
  EXPECT_EQ(deliver(P2, C, Vote{T1, true}), Lines{});
  EXPECT_EQ(
      deliver(P3, C, Vote{T1, true}),
      (Lines{"persist", "obs decide t1 1", "obs phase t1 committed", "cancel prepare-timeout t1",
             "send P1 Commit", "send P2 Commit", "send P3 Commit", "set retry t1 20ms"}));
  EXPECT_EQ(disk[C].commit_log, std::vector<TxId>{T1});
  EXPECT_TRUE(states[C].vol.collecting.empty());
  EXPECT_EQ(deliver(P1, C, Vote{T1, true}), Lines{}) << "late vote after the decision";
}

TEST_F(TwoPhaseTest, BrokenVariantSendsBeforeLogging) {
  build({{"log_before_send", "false"}});
  request(T1);
  deliver(P1, C, Vote{T1, true});
  deliver(P2, C, Vote{T1, true});
  EXPECT_EQ(deliver(P3, C, Vote{T1, true}),
            (Lines{"obs decide t1 1", "obs phase t1 committed", "cancel prepare-timeout t1",
                   "send P1 Commit", "send P2 Commit", "send P3 Commit", "persist",
                   "set retry t1 20ms"}));
}

TEST_F(TwoPhaseTest, NoVoteAbortsWithoutLogAndSkipsTheNoVoter) {
  request(T1);
  deliver(P1, C, Vote{T1, true});
  EXPECT_EQ(deliver(P2, C, Vote{T1, false}),
            (Lines{"obs decide t1 0", "obs phase t1 aborted", "cancel prepare-timeout t1",
                   "send P1 Abort", "send P3 Abort"}));
  EXPECT_TRUE(states[C].durable.commit_log.empty()) << "presumed abort logs nothing";
  EXPECT_TRUE(states[C].vol.collecting.empty());
  EXPECT_EQ(deliver(P3, C, Vote{T1, true}), Lines{}) << "late vote after the decision";
}

TEST_F(TwoPhaseTest, PrepareTimeoutAbortsEveryone) {
  request(T1);
  deliver(P1, C, Vote{T1, true});
  EXPECT_EQ(fire(C, TimerKind::prepare_timeout, T1),
            (Lines{"obs decide t1 0", "obs phase t1 aborted", "cancel prepare-timeout t1",
                   "send P1 Abort", "send P2 Abort", "send P3 Abort"}));
  EXPECT_EQ(fire(C, TimerKind::prepare_timeout, T1), Lines{}) << "stale timer";
}

TEST_F(TwoPhaseTest, CommitAppliesDurablyThenObservesAndAcks) {
  prepare_t1();
  deliver_round();  // votes -> C commits
  EXPECT_EQ(deliver(C, P1, Commit{T1}),
            (Lines{"persist", "obs balance t1 P1.a -30", "obs unlock t1 P1.a", "obs decide t1 1",
                   "obs phase t1 committed", "cancel query t1", "send C Ack"}));
  EXPECT_EQ(balance(P1, A), 70);
  EXPECT_EQ(disk[P1], states[P1].durable);
  EXPECT_EQ(record(P1, T1)->status, TxStatus::committed);
  EXPECT_TRUE(states[P1].vol.locks.empty());
  EXPECT_EQ(deliver(C, P1, Commit{T1}), Lines{"send C Ack"}) << "duplicate Commit: ack only";
  EXPECT_EQ(balance(P1, A), 70) << "applied once";
}

TEST_F(TwoPhaseTest, AllAcksWriteTheEndRecordAndForget) {
  prepare_t1();
  deliver_round();
  net.clear();
  EXPECT_EQ(deliver(P1, C, Ack{T1}), Lines{});
  EXPECT_EQ(fire(C, TimerKind::retry, T1),
            (Lines{"send P2 Commit", "send P3 Commit", "set retry t1 20ms"}));
  EXPECT_EQ(deliver(P2, C, Ack{T1}), Lines{});
  EXPECT_EQ(deliver(P3, C, Ack{T1}), (Lines{"persist", "obs forget t1", "cancel retry t1"}));
  EXPECT_TRUE(disk[C].commit_log.empty());
  EXPECT_TRUE(states[C].vol.acking.empty());
  EXPECT_EQ(deliver(P3, C, Ack{T1}), Lines{}) << "duplicate ack after the end";
  EXPECT_EQ(fire(C, TimerKind::retry, T1), Lines{}) << "stale retry timer";
}

TEST_F(TwoPhaseTest, AbortReleasesLocksOfAPreparedParticipant) {
  deliver(C, P1, Prepare{T1});
  EXPECT_EQ(deliver(C, P1, Abort{T1}), (Lines{"persist", "obs unlock t1 P1.a", "obs decide t1 0",
                                              "obs phase t1 aborted", "cancel query t1"}));
  EXPECT_TRUE(states[P1].vol.locks.empty());
  EXPECT_EQ(balance(P1, A), 100);
  EXPECT_EQ(deliver(C, P1, Abort{T1}), Lines{}) << "duplicate Abort";
  EXPECT_EQ(deliver(C, P1, Commit{T1}), Lines{}) << "never reverse, never ack it";
  EXPECT_EQ(record(P1, T1)->status, TxStatus::aborted);
}

TEST_F(TwoPhaseTest, AbortBeforePrepareMakesTheLatePrepareVoteNo) {
  EXPECT_EQ(deliver(C, P3, Abort{T1}),
            (Lines{"persist", "obs decide t1 0", "obs phase t1 aborted"}));
  EXPECT_EQ(deliver(C, P3, Prepare{T1}), Lines{"send C Vote {\"yes\":false}"});
  EXPECT_TRUE(states[P3].vol.locks.empty());
}

TEST_F(TwoPhaseTest, AbortAfterCommitIsIgnored) {
  deliver(C, P2, Prepare{T1});
  deliver(C, P2, Commit{T1});
  const TwoPhase::State before = states[P2];
  EXPECT_EQ(deliver(C, P2, Abort{T1}), Lines{});
  EXPECT_EQ(states[P2], before);
}

TEST_F(TwoPhaseTest, HappyPathEndToEnd) {
  request(T1);
  deliver_all();
  EXPECT_EQ(balance(P1, A), 70);
  EXPECT_EQ(balance(P2, B), 60);
  EXPECT_EQ(balance(P3, Cacc), 20);
  for (NodeId p : {P1, P2, P3}) {
    EXPECT_EQ(record(p, T1)->status, TxStatus::committed);
    EXPECT_TRUE(states[p].vol.locks.empty());
  }
  EXPECT_TRUE(states[C].durable.commit_log.empty());
  EXPECT_TRUE(states[C].vol.acking.empty());
  // t2 can now run: P1.a holds 70 < 80, so P1 votes no and t2 aborts everywhere.
  request(T2);
  deliver_all();
  EXPECT_EQ(record(P1, T2)->status, TxStatus::aborted);
  EXPECT_EQ(record(P3, T2)->status, TxStatus::aborted);
  EXPECT_EQ(balance(P3, Cacc), 20);
  EXPECT_TRUE(states[P3].vol.locks.empty());
}

}  // namespace
}  // namespace txsim::two_phase::testing
