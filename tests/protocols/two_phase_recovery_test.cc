// Two-phase commit under failures: the termination protocol (Query answered by the log or by
// presumption), crash and recovery of participants and of the coordinator, the broken
// log_before_send=false variant losing its decision, and cooperative termination.
#include "tests/protocols/two_phase_fixture.h"

namespace txsim::two_phase::testing {
namespace {

TEST_F(TwoPhaseTest, InDoubtParticipantQueriesTheCoordinator) {
  deliver(C, P1, Prepare{T1});
  EXPECT_EQ(fire(P1, TimerKind::query, T1), (Lines{"send C Query", "set query t1 30ms"}));
  deliver(C, P1, Abort{T1});
  EXPECT_EQ(fire(P1, TimerKind::query, T1), Lines{}) << "no longer in doubt";
}

TEST_F(TwoPhaseTest, QueryIsAnsweredFromTheLogOrByPresumption) {
  request(T1);
  EXPECT_EQ(deliver(P1, C, Query{T1}), Lines{}) << "still collecting: the timeout will answer";
  deliver(P1, C, Vote{T1, true});
  deliver(P2, C, Vote{T1, true});
  deliver(P3, C, Vote{T1, true});
  EXPECT_EQ(deliver(P1, C, Query{T1}), Lines{"send P1 Commit"});
  // t2 was never requested: unknown means aborted, and presuming is not deciding.
  EXPECT_EQ(deliver(P3, C, Query{T2}), Lines{"send P3 Abort"});
}

TEST_F(TwoPhaseTest, QueryAfterAbortGetsAbort) {
  request(T1);
  deliver(P2, C, Vote{T1, false});
  EXPECT_EQ(deliver(P1, C, Query{T1}), Lines{"send P1 Abort"});
}

TEST_F(TwoPhaseTest, QueryAfterTheEndRecordGetsAbortWhichACommittedParticipantIgnores) {
  request(T1);
  deliver_all();
  ASSERT_EQ(record(P1, T1)->status, TxStatus::committed);
  EXPECT_EQ(deliver(P1, C, Query{T1}), Lines{"send P1 Abort"}) << "a stale, duplicated Query";
  EXPECT_EQ(deliver(C, P1, Abort{T1}), Lines{});
  EXPECT_EQ(record(P1, T1)->status, TxStatus::committed);
}

TEST_F(TwoPhaseTest, RecoveredParticipantReacquiresLocksAndKeepsAsking) {
  deliver(C, P1, Prepare{T1});
  EXPECT_EQ(crash_and_recover(P1), (Lines{"obs lock t1 P1.a", "set query t1 30ms"}));
  EXPECT_EQ(states[P1].vol.locks, (std::vector<Lock>{{A, T1}}));
  EXPECT_EQ(record(P1, T1)->status, TxStatus::prepared) << "the vote survived the crash";
  EXPECT_EQ(deliver(C, P1, Prepare{T2}).back(), "send C Vote {\"yes\":false}")
      << "the re-acquired lock still blocks t2";
  EXPECT_EQ(deliver(C, P1, Commit{T1}).back(), "send C Ack");
  EXPECT_EQ(balance(P1, A), 70);
}

TEST_F(TwoPhaseTest, RecoveredParticipantWithDecidedTxsDoesNothing) {
  deliver(C, P1, Prepare{T1});
  deliver(C, P1, Commit{T1});
  deliver(C, P1, Prepare{T3});  // votes no
  EXPECT_EQ(crash_and_recover(P1), Lines{});
  EXPECT_TRUE(states[P1].vol.locks.empty());
  EXPECT_EQ(balance(P1, A), 70) << "the committed balance is durable";
}

TEST_F(TwoPhaseTest, RecoveredCoordinatorResendsLoggedCommits) {
  prepare_t1();
  deliver_round();
  net.clear();
  deliver(P1, C, Ack{T1});
  EXPECT_EQ(crash_and_recover(C),
            (Lines{"send P1 Commit", "send P2 Commit", "send P3 Commit", "set retry t1 20ms"}));
  ASSERT_EQ(states[C].vol.acking.size(), 1u);
  EXPECT_TRUE(states[C].vol.acking[0].acked.empty()) << "acks were volatile";
  deliver(P1, C, Ack{T1});
  deliver(P2, C, Ack{T1});
  EXPECT_EQ(deliver(P3, C, Ack{T1}), (Lines{"persist", "obs forget t1", "cancel retry t1"}));
}

TEST_F(TwoPhaseTest, RecoveredCoordinatorForgetsCollectingAndPresumesAbort) {
  request(T1);
  deliver(P1, C, Vote{T1, true});
  EXPECT_EQ(crash_and_recover(C), Lines{});
  EXPECT_TRUE(states[C].vol.collecting.empty());
  EXPECT_EQ(deliver(P2, C, Vote{T1, true}), Lines{}) << "a vote for a forgotten tx";
  EXPECT_EQ(deliver(P1, C, Query{T1}), Lines{"send P1 Abort"});
}

TEST_F(TwoPhaseTest, BrokenVariantLosesTheDecisionInACrashAfterTheSends) {
  build({{"log_before_send", "false"}});
  prepare_t1();
  net.clear();
  deliver(P1, C, Vote{T1, true});
  deliver(P2, C, Vote{T1, true});
  const TwoPhase::Durable before = disk[C];
  deliver(P3, C, Vote{T1, true});  // sends Commit x3, then persists
  disk[C] = before;                // the crash cut the effect list just before the persist
  EXPECT_EQ(crash_and_recover(C), Lines{}) << "no commit record: nothing to resend";
  deliver(C, P1, Commit{T1});  // P1 had already received its Commit
  EXPECT_EQ(deliver(P2, C, Query{T1}), Lines{"send P2 Abort"});
  deliver(C, P2, Abort{T1});
  EXPECT_EQ(record(P1, T1)->status, TxStatus::committed);
  EXPECT_EQ(record(P2, T1)->status, TxStatus::aborted) << "atomicity is broken, as intended";
}

TEST_F(TwoPhaseTest, CorrectVariantKeepsTheDecisionInTheSameCrash) {
  prepare_t1();
  net.clear();
  deliver(P1, C, Vote{T1, true});
  deliver(P2, C, Vote{T1, true});
  deliver(P3, C, Vote{T1, true});  // persist is the first effect: any cut after a send keeps it
  crash_and_recover(C);
  EXPECT_EQ(deliver(P2, C, Query{T1}), Lines{"send P2 Commit"});
}

TEST_F(TwoPhaseTest, CooperativeTerminationAsksThePeers) {
  build({{"cooperative_termination", "true"}});
  deliver(C, P2, Prepare{T1});
  EXPECT_EQ(fire(P2, TimerKind::query, T1),
            (Lines{"send C Query", "send P1 PeerQuery", "send P3 PeerQuery", "set query t1 30ms"}));
}

TEST_F(TwoPhaseTest, PeerThatHasNotVotedAbortsUnilaterally) {
  build({{"cooperative_termination", "true"}});
  deliver(C, P2, Prepare{T1});
  EXPECT_EQ(deliver(P2, P1, PeerQuery{T1}),
            (Lines{"persist", "obs vote t1 0", "obs decide t1 0", "obs phase t1 aborted",
                   "send P2 PeerReply {\"outcome\":\"abort\"}"}));
  EXPECT_EQ(deliver(C, P1, Prepare{T1}), Lines{"send C Vote {\"yes\":false}"})
      << "the late Prepare gets the no vote, observed once";
  EXPECT_EQ(deliver(P1, P2, PeerReply{T1, PeerOutcome::abort}),
            (Lines{"persist", "obs unlock t1 P2.b", "obs decide t1 0", "obs phase t1 aborted",
                   "cancel query t1"}));
}

TEST_F(TwoPhaseTest, PeersAnswerWhatTheyKnow) {
  build({{"cooperative_termination", "true"}});
  deliver(C, P1, Prepare{T1});
  deliver(C, P2, Prepare{T1});
  deliver(C, P3, Prepare{T1});
  EXPECT_EQ(deliver(P2, P1, PeerQuery{T1}), Lines{"send P2 PeerReply {\"outcome\":\"unknown\"}"})
      << "an in-doubt peer cannot help";
  EXPECT_EQ(deliver(P1, P2, PeerReply{T1, PeerOutcome::unknown}), Lines{});
  deliver(C, P1, Commit{T1});
  EXPECT_EQ(deliver(P2, P1, PeerQuery{T1}), Lines{"send P2 PeerReply {\"outcome\":\"commit\"}"});
  EXPECT_EQ(deliver(P1, P2, PeerReply{T1, PeerOutcome::commit}),
            (Lines{"persist", "obs balance t1 P2.b 10", "obs unlock t1 P2.b", "obs decide t1 1",
                   "obs phase t1 committed", "cancel query t1"}))
      << "learned from a peer: no Ack, the coordinator's retry will get one";
  EXPECT_EQ(balance(P2, B), 60);
  EXPECT_EQ(deliver(P1, P2, PeerReply{T1, PeerOutcome::commit}), Lines{}) << "duplicate";
}

TEST_F(TwoPhaseTest, CooperativeTerminationCannotHelpWhenAllAreInDoubt) {
  build({{"cooperative_termination", "true"}});
  prepare_t1();
  net.clear();  // the votes never reach C: it is down
  for (NodeId p : {P1, P2, P3}) fire(p, TimerKind::query, T1);
  std::deque<Sent> round;
  round.swap(net);
  for (const Sent& s : round) {
    if (s.to != C) deliver(s.from, s.to, s.msg);
  }
  deliver_round();  // the replies: all "unknown"
  for (NodeId p : {P1, P2, P3}) {
    EXPECT_EQ(record(p, T1)->status, TxStatus::prepared) << "still blocked";
    EXPECT_EQ(states[p].vol.locks.size(), 1u);
  }
}

}  // namespace
}  // namespace txsim::two_phase::testing
