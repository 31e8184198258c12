// TCC's handlers driven directly, without a simulator: the exact effect list of each step of
// the TM and the branches, each barrier check on and off, retries and backoff, recovery, and
// the protocol-neutral hooks. A hand-built scenario: TM C, debit/credit branches P1 and P2, and
// a third-party branch SMS (a service: amount 0). The driving is the shared harness
// (handler_harness.h); TccTest adds the scenario and the ways these tests differ from it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocols/tcc/tcc.h"
#include "tests/protocols/handler_harness.h"

namespace txsim::tcc {
namespace {

using protocol_testing::Lines;

constexpr NodeId C = 0, P1 = 1, P2 = 2, SMS = 3;
constexpr TxId T1 = 0, T2 = 1;
constexpr AccountId A = 0, D = 1, B = 2;

// t1: P1.a -30, P2.b +30, SMS 0 (all succeed); t2: P1.d -10 (P1.d holds 5), P2.b +10.
Scenario make_scenario() {
  using protocol_testing::make_tx;
  Scenario sc;
  sc.name = "tcc-unit";
  sc.protocols = {"tcc"};
  sc.nodes = {{"C", Role::coordinator, {}},
              {"P1", Role::participant, {}},
              {"P2", Role::participant, {}},
              {"SMS", Role::service, {}}};
  sc.accounts = {{"a", P1, 100}, {"d", P1, 5}, {"b", P2, 50}, {"outbox", SMS, 0}};
  sc.transactions = {make_tx("t1", {{P1, A, -30}, {P2, B, 30}, {SMS, 3, 0}}),
                     make_tx("t2", {{P1, D, -10}, {P2, B, 10}})};
  return sc;
}

class TccTest : public protocol_testing::HandlerTest<Tcc> {
 protected:
  // These tests hand every message over themselves, so nothing queues in `net`; and a choice
  // made after the scripted values run out gets 0 without failing the test.
  TccTest() : HandlerTest(make_scenario(), C) {
    queue_sent = false;
    chooser.strict = false;
  }

  // Every timer these tests fire is the TM's.
  Lines fire(TimerId timer) { return fire_timer(C, timer); }
  const Wallet& wallet(NodeId n, AccountId a) const {
    return *find_key(states[n].durable.wallets, a);
  }
  // Runs t1's phase one to the end: every Try delivered and answered.
  void try_all_t1() {
    request(T1);
    for (NodeId b : {P1, P2, SMS}) deliver(C, b, Try{T1});
    for (NodeId b : {P1, P2, SMS}) deliver(b, C, TryReply{T1, Reply::ok});
  }

  // These tests spell a choice by its value alone, and an observation without its transaction
  // but always with its value.
  std::string render(const Effect& e) override {
    switch (e.kind) {
      case EffectKind::choose:
        return "choose " + std::to_string(e.obs.value);
      case EffectKind::observe:
        return obs_head(e.obs, false) + " " + obs_value(e.obs);
      default:
        return HandlerTest::render(e);
    }
  }
};

TEST_F(TccTest, RequestWritesTheRecordBeforeAnyTry) {
  EXPECT_EQ(request(T1), (Lines{"persist", "obs phase trying", "send P1 Try", "send P2 Try",
                                "send SMS Try", "set try-timeout t1 50ms"}));
  EXPECT_EQ(find_key(disk[C].global, T1)->status, GlobalStatus::trying);
  EXPECT_EQ(request(T1), Lines{}) << "a repeated request changes nothing";
}

TEST_F(TccTest, DebitTryFreezesCreditTryRecordsPendingSmsOnlyChecks) {
  request(T1);
  EXPECT_EQ(deliver(C, P1, Try{T1}),
            (Lines{"persist", "obs freeze P1.a 30", "obs effect 0", "obs vote 1",
                   "obs phase tried", "send C TryReply {\"status\":\"ok\"}"}));
  EXPECT_EQ(wallet(P1, A).frozen, 30);
  EXPECT_EQ(wallet(P1, A).balance, 100);
  deliver(C, P2, Try{T1});
  EXPECT_EQ(wallet(P2, B).pending, 30);
  EXPECT_EQ(deliver(C, SMS, Try{T1}), (Lines{"persist", "obs effect 0", "obs vote 1",
                                             "obs phase tried",
                                             "send C TryReply {\"status\":\"ok\"}"}));
}

TEST_F(TccTest, ConfirmIffEveryTrySucceeded) {
  try_all_t1();
  EXPECT_EQ(find_key(disk[C].global, T1)->status, GlobalStatus::confirming);
  EXPECT_EQ(deliver(C, P1, Confirm{T1}),
            (Lines{"persist", "obs balance P1.a -30", "obs freeze P1.a -30", "obs effect 1",
                   "obs decide 1", "obs phase confirmed",
                   "send C ConfirmReply {\"status\":\"ok\"}"}));
  EXPECT_EQ(wallet(P1, A).balance, 70);
  EXPECT_EQ(wallet(P1, A).frozen, 0);
  deliver(C, P2, Confirm{T1});
  EXPECT_EQ(wallet(P2, B).balance, 80);
  EXPECT_EQ(wallet(P2, B).pending, 0);
  deliver(P1, C, ConfirmReply{T1, Reply::ok});
  deliver(P2, C, ConfirmReply{T1, Reply::ok});
  EXPECT_EQ(deliver(SMS, C, ConfirmReply{T1, Reply::ok}),
            (Lines{"cancel retry t1 SMS", "persist", "obs phase confirmed"}));
  EXPECT_EQ(find_key(disk[C].global, T1)->status, GlobalStatus::confirmed);
}

TEST_F(TccTest, AFailedTryCancelsEveryBranchIncludingItself) {
  request(T2);
  EXPECT_EQ(deliver(C, P1, Try{T2}), (Lines{"obs vote 0", "obs phase failed",
                                            "send C TryReply {\"status\":\"failure\"}"}));
  EXPECT_EQ(deliver(P1, C, TryReply{T2, Reply::failure}),
            (Lines{"persist", "obs decide 0", "obs phase cancelling", "cancel try-timeout t2",
                   "send P1 Cancel", "set retry t2 P1 20ms", "send P2 Cancel",
                   "set retry t2 P2 20ms"}));
  EXPECT_EQ(deliver(C, P1, Cancel{T2}), (Lines{"persist", "obs decide 0",
                                               "obs phase null-cancelled",
                                               "send C CancelReply {\"status\":\"ok\"}"}))
      << "a null compensation: no money touched, no effect";
  EXPECT_EQ(wallet(P1, D).frozen, 0);
}

TEST_F(TccTest, TryTimeoutCancelsAndTheBarrierRefusesTheLateTry) {
  request(T1);
  fire(timer_id(TimerKind::try_timeout, T1));
  deliver(C, P1, Cancel{T1});
  EXPECT_TRUE(find_key(states[P1].durable.barriers, T1)->null_cancelled);
  EXPECT_EQ(deliver(C, P1, Try{T1}), (Lines{"obs vote 0", "obs phase refused",
                                            "send C TryReply {\"status\":\"failure\"}"}));
  EXPECT_EQ(wallet(P1, A).frozen, 0);
}

TEST_F(TccTest, WithoutAntiHangingTheLateTryFreezesForever) {
  build({{"anti_hanging", "false"}});
  request(T1);
  fire(timer_id(TimerKind::try_timeout, T1));
  deliver(C, P1, Cancel{T1});
  deliver(C, P1, Try{T1});
  EXPECT_EQ(wallet(P1, A).frozen, 30);
}

TEST_F(TccTest, WithoutNullCompensationACancelReleasesWhatWasNeverFrozen) {
  build({{"null_compensation", "false"}});
  request(T1);
  fire(timer_id(TimerKind::try_timeout, T1));
  EXPECT_EQ(deliver(C, P1, Cancel{T1}),
            (Lines{"persist", "obs freeze P1.a -30", "obs effect 2", "obs decide 0",
                   "obs phase cancelled", "send C CancelReply {\"status\":\"ok\"}"}));
  EXPECT_EQ(wallet(P1, A).frozen, -30);
}

TEST_F(TccTest, IdempotencySkipsARepeatedConfirmAndWithoutItMoneyIsLost) {
  try_all_t1();
  deliver(C, P1, Confirm{T1});
  EXPECT_EQ(deliver(C, P1, Confirm{T1}), Lines{"send C ConfirmReply {\"status\":\"ok\"}"});
  EXPECT_EQ(wallet(P1, A).balance, 70);
  build({{"idempotency", "false"}});
  try_all_t1();
  deliver(C, P1, Confirm{T1});
  deliver(C, P1, Confirm{T1});
  EXPECT_EQ(wallet(P1, A).balance, 40);
  EXPECT_EQ(wallet(P1, A).frozen, -30);
}

TEST_F(TccTest, RetriesFixedAfterInProgressDoublingAfterErrors) {
  try_all_t1();
  const TimerId retry = timer_id(TimerKind::retry, T1, 0);  // P1's slot
  EXPECT_EQ(deliver(P1, C, ConfirmReply{T1, Reply::in_progress}), Lines{"set retry t1 P1 20ms"});
  EXPECT_EQ(fire(retry), (Lines{"send P1 Confirm", "set retry t1 P1 20ms"}));
  Lines delays;
  for (int i = 0; i < 5; ++i) delays.push_back(deliver(P1, C, ConfirmReply{T1, Reply::error})[0]);
  EXPECT_EQ(delays, (Lines{"set retry t1 P1 40ms", "set retry t1 P1 80ms",
                           "set retry t1 P1 160ms", "set retry t1 P1 160ms",
                           "set retry t1 P1 160ms"}));
  EXPECT_EQ(fire(retry), (Lines{"send P1 Confirm", "set retry t1 P1 160ms"}));
  EXPECT_EQ(deliver(P1, C, ConfirmReply{T1, Reply::ok}), Lines{"cancel retry t1 P1"});
  EXPECT_EQ(fire(retry), Lines{}) << "a stale timer after success does nothing";
}

TEST_F(TccTest, TransientErrorsAreChoices) {
  build({{"transient_errors", "true"}});
  try_all_t1();
  chooser.values = {2, 1, 0};
  EXPECT_EQ(deliver(C, P1, Confirm{T1}),
            (Lines{"choose 2", "send C ConfirmReply {\"status\":\"error\"}"}));
  EXPECT_EQ(deliver(C, P1, Confirm{T1}),
            (Lines{"choose 1", "send C ConfirmReply {\"status\":\"in_progress\"}"}));
  EXPECT_EQ(deliver(C, P1, Confirm{T1}).back(), "send C ConfirmReply {\"status\":\"ok\"}");
  EXPECT_EQ(wallet(P1, A).balance, 70);
}

TEST_F(TccTest, RecoveryCancelsATryingTxAndFinishesADecidedOne) {
  request(T1);
  EXPECT_EQ(crash_and_recover(C),
            (Lines{"persist", "obs decide 0", "obs phase cancelling", "send P1 Cancel",
                   "set retry t1 P1 20ms", "send P2 Cancel", "set retry t1 P2 20ms",
                   "send SMS Cancel", "set retry t1 SMS 20ms"}));
  build({});
  try_all_t1();
  EXPECT_EQ(crash_and_recover(C),
            (Lines{"send P1 Confirm", "set retry t1 P1 20ms", "send P2 Confirm",
                   "set retry t1 P2 20ms", "send SMS Confirm", "set retry t1 SMS 20ms"}));
}

TEST_F(TccTest, MessageClassesAndTimerPeers) {
  EXPECT_EQ(proto->msg_class(Try{T1}), MsgClass::prepare);
  EXPECT_EQ(proto->msg_class(TryReply{T1}), MsgClass::vote);
  EXPECT_EQ(proto->msg_class(Confirm{T1}), MsgClass::decision);
  EXPECT_EQ(proto->msg_class(Cancel{T1}), MsgClass::decision);
  EXPECT_EQ(proto->msg_class(ConfirmReply{T1}), MsgClass::ack);
  EXPECT_EQ(proto->msg_class(CancelReply{T1}), MsgClass::ack);
  request(T1);
  deliver(P2, C, TryReply{T1, Reply::ok});
  EXPECT_EQ(proto->timer_peers(states[C], timer_id(TimerKind::try_timeout, T1)),
            node_bit(P1) | node_bit(SMS)) << "the branches that have not answered";
  EXPECT_EQ(proto->timer_peers(states[C], timer_id(TimerKind::retry, T1, 2)), node_bit(SMS));
}

TEST_F(TccTest, ScenarioChecksAndDescriptions) {
  EXPECT_EQ(Tcc::check_scenario(sc), "");
  Scenario bad = sc;
  bad.transactions[0].transfers[2].amount = 5;
  EXPECT_NE(Tcc::check_scenario(bad).find("SMS is a service"), std::string::npos);
  EXPECT_EQ(proto->timer_name(timer_id(TimerKind::retry, T1, 1)), "retry t1 P2");
  try_all_t1();
  EXPECT_EQ(proto->describe_state(states[P1]),
            "{\"durable\":{\"barrier\":{\"t1\":[\"try\"]},\"wallets\":{\"P1.a\":{\"balance\":100,"
            "\"frozen\":30,\"pending\":0},\"P1.d\":{\"balance\":5,\"frozen\":0,\"pending\":0}}},"
            "\"volatile\":{}}");
  EXPECT_EQ(proto->describe_state(states[C]),
            "{\"durable\":{\"global\":{\"t1\":\"confirming\"}},\"volatile\":{\"trying\":{},"
            "\"finishing\":{\"t1\":{\"waiting_retry_us\":{\"P1\":20000,\"P2\":20000,"
            "\"SMS\":20000}}}}}");
}

}  // namespace
}  // namespace txsim::tcc
