// Three-phase commit, failure-free behaviour: phase one (CanCommit, votes, no votes), phase
// two (PreCommit, acks), phase three (DoCommit, acks, the end record), the coordinator's
// timeouts, and the hooks msg_class and timer_peers. Each test pins the exact effect list,
// because the order (persist before vote, log before send) is what the protocol is about.
#include "tests/protocols/three_phase_fixture.h"

namespace txsim::three_phase::testing {
namespace {

TEST_F(ThreePhaseTest, RequestLogsTheStartThenSendsCanCommit) {
  EXPECT_EQ(proto->request_target(T1), C);
  EXPECT_EQ(request(T1), (Lines{"persist", "obs phase t1 collecting", "send P1 CanCommit",
                                "send P2 CanCommit", "send P3 CanCommit",
                                "set vote-timeout t1 50ms"}));
  ASSERT_EQ(disk[C].coord_log.size(), 1u);
  EXPECT_EQ(disk[C].coord_log[0], (CoordRecord{T1, CoordStatus::started}));
  EXPECT_EQ(request(T1), Lines{}) << "a repeated request is ignored";
}

TEST_F(ThreePhaseTest, YesVoteLocksPersistsThenVotesAndWaitsForTheCoordinator) {
  EXPECT_EQ(deliver(C, P1, CanCommit{T1}),
            (Lines{"obs lock t1 P1.a", "persist", "obs vote t1 1", "obs phase t1 uncertain",
                   "send C Vote {\"yes\":true}", "set wait t1 100ms"}));
  EXPECT_EQ(record(P1, T1)->status, TxStatus::uncertain);
  EXPECT_EQ(disk[P1], states[P1].durable);
  ASSERT_NE(follow(P1, T1), nullptr);
  EXPECT_EQ(follow(P1, T1)->leader, C);
  EXPECT_EQ(balance(P1, A), 100) << "no money moves before commit";
  EXPECT_EQ(deliver(C, P1, CanCommit{T1}), Lines{"send C Vote {\"yes\":true}"})
      << "a repeated CanCommit gets the logged vote";
}

TEST_F(ThreePhaseTest, LockConflictAndNegativeBalanceAndScriptVoteNo) {
  deliver(C, P1, CanCommit{T1});
  const Lines no_t2 = {"persist", "obs vote t2 0", "obs decide t2 0", "obs phase t2 aborted",
                       "send C Vote {\"yes\":false}"};
  EXPECT_EQ(deliver(C, P1, CanCommit{T2}), no_t2) << "P1.a is locked by t1";
  EXPECT_EQ(deliver(C, P1, CanCommit{T3}).back(), "send C Vote {\"yes\":false}") << "P1.d: 5";
  EXPECT_EQ(deliver(C, P2, CanCommit{T4}).back(), "send C Vote {\"yes\":false}") << "scripted";
  EXPECT_EQ(follow(P1, T2), nullptr) << "a no vote is decided: nothing to wait for";
}

TEST_F(ThreePhaseTest, AllYesStartsPrecommitWithoutALogWrite) {
  vote_t1();
  EXPECT_EQ(deliver(P1, C, Vote{T1, true}), Lines{});
  EXPECT_EQ(deliver(P1, C, Vote{T1, true}), Lines{}) << "a duplicate vote counts once";
  EXPECT_EQ(deliver(P2, C, Vote{T1, true}), Lines{});
  EXPECT_EQ(deliver(P3, C, Vote{T1, true}),
            (Lines{"cancel vote-timeout t1", "obs phase t1 precommitting", "send P1 PreCommit",
                   "send P2 PreCommit", "send P3 PreCommit", "set ack-timeout t1 50ms"}));
  EXPECT_EQ(disk[C].coord_log[0].status, CoordStatus::started) << "PreCommit is no decision";
}

TEST_F(ThreePhaseTest, PreCommitIsLoggedThenAcked) {
  vote_t1();
  deliver_round();
  net.clear();
  EXPECT_EQ(deliver(C, P2, PreCommit{T1}),
            (Lines{"persist", "obs phase t1 precommitted", "send C PreCommitAck",
                   "set wait t1 100ms"}));
  EXPECT_EQ(disk[P2], states[P2].durable);
  EXPECT_EQ(record(P2, T1)->status, TxStatus::precommitted);
  EXPECT_EQ(deliver(C, P2, PreCommit{T1}), (Lines{"send C PreCommitAck", "set wait t1 100ms"}))
      << "a duplicate is acked again, not logged again";
}

TEST_F(ThreePhaseTest, AllAcksCommitWriteAheadThenDoCommit) {
  precommit_t1();
  deliver(P1, C, PreCommitAck{T1});
  deliver(P2, C, PreCommitAck{T1});
  EXPECT_EQ(deliver(P3, C, PreCommitAck{T1}),
            (Lines{"persist", "obs decide t1 1", "obs phase t1 committed",
                   "cancel ack-timeout t1", "send P1 DoCommit", "send P2 DoCommit",
                   "send P3 DoCommit"}));
  EXPECT_EQ(disk[C].coord_log[0].status, CoordStatus::committed);
}

TEST_F(ThreePhaseTest, DoCommitAppliesDurablyThenAcks) {
  precommit_t1();
  deliver_round();  // acks -> C commits
  net.clear();
  EXPECT_EQ(deliver(C, P1, DoCommit{T1}),
            (Lines{"persist", "obs balance t1 P1.a -30", "obs unlock t1 P1.a", "obs decide t1 1",
                   "obs phase t1 committed", "cancel wait t1", "send C DoCommitAck"}));
  EXPECT_EQ(balance(P1, A), 70);
  EXPECT_EQ(follow(P1, T1), nullptr);
  EXPECT_TRUE(states[P1].vol.locks.empty());
  EXPECT_EQ(deliver(C, P1, DoCommit{T1}), Lines{"send C DoCommitAck"}) << "duplicate";
  EXPECT_EQ(balance(P1, A), 70) << "applied once";
}

TEST_F(ThreePhaseTest, HappyPathEndsWithTheEndRecord) {
  precommit_t1();
  deliver_round();  // acks
  deliver_round();  // DoCommit
  ASSERT_EQ(net.size(), 3u);
  deliver(P1, C, DoCommitAck{T1});
  deliver(P2, C, DoCommitAck{T1});
  EXPECT_EQ(deliver(P3, C, DoCommitAck{T1}), (Lines{"persist", "obs forget t1"}));
  EXPECT_TRUE(disk[C].coord_log.empty());
  EXPECT_TRUE(states[C].vol.rounds.empty());
  EXPECT_EQ(balance(P1, A), 70);
  EXPECT_EQ(balance(P2, B), 60);
  EXPECT_EQ(balance(P3, Cacc), 20);
  for (NodeId p : {P1, P2, P3}) EXPECT_TRUE(states[p].vol.follows.empty());
}

TEST_F(ThreePhaseTest, NoVoteAbortsLoggedAndSkipsTheNoVoter) {
  request(T1);
  deliver(P1, C, Vote{T1, true});
  EXPECT_EQ(deliver(P2, C, Vote{T1, false}),
            (Lines{"persist", "obs decide t1 0", "obs phase t1 aborted",
                   "cancel vote-timeout t1", "cancel ack-timeout t1", "send P1 Abort",
                   "send P3 Abort"}));
  EXPECT_EQ(disk[C].coord_log[0].status, CoordStatus::aborted);
  EXPECT_EQ(deliver(P3, C, Vote{T1, true}), Lines{}) << "late vote after the decision";
}

TEST_F(ThreePhaseTest, VoteTimeoutAbortsAckTimeoutCommits) {
  request(T1);
  EXPECT_EQ(fire(C, TimerKind::vote_timeout, T1)[2], "obs phase t1 aborted");
  EXPECT_EQ(fire(C, TimerKind::vote_timeout, T1), Lines{}) << "stale timer";

  build({});
  precommit_t1();
  net.clear();
  deliver(P1, C, PreCommitAck{T1});
  EXPECT_EQ(fire(C, TimerKind::ack_timeout, T1)[1], "obs decide t1 1")
      << "everyone voted yes and the silent ones are taken to have failed";
}

TEST_F(ThreePhaseTest, AbortReleasesLocksAndStopsWaiting) {
  deliver(C, P1, CanCommit{T1});
  EXPECT_EQ(deliver(C, P1, Abort{T1}),
            (Lines{"persist", "obs unlock t1 P1.a", "obs decide t1 0", "obs phase t1 aborted",
                   "cancel wait t1"}));
  EXPECT_EQ(deliver(C, P1, DoCommit{T1}), Lines{}) << "never reverse an abort";
  EXPECT_EQ(deliver(C, P2, Abort{T1}),
            (Lines{"persist", "obs decide t1 0", "obs phase t1 aborted"}))
      << "the outcome before CanCommit is remembered";
  EXPECT_EQ(deliver(C, P2, CanCommit{T1}), Lines{"send C Vote {\"yes\":false}"});
}

TEST_F(ThreePhaseTest, MessageClasses) {
  EXPECT_EQ(proto->msg_class(CanCommit{T1}), MsgClass::prepare);
  EXPECT_EQ(proto->msg_class(Vote{T1, true}), MsgClass::vote);
  EXPECT_EQ(proto->msg_class(PreCommit{T1}), MsgClass::decision);
  EXPECT_EQ(proto->msg_class(DoCommit{T1}), MsgClass::decision);
  EXPECT_EQ(proto->msg_class(Abort{T1}), MsgClass::decision);
  EXPECT_EQ(proto->msg_class(PreCommitAck{T1}), MsgClass::ack);
  EXPECT_EQ(proto->msg_class(DoCommitAck{T1}), MsgClass::ack);
  EXPECT_EQ(proto->msg_class(StateReq{T1}), MsgClass::query);
  EXPECT_EQ(proto->msg_class(StateReply{T1, PeerState::uncertain}), MsgClass::query);
  EXPECT_EQ(proto->msg_class(Query{T1}), MsgClass::query);
  EXPECT_EQ(proto->msg_class(Elect{T1}), MsgClass::consensus);
}

TEST_F(ThreePhaseTest, TimerPeersAreTheNodesWaitedFor) {
  const auto bit = [](NodeId n) { return node_bit(n); };
  request(T1);
  const TimerId votes = timer_id(TimerKind::vote_timeout, T1);
  EXPECT_EQ(proto->timer_peers(states[C], votes), bit(P1) | bit(P2) | bit(P3));
  deliver(P2, C, Vote{T1, true});
  EXPECT_EQ(proto->timer_peers(states[C], votes), bit(P1) | bit(P3)) << "P2 answered";
  deliver(C, P1, CanCommit{T1});
  EXPECT_EQ(proto->timer_peers(states[P1], timer_id(TimerKind::wait, T1)), bit(C));
  EXPECT_EQ(proto->timer_peers(states[P2], timer_id(TimerKind::wait, T1)), 0u)
      << "no wait: P2 has not voted";
}

TEST_F(ThreePhaseTest, TimerIdsAndNames) {
  EXPECT_EQ(timer_id(TimerKind::wait, 7), (3u << 16) | 7u);
  EXPECT_EQ(timer_kind(timer_id(TimerKind::collect, 9)), TimerKind::collect);
  EXPECT_EQ(timer_tx(timer_id(TimerKind::collect, 9)), 9);
  EXPECT_EQ(proto->timer_name(timer_id(TimerKind::ack_timeout, T2)), "ack-timeout t2");
  EXPECT_EQ(proto->describe(StateReply{T1, PeerState::precommitted}),
            "{\"state\":\"precommitted\"}");
}

TEST_F(ThreePhaseTest, DescribeStatePrintsNames) {
  deliver(C, P1, CanCommit{T1});
  EXPECT_EQ(proto->describe_state(states[P1]),
            "{\"durable\":{\"log\":[{\"tx\":\"t1\",\"status\":\"uncertain\",\"deltas\":"
            "{\"P1.a\":-30}}],\"balances\":{\"P1.a\":100,\"P1.d\":5}},\"volatile\":{\"follows\":"
            "[{\"tx\":\"t1\",\"leader\":[\"C\"],\"suspected\":[],\"lead\":\"none\",\"waiting\":"
            "[]}],\"locks\":{\"P1.a\":\"t1\"}}}");
  request(T1);
  EXPECT_EQ(proto->describe_state(states[C]),
            "{\"durable\":{\"log\":[{\"tx\":\"t1\",\"status\":\"started\"}]},\"volatile\":"
            "{\"rounds\":[{\"tx\":\"t1\",\"phase\":\"collecting\",\"answered\":[]}]}}");
}

TEST(ThreePhaseCheckScenario, RejectsScenariosItCannotRun) {
  Scenario sc = make_scenario();
  EXPECT_EQ(ThreePhase::check_scenario(sc), "");
  sc.nodes[P1].role = Role::coordinator;
  EXPECT_NE(ThreePhase::check_scenario(sc), "");
  sc = make_scenario();
  sc.transactions[T1].transfers[0].at = P2;  // P1.a transferred at P2
  EXPECT_NE(ThreePhase::check_scenario(sc), "");
}

}  // namespace
}  // namespace txsim::three_phase::testing
