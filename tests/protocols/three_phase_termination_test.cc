// Three-phase commit, failures: the election (lowest participant not suspected), the
// termination rules TR1-TR4 applied by the elected leader, a leader's collect timeout, stale
// messages from a coordinator given up on, and recovery (a recovered node asks, it never
// decides from an undecided log). Each test pins the effect lists that matter.
#include "tests/protocols/three_phase_fixture.h"

namespace txsim::three_phase::testing {
namespace {

const Lines kP1Leads = {"cancel wait t1", "obs phase t1 terminating", "send P2 StateReq",
                        "send P3 StateReq", "set collect t1 40ms"};

TEST_F(ThreePhaseTest, TimeoutOnTheCoordinatorElectsTheLowestParticipant) {
  vote_t1();
  net.clear();
  EXPECT_EQ(fire_wait(P2, T1), (Lines{"send P1 Elect", "set wait t1 40ms"}));
  EXPECT_EQ(follow(P2, T1)->leader, P1);
  EXPECT_EQ(follow(P2, T1)->suspected, node_bit(C));
  EXPECT_EQ(proto->timer_peers(states[P2], timer_id(TimerKind::wait, T1)), node_bit(P1));
  EXPECT_EQ(fire_wait(P2, T1), (Lines{"cancel wait t1", "obs phase t1 terminating",
                                      "send P3 StateReq", "set collect t1 40ms"}))
      << "P1 is silent too: P2 is the lowest it does not suspect";
  EXPECT_EQ(proto->timer_peers(states[P2], timer_id(TimerKind::collect, T1)), node_bit(P3));
}

TEST_F(ThreePhaseTest, TheLowestParticipantLeadsOnItsOwnTimeoutOrOnElect) {
  vote_t1();
  net.clear();
  EXPECT_EQ(fire_wait(P1, T1), kP1Leads);
  EXPECT_EQ(deliver(P2, P1, Elect{T1}), Lines{}) << "already leading";
  build({});
  vote_t1();
  net.clear();
  EXPECT_EQ(deliver(P3, P1, Elect{T1}), kP1Leads);
}

TEST_F(ThreePhaseTest, AllUncertainAborts) {  // TR4
  vote_t1();
  net.clear();
  fire_wait(P1, T1);
  deliver_round();  // StateReqs -> P2, P3 answer uncertain and follow P1
  EXPECT_EQ(follow(P2, T1)->leader, P1);
  EXPECT_EQ(queued(), (Lines{"P2->P1 StateReply", "P3->P1 StateReply"}));
  EXPECT_EQ(deliver(P2, P1, StateReply{T1, PeerState::uncertain}), Lines{});
  EXPECT_EQ(deliver(P3, P1, StateReply{T1, PeerState::uncertain}),
            (Lines{"persist", "obs unlock t1 P1.a", "obs decide t1 0", "obs phase t1 aborted",
                   "cancel collect t1", "send P2 Abort", "send P3 Abort", "send C Abort"}));
  net.clear();
}

TEST_F(ThreePhaseTest, SomePrecommittedFinishesThePrecommitThenCommits) {  // TR3
  vote_t1();
  deliver_round();  // votes -> C sends PreCommit to all
  std::deque<Sent> precommits;
  precommits.swap(net);
  deliver(C, P1, PreCommit{T1});  // only P1 gets it: the coordinator's broadcast was torn
  net.clear();
  fire_wait(P1, T1);
  deliver_round();
  deliver(P2, P1, StateReply{T1, PeerState::uncertain});
  EXPECT_EQ(deliver(P3, P1, StateReply{T1, PeerState::uncertain}),
            (Lines{"send P2 PreCommit", "send P3 PreCommit", "set collect t1 40ms"}));
  net.clear();
  EXPECT_EQ(deliver(P1, P2, PreCommit{T1}),
            (Lines{"persist", "obs phase t1 precommitted", "send P1 PreCommitAck",
                   "set wait t1 40ms"}));
  EXPECT_EQ(deliver(C, P3, PreCommit{T1}), Lines{}) << "stale: P3 follows P1 now";
  EXPECT_EQ(deliver(P2, P1, PreCommitAck{T1}), Lines{});
  deliver(P1, P3, PreCommit{T1});
  const Lines commit = deliver(P3, P1, PreCommitAck{T1});
  EXPECT_EQ(commit.front(), "persist");
  EXPECT_EQ(Lines(commit.end() - 4, commit.end()),
            (Lines{"cancel collect t1", "send P2 DoCommit", "send P3 DoCommit",
                   "send C DoCommit"}));
  deliver_all();
  EXPECT_EQ(record(P2, T1)->status, TxStatus::committed);
  EXPECT_EQ(record(P3, T1)->status, TxStatus::committed);
  EXPECT_EQ(disk[C].coord_log[0].status, CoordStatus::committed) << "C learns it too";
}

TEST_F(ThreePhaseTest, AnUncertainLeaderPrecommitsItselfFirst) {
  vote_t1();
  net.clear();
  fire_wait(P1, T1);
  net.clear();
  deliver(P2, P1, StateReply{T1, PeerState::precommitted});
  EXPECT_EQ(deliver(P3, P1, StateReply{T1, PeerState::uncertain}),
            (Lines{"persist", "obs phase t1 precommitted", "send P3 PreCommit",
                   "set collect t1 40ms"}));
}

TEST_F(ThreePhaseTest, OneCommittedOrAbortedAnswerDecidesAtOnce) {  // TR1, TR2
  vote_t1();
  net.clear();
  fire_wait(P1, T1);
  net.clear();
  EXPECT_EQ(deliver(P3, P1, StateReply{T1, PeerState::committed})[3], "obs decide t1 1");
  build({});
  vote_t1();
  net.clear();
  fire_wait(P1, T1);
  net.clear();
  EXPECT_EQ(deliver(P3, P1, StateReply{T1, PeerState::aborted})[2], "obs decide t1 0");
}

TEST_F(ThreePhaseTest, CollectTimeoutSuspectsTheSilentAndDecides) {
  request(T1);
  net.clear();
  deliver(C, P1, CanCommit{T1});
  deliver(C, P2, CanCommit{T1});
  deliver(C, P1, PreCommit{T1});
  net.clear();
  fire_wait(P1, T1);
  net.clear();
  deliver(P2, P1, StateReply{T1, PeerState::uncertain});
  EXPECT_EQ(fire(P1, TimerKind::collect, T1),
            (Lines{"send P2 PreCommit", "set collect t1 40ms"}))
      << "P3 is silent: suspected, and P1 is precommitted";
  EXPECT_TRUE(has_bit(follow(P1, T1)->suspected, P3));
  EXPECT_EQ(fire(P1, TimerKind::collect, T1)[0], "persist")
      << "P2 silent too: commit, as the coordinator's ack timeout would";
  EXPECT_EQ(record(P1, T1)->status, TxStatus::committed);
}

TEST_F(ThreePhaseTest, AParticipantThatNeverVotedAbortsWhenAsked) {
  EXPECT_EQ(deliver(P1, P3, StateReq{T1}),
            (Lines{"persist", "obs decide t1 0", "obs phase t1 aborted",
                   "send P1 StateReply {\"state\":\"aborted\"}"}));
  EXPECT_EQ(deliver(C, P3, CanCommit{T1}), Lines{"send C Vote {\"yes\":false}"});
  EXPECT_EQ(deliver(P2, P3, Elect{T1}), Lines{"send P2 Abort"}) << "decided: just answer";
  EXPECT_EQ(deliver(P2, P1, Elect{T1}),
            (Lines{"persist", "obs decide t1 0", "obs phase t1 aborted", "send P2 Abort",
                   "send P3 Abort", "send C Abort"}))
      << "elected without a vote: abort and tell everyone";
}

TEST_F(ThreePhaseTest, ALeaderStepsDownForAnotherLeader) {
  vote_t1();
  net.clear();
  fire_wait(P2, T1);
  fire_wait(P2, T1);  // P2 leads: it suspects C and P1
  net.clear();
  EXPECT_EQ(deliver(P1, P2, StateReq{T1}),
            (Lines{"cancel collect t1", "obs phase t1 uncertain",
                   "send P1 StateReply {\"state\":\"uncertain\"}", "set wait t1 40ms"}));
  EXPECT_EQ(follow(P2, T1)->lead, Lead::none);
  EXPECT_EQ(follow(P2, T1)->leader, P1);
}

TEST_F(ThreePhaseTest, RecoveredParticipantAsksAndNeverDecidesAlone) {
  precommit_t1();
  net.clear();
  EXPECT_EQ(crash_and_recover(P2),
            (Lines{"obs lock t1 P2.b", "set wait t1 100ms", "send C Query", "send C Query",
                   "send C Query"}))
      << "t1, and t3 and t4 where P2 has no record yet";
  EXPECT_EQ(record(P2, T1)->status, TxStatus::precommitted);
  EXPECT_EQ(follow(P2, T1)->leader, C);
  EXPECT_EQ(deliver(P2, C, Query{T1}), Lines{"send P2 PreCommit"})
      << "C is waiting for acks: it repeats PreCommit, P2 acks again";
  deliver_round();
  deliver_round();
  EXPECT_EQ(states[C].vol.rounds[0].answered, node_bit(P2));
}

TEST_F(ThreePhaseTest, CoordinatorAnswersQueriesFromItsLog) {
  request(T1);
  net.clear();
  EXPECT_EQ(deliver(P1, C, Query{T1}), Lines{"send P1 CanCommit"}) << "still collecting";
  deliver(P2, C, Vote{T1, false});
  net.clear();
  EXPECT_EQ(deliver(P1, C, Query{T1}), Lines{"send P1 Abort"});
  EXPECT_EQ(deliver(P1, C, Query{T2}), Lines{}) << "not started yet";
}

TEST_F(ThreePhaseTest, RecoveredParticipantWithoutARecordAsksToo) {
  EXPECT_EQ(crash_and_recover(P3), (Lines{"send C Query", "send C Query"}))
      << "t1 and t2: a CanCommit may have been lost in the crash";
}

TEST_F(ThreePhaseTest, RecoveredCoordinatorAsksAndParticipantsElect) {
  vote_t1();
  deliver_round();  // votes -> PreCommit in flight
  net.clear();
  EXPECT_EQ(crash_and_recover(C), (Lines{"obs phase t1 querying", "send P1 Query",
                                         "send P2 Query", "send P3 Query"}));
  EXPECT_EQ(deliver(C, P1, Query{T1}), kP1Leads) << "C lost its state: P1 suspects it";
  EXPECT_EQ(deliver(C, P2, Query{T1}), (Lines{"send P1 Elect", "set wait t1 40ms"}));
  deliver_all();
  EXPECT_EQ(record(P1, T1)->status, TxStatus::aborted) << "all uncertain";
  EXPECT_EQ(disk[C].coord_log[0].status, CoordStatus::aborted) << "C learned, not decided";
  EXPECT_TRUE(states[C].vol.rounds.empty());
}

TEST_F(ThreePhaseTest, RecoveredCoordinatorWithALoggedCommitRestartsPhaseThree) {
  precommit_t1();
  deliver_round();  // acks -> commit
  net.clear();
  EXPECT_EQ(crash_and_recover(C),
            (Lines{"send P1 DoCommit", "send P2 DoCommit", "send P3 DoCommit"}));
  deliver_all();
  EXPECT_TRUE(disk[C].coord_log.empty()) << "every ack came in: the end record";
}

TEST_F(ThreePhaseTest, AQueryFromAnUnvotedParticipantsCoordinatorAborts) {
  EXPECT_EQ(deliver(C, P2, Query{T1}),
            (Lines{"persist", "obs decide t1 0", "obs phase t1 aborted", "send C Abort"}));
  EXPECT_EQ(deliver(P1, P2, Query{T1}), Lines{"send P1 Abort"}) << "decided: answer anyone";
}

}  // namespace
}  // namespace txsim::three_phase::testing
