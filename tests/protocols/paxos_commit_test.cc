// Paxos Commit handlers, driven directly (paxos_commit_fixture.h): the exact effects of the
// fast path (Prepare, ballot-0 phase 2a, phase 2b, Commit), the Aborted vote, the acceptors'
// promise rules, the takeover's choice of values, competing leaders, and what each message is
// for (msg_class) and which nodes each timer watches (timer_peers).
#include "tests/protocols/paxos_commit_fixture.h"

namespace txsim::paxos_commit::testing {
namespace {

const std::string kVoteP1 = R"({"ballot":0,"values":{"P1":"prepared"}})";

TEST_F(PaxosCommitTest, RequestLogsAndSendsPrepareToEveryRm) {
  EXPECT_EQ(request(T1), (Lines{"persist", "obs phase t1 collecting", "send P1 Prepare",
                                "send P2 Prepare", "set leader-timeout t1"}));
  EXPECT_EQ(request(T1), Lines{}) << "a second submission changes nothing";
}

TEST_F(PaxosCommitTest, PreparedVoteIsLoggedThenSentToEveryAcceptorInBallotZero) {
  request(T1);
  EXPECT_EQ(deliver(C, P1, Prepare{T1}),
            (Lines{"obs lock t1 P1.a 0", "persist", "obs vote t1 1", "obs phase t1 prepared",
                   "send A1 Phase2a " + kVoteP1, "send A2 Phase2a " + kVoteP1,
                   "send A3 Phase2a " + kVoteP1, "set rm-timeout t1"}));
  ASSERT_NE(record(P1, T1), nullptr);
  EXPECT_EQ(record(P1, T1)->status, RmStatus::prepared);
  // A duplicate Prepare resends the logged vote and observes nothing new.
  EXPECT_EQ(deliver(C, P1, Prepare{T1}), (Lines{"send A1 Phase2a " + kVoteP1,
                                                "send A2 Phase2a " + kVoteP1,
                                                "send A3 Phase2a " + kVoteP1}));
}

// Ballot 0: an acceptor logs each vote at once, and sends one bundled phase 2b once it has
// every RM's vote.
TEST_F(PaxosCommitTest, AcceptorLogsEachVoteAndBundlesPhase2bOnceAllVotesAreIn) {
  Phase2a vote1{T1, 0, {}};
  vote1.values[0] = Value::prepared;
  Phase2a vote2{T1, 0, {}};
  vote2.values[1] = Value::prepared;
  EXPECT_EQ(deliver(P1, A1, vote1), (Lines{"persist", "obs phase t1 accepted"}));
  ASSERT_NE(acceptor(A1, T1), nullptr);
  EXPECT_EQ(acceptor(A1, T1)->accepted[0], (Accepted{0, Value::prepared}));
  EXPECT_EQ(deliver(P1, A1, vote1), Lines{}) << "a duplicate changes nothing";
  const std::string both = R"({"ballot":0,"values":{"P1":"prepared","P2":"prepared"}})";
  EXPECT_EQ(deliver(P2, A1, vote2),
            (Lines{"persist", "obs phase t1 accepted", "send C Phase2b " + both}));
  EXPECT_EQ(deliver(P2, A1, vote2), (Lines{"send C Phase2b " + both})) << "answered again";
}

TEST_F(PaxosCommitTest, LeaderCommitsOnceAMajorityAcceptedPreparedInEveryInstance) {
  request(T1);
  deliver_round();  // Prepare -> both RMs vote
  deliver_round();  // 2a -> acceptors
  ASSERT_EQ(net.size(), 3u);  // one bundled phase 2b per acceptor, to C
  EXPECT_EQ(deliver(A1, C, net.front().msg), Lines{});
  EXPECT_EQ(deliver(A2, C, net.front().msg),
            (Lines{"persist", "obs decide t1 1", "obs phase t1 committed",
                   "cancel leader-timeout t1", "send P1 Commit", "send P2 Commit"}));
  EXPECT_EQ(decided(C, T1), Decision::commit);
  EXPECT_EQ(deliver(A3, C, net.front().msg), Lines{}) << "decided: late phase 2b ignored";
  net.clear();
  EXPECT_EQ(deliver(C, P1, Commit{T1}),
            (Lines{"persist", "obs balance t1 P1.a -10", "obs unlock t1 P1.a 0",
                   "obs decide t1 1", "obs phase t1 committed", "cancel rm-timeout t1"}));
  EXPECT_EQ(balance(P1, A), 90);
}

TEST_F(PaxosCommitTest, AbortedVoteDecidesAtOnceAndTheLeaderAbortsWithoutWaiting) {
  request(T2);
  deliver_first(C, P2, "Prepare");
  EXPECT_EQ(record(P2, T2)->status, RmStatus::aborted);
  deliver_first(P2, A1, "Phase2a");
  deliver_first(P2, A2, "Phase2a");
  EXPECT_TRUE(deliver_first(A1, C, "Phase2b"));
  EXPECT_TRUE(deliver_first(A2, C, "Phase2b"));
  EXPECT_EQ(decided(C, T2), Decision::abort) << "P1 has not even voted yet";
}

TEST_F(PaxosCommitTest, AbortedVoteEffects) {
  EXPECT_EQ(deliver(C, P2, Prepare{T2}),
            (Lines{"persist", "obs vote t2 0", "obs decide t2 0", "obs phase t2 aborted",
                   R"(send A1 Phase2a {"ballot":0,"values":{"P2":"aborted"}})",
                   R"(send A2 Phase2a {"ballot":0,"values":{"P2":"aborted"}})",
                   R"(send A3 Phase2a {"ballot":0,"values":{"P2":"aborted"}})"}));
}

TEST_F(PaxosCommitTest, AcceptorKeepsItsPromiseAgainstLowerBallotsAcrossACrash) {
  EXPECT_EQ(deliver(C, A1, Phase1a{T1, 6}),
            (Lines{"persist", "obs phase t1 promised",
                   R"(send C Phase1b {"ballot":6,"accepted":{}})"}));
  crash_and_recover(A1);
  Phase2a vote{T1, 0, {}};
  vote.values[0] = Value::prepared;
  EXPECT_EQ(deliver(P1, A1, vote), Lines{}) << "ballot 0 < promised 6";
  EXPECT_EQ(deliver(C, A1, Phase1a{T1, 6}),
            (Lines{R"(send C Phase1b {"ballot":6,"accepted":{}})"})) << "same ballot: same answer";
  EXPECT_EQ(deliver(P1, A1, Phase1a{T1, 7}).front(), "persist");
  EXPECT_EQ(deliver(C, A1, Phase1a{T1, 6}), Lines{}) << "overtaken by ballot 7";
  EXPECT_EQ(acceptor(A1, T1)->promised, 7);
}

TEST_F(PaxosCommitTest, TakeoverProposesAbortedForAnInstanceWithNoVote) {
  request(T1);
  deliver_first(C, P1, "Prepare");  // P1 votes; P2 never hears of t1
  for (NodeId a : {A1, A2, A3}) deliver_first(P1, a, "Phase2a");
  net.clear();
  EXPECT_EQ(fire(C, TimerKind::leader, T1),
            (Lines{"persist", "obs phase t1 takeover", R"(send A1 Phase1a {"ballot":6})",
                   R"(send A2 Phase1a {"ballot":6})", R"(send A3 Phase1a {"ballot":6})",
                   "set leader-timeout t1"}));
  deliver_round();  // phase 1a -> acceptors
  deliver_first(A1, C, "Phase1b");
  EXPECT_EQ(deliver_first(A2, C, "Phase1b"), true);
  ASSERT_FALSE(net.empty());
  const std::string proposal = R"({"ballot":6,"values":{"P1":"prepared","P2":"aborted"}})";
  EXPECT_EQ(proto->describe(net.back().msg), proposal);
  std::erase_if(net, [](const Sent& s) { return s.to == C; });  // A3's late phase 1b
  deliver_round();  // phase 2a -> acceptors
  deliver_round();  // phase 2b -> C
  EXPECT_EQ(decided(C, T1), Decision::abort);
  deliver_all();
  EXPECT_EQ(record(P1, T1)->status, RmStatus::aborted);
  EXPECT_EQ(record(P2, T1)->status, RmStatus::aborted) << "learned without voting";
}

TEST_F(PaxosCommitTest, TakeoverKeepsWhatBallotZeroMayHaveChosen) {
  request(T1);
  deliver_round();
  deliver_round();
  net.clear();  // every phase 2b to C is lost: C cannot know both instances chose Prepared
  fire(C, TimerKind::leader, T1);
  deliver_all();
  EXPECT_EQ(decided(C, T1), Decision::commit);
  EXPECT_EQ(record(P1, T1)->status, RmStatus::committed);
  EXPECT_EQ(record(P2, T1)->status, RmStatus::committed);
}

TEST_F(PaxosCommitTest, RmTimeoutTakesOverWithItsOwnBallotThenAsks) {
  build({{"max_round", "1"}});
  request(T1);
  deliver_round();
  net.clear();  // C and the votes are gone
  EXPECT_EQ(fire(P1, TimerKind::rm, T1),
            (Lines{"persist", "obs phase t1 takeover", R"(send A1 Phase1a {"ballot":7})",
                   R"(send A2 Phase1a {"ballot":7})", R"(send A3 Phase1a {"ballot":7})",
                   "set rm-timeout t1"}));
  EXPECT_EQ(fire(P1, TimerKind::rm, T1),
            (Lines{"send C Query", "send P2 Query", "set rm-timeout t1"}))
      << "no round left: ask instead";
  net.clear();
  build({});
  request(T1);
  deliver_round();
  net.clear();
  fire(P1, TimerKind::rm, T1);
  deliver_all();
  EXPECT_EQ(decided(P1, T1), Decision::abort) << "no vote reached an acceptor";
  EXPECT_EQ(record(P1, T1)->status, RmStatus::aborted);
  EXPECT_EQ(record(P2, T1)->status, RmStatus::aborted);
}

TEST_F(PaxosCommitTest, CompetingLeadersChooseTheSameOutcome) {
  request(T1);
  deliver_round();
  deliver_first(P1, A1, "Phase2a");  // only A1 has P1's vote; P2's vote reaches nobody
  net.clear();
  fire(P1, TimerKind::rm, T1);  // ballot 7
  fire(P2, TimerKind::rm, T1);  // ballot 8
  drop_involving(C);
  // P1's phase 1a reaches A1 and A2 first; P2's overtakes it at A2 and A3.
  deliver_first(P1, A1, "Phase1a");
  deliver_first(P1, A2, "Phase1a");
  deliver_first(P2, A2, "Phase1a");
  deliver_first(P2, A3, "Phase1a");
  deliver_first(A1, P1, "Phase1b");
  deliver_first(A2, P1, "Phase1b");  // P1 has a majority: proposes (P1 prepared, P2 aborted)
  deliver_first(P1, A1, "Phase2a");  // A1 accepts in ballot 7; A2 promised 8 and refuses
  deliver_first(P1, A2, "Phase2a");
  deliver_first(A2, P2, "Phase1b");
  deliver_first(A3, P2, "Phase1b");  // P2's majority (A2, A3) saw nothing: proposes aborted
  deliver_all();
  ASSERT_NE(decided(P2, T1), Decision::none);
  EXPECT_EQ(decided(P2, T1), Decision::abort);
  EXPECT_NE(decided(P1, T1), Decision::commit);
  EXPECT_EQ(record(P1, T1)->status, RmStatus::aborted);
  EXPECT_EQ(record(P2, T1)->status, RmStatus::aborted);
}

TEST_F(PaxosCommitTest, RoundsAreBoundedAndNeverReusedAfterACrash) {
  build({{"max_round", "2"}});
  request(T1);
  net.clear();
  fire(C, TimerKind::leader, T1);  // round 1: ballot 6
  crash_and_recover(C);
  EXPECT_EQ(find_key(disk[C].leader, T1)->round, 1);
  net.clear();
  const Lines second = fire(C, TimerKind::leader, T1);
  EXPECT_EQ(second.at(2), R"(send A1 Phase1a {"ballot":12})") << "round 2, not ballot 6 again";
  EXPECT_EQ(second.back(), R"(send A3 Phase1a {"ballot":12})") << "last round: no new timer";
  EXPECT_EQ(fire(C, TimerKind::leader, T1), Lines{});
}

TEST_F(PaxosCommitTest, QueriesAreAnsweredOnlyByNodesThatKnow) {
  request(T1);
  deliver_all();
  ASSERT_EQ(decided(C, T1), Decision::commit);
  EXPECT_EQ(deliver(P1, C, Query{T1}), Lines{"send P1 Commit"});
  EXPECT_EQ(deliver(P2, P1, Query{T1}), Lines{"send P2 Commit"});
  EXPECT_EQ(deliver(P1, C, Query{T2}), Lines{});
}

TEST_F(PaxosCommitTest, RecoveredRmRetakesLocksAndResendsItsVote) {
  request(T1);
  deliver_first(C, P1, "Prepare");
  net.clear();
  EXPECT_EQ(crash_and_recover(P1),
            (Lines{"obs lock t1 P1.a 0", "send A1 Phase2a " + kVoteP1,
                   "send A2 Phase2a " + kVoteP1, "send A3 Phase2a " + kVoteP1,
                   "set rm-timeout t1"}));
}

TEST_F(PaxosCommitTest, MessageClassesAndTimerPeers) {
  EXPECT_EQ(proto->msg_class(Prepare{T1}), MsgClass::prepare);
  EXPECT_EQ(proto->msg_class(Phase2a{T1, 0, {}}), MsgClass::vote);
  EXPECT_EQ(proto->msg_class(Phase2a{T1, 7, {}}), MsgClass::consensus);
  EXPECT_EQ(proto->msg_class(Phase1a{T1, 7}), MsgClass::consensus);
  EXPECT_EQ(proto->msg_class(Phase2b{T1, 0, {}}), MsgClass::consensus);
  EXPECT_EQ(proto->msg_class(Commit{T1}), MsgClass::decision);
  EXPECT_EQ(proto->msg_class(Abort{T1}), MsgClass::decision);
  EXPECT_EQ(proto->msg_class(Query{T1}), MsgClass::query);
  const NodeMask acceptors = node_bit(A1) | node_bit(A2) | node_bit(A3);
  EXPECT_EQ(proto->timer_peers(states[C], timer_id(TimerKind::leader, T1)),
            acceptors | node_bit(P1) | node_bit(P2));
  EXPECT_EQ(proto->timer_peers(states[P1], timer_id(TimerKind::rm, T1)), node_bit(C));
  request(T1);
  deliver_first(C, P1, "Prepare");
  fire(P1, TimerKind::rm, T1);
  EXPECT_EQ(proto->timer_peers(states[P1], timer_id(TimerKind::rm, T1)),
            node_bit(C) | acceptors) << "running its own ballot";
}

TEST(PaxosCommitScenario, RefusesAnEvenNumberOfAcceptors) {
  Scenario sc = make_scenario();
  EXPECT_EQ(PaxosCommit::check_scenario(sc), "");
  sc.nodes.push_back({"A4", Role::acceptor, {}});
  EXPECT_NE(PaxosCommit::check_scenario(sc).find("odd number"), std::string::npos);
  sc.nodes.pop_back();
  sc.nodes[0].role = Role::participant;
  EXPECT_NE(PaxosCommit::check_scenario(sc).find("coordinator"), std::string::npos);
}

}  // namespace
}  // namespace txsim::paxos_commit::testing
