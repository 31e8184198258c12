// Test fixture for protocols/three_phase: drives the handlers directly, without a simulator.
//
// The scenario of atomic_commit_scenario.h (coordinator C, participants P1..P3, four accounts,
// four transactions) on the shared harness (handler_harness.h), which keeps the node states and
// disks, renders each handler's effect list as short strings ("persist",
// "send C Vote {"yes":true}", "obs lock t1 P1.a") and queues sent messages in `net`. This file
// adds what is three-phase only: the steps that bring t1 to a given phase, and
// helpers that read its log, balances and termination-protocol state.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "protocols/three_phase/three_phase.h"
#include "tests/protocols/atomic_commit_scenario.h"
#include "tests/protocols/handler_harness.h"

namespace txsim::three_phase::testing {

using protocol_testing::Lines;

using namespace protocol_testing::atomic_commit;  // C, P1..P3, T1..T4, A..D

inline Scenario make_scenario() {
  return protocol_testing::atomic_commit::make_scenario("three-phase-unit", "three_phase");
}

class ThreePhaseTest : public protocol_testing::HandlerTest<ThreePhase> {
 protected:
  ThreePhaseTest() : HandlerTest(make_scenario(), C) {}

  Lines fire(NodeId node, TimerKind kind, TxId tx) { return fire_timer(node, timer_id(kind, tx)); }
  // Fires `node`'s wait timer for tx and returns its effects.
  Lines fire_wait(NodeId node, TxId tx) { return fire(node, TimerKind::wait, tx); }
  // Runs t1 until every participant voted yes; the three votes then wait in `net` for C.
  void vote_t1() {
    request(T1);
    deliver_round();
  }
  // Runs t1 until every participant is precommitted; the acks then wait in `net` for C.
  void precommit_t1() {
    vote_t1();
    deliver_round();  // votes -> C sends PreCommit
    deliver_round();  // PreCommit -> participants ack
  }
  // The harness's drop_involving, under the name these tests use.
  void drop_messages_of(NodeId node) { drop_involving(node); }

  const LogRecord* record(NodeId node, TxId tx) const {
    return find_key(states[node].durable.log, tx);
  }
  std::int64_t balance(NodeId node, AccountId a) const {
    const Balance* b = find_key(states[node].durable.balances, a);
    return b ? b->amount : -999999;
  }
  const Follow* follow(NodeId node, TxId tx) const {
    return find_key(states[node].vol.follows, tx);
  }
};

}  // namespace txsim::three_phase::testing
