// Test fixture for protocols/paxos_commit: drives the handlers directly, without a simulator.
//
// A hand-built scenario: the initial leader C, RMs P1 and P2, acceptors A1..A3 (node ids 0..5,
// so a ballot of round r owned by node n is 6r + n), two accounts, two transactions. It runs on
// the shared harness (handler_harness.h), which keeps the node states and disks, renders each
// handler's effect list as short strings ("persist", "send A1 Phase2a {...}", "obs vote t1 1")
// and queues sent messages in `net`. This file adds what is Paxos Commit only: the scenario,
// the way its tests spell effects, and helpers that read RM, acceptor and leader state.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "protocols/paxos_commit/paxos_commit.h"
#include "tests/protocols/handler_harness.h"

namespace txsim::paxos_commit::testing {

using protocol_testing::Lines;

inline constexpr NodeId C = 0, P1 = 1, P2 = 2, A1 = 3, A2 = 4, A3 = 5;
// t1: P1.a -10, P2.b +10; t2: the same, P2 scripted to vote no.
inline constexpr TxId T1 = 0, T2 = 1;
inline constexpr AccountId A = 0, B = 1;

inline Scenario make_scenario() {
  using protocol_testing::make_tx;
  Scenario sc;
  sc.name = "paxos-commit-unit";
  sc.protocols = {"paxos_commit"};
  sc.nodes = {{"C", Role::coordinator, {}},  {"P1", Role::participant, {}},
              {"P2", Role::participant, {}}, {"A1", Role::acceptor, {}},
              {"A2", Role::acceptor, {}},    {"A3", Role::acceptor, {}}};
  sc.accounts = {{"a", P1, 100}, {"b", P2, 50}};
  sc.transactions = {make_tx("t1", {{P1, A, -10}, {P2, B, 10}}, {}),
                     make_tx("t2", {{P1, A, -10}, {P2, B, 10}}, {P2})};
  return sc;
}

// PaxosCommit's default options with `set` applied; the checker tests use it too.
inline OptionValues options_with(const std::vector<std::pair<std::string, std::string>>& set) {
  return protocol_testing::options_for<PaxosCommit>(set);
}

class PaxosCommitTest : public protocol_testing::HandlerTest<PaxosCommit> {
 protected:
  // These tests script no choices (random_no_vote stays off), so the handlers get no chooser:
  // a choice would abort rather than quietly take a default.
  PaxosCommitTest() : HandlerTest(make_scenario(), C) { lend_chooser = false; }

  Lines fire(NodeId node, TimerKind kind, TxId tx) { return fire_timer(node, timer_id(kind, tx)); }

  const RmRecord* record(NodeId node, TxId tx) const {
    return find_key(states[node].durable.log, tx);
  }
  const AcceptorRecord* acceptor(NodeId node, TxId tx) const {
    return find_key(disk[node].acceptor, tx);
  }
  std::int64_t balance(NodeId node, AccountId a) const {
    const Balance* b = find_key(states[node].durable.balances, a);
    return b ? b->amount : -999999;
  }
  Decision decided(NodeId node, TxId tx) const {
    const LeaderRecord* r = find_key(states[node].durable.leader, tx);
    return r ? r->decision : Decision::none;
  }

  // These tests spell a timer without its delay, a choice without its value, and give every
  // observation its value (the harness leaves it off lock, unlock, effect and the like).
  std::string render(const Effect& e) override {
    switch (e.kind) {
      case EffectKind::set_timer:
        return "set " + proto->timer_name(e.timer);
      case EffectKind::choose:
        return "choose";
      case EffectKind::observe:
        return obs_head(e.obs, true) + " " + obs_value(e.obs);
      default:
        return HandlerTest::render(e);
    }
  }
};

}  // namespace txsim::paxos_commit::testing
