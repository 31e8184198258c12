// Test fixture for protocols/two_phase: drives the handlers directly, without a simulator.
//
// The scenario of atomic_commit_scenario.h (coordinator C, participants P1..P3, four accounts,
// four transactions) on the shared harness (handler_harness.h), which keeps the node states and
// disks, renders each handler's effect list as short strings ("persist",
// "send C Vote {"yes":true}", "obs lock t1 P1.a") and queues sent messages in `net`. This file
// adds what is two-phase only: helpers that read its log and balances.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "protocols/two_phase/two_phase.h"
#include "tests/protocols/atomic_commit_scenario.h"
#include "tests/protocols/handler_harness.h"

namespace txsim::two_phase::testing {

using protocol_testing::Lines;

using namespace protocol_testing::atomic_commit;  // C, P1..P3, T1..T4, A..D

inline Scenario make_scenario() {
  return protocol_testing::atomic_commit::make_scenario("two-phase-unit", "two_phase");
}

class TwoPhaseTest : public protocol_testing::HandlerTest<TwoPhase> {
 protected:
  TwoPhaseTest() : HandlerTest(make_scenario(), C) {}

  Lines fire(NodeId node, TimerKind kind, TxId tx) { return fire_timer(node, timer_id(kind, tx)); }
  // Runs t1 until every participant voted yes; the three votes then wait in `net` for C.
  void prepare_t1() {
    request(T1);
    deliver_round();
  }

  const LogRecord* record(NodeId node, TxId tx) const {
    return find_key(states[node].durable.log, tx);
  }
  std::int64_t balance(NodeId node, AccountId a) const {
    const Balance* b = find_key(states[node].durable.balances, a);
    return b ? b->amount : -999999;
  }
};

}  // namespace txsim::two_phase::testing
