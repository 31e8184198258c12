// Test fixture for protocols/paxos_commit: drives the handlers directly, without a simulator.
//
// A hand-built scenario: the initial leader C, RMs P1 and P2, acceptors A1..A3 (node ids 0..5,
// so a ballot of round r owned by node n is 6r + n), two accounts, two transactions. One State
// per node plus the last persisted Durable per node (the "disk"); each handler's effect list is
// rendered as short strings ("persist", "send A1 Phase2a {...}", "obs vote t1 1") so tests can
// assert the exact order. Sent messages queue in `net`, to be delivered one by one or in bulk.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "protocols/paxos_commit/paxos_commit.h"

namespace txsim::paxos_commit::testing {

inline constexpr NodeId C = 0, P1 = 1, P2 = 2, A1 = 3, A2 = 4, A3 = 5;
// t1: P1.a -10, P2.b +10; t2: the same, P2 scripted to vote no.
inline constexpr TxId T1 = 0, T2 = 1;
inline constexpr AccountId A = 0, B = 1;

inline TxSpec make_tx(std::string name, std::vector<TransferSpec> transfers,
                      std::vector<NodeId> vote_no) {
  TxSpec t;
  t.name = std::move(name);
  t.transfers = std::move(transfers);
  for (const TransferSpec& tr : t.transfers) t.participants.push_back(tr.at);
  std::sort(t.participants.begin(), t.participants.end());
  t.participants.erase(std::unique(t.participants.begin(), t.participants.end()),
                       t.participants.end());
  t.vote_no = std::move(vote_no);
  return t;
}

inline Scenario make_scenario() {
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

inline OptionValues options_with(const std::vector<std::pair<std::string, std::string>>& set) {
  OptionValues ov;
  const OptionSchema schema = PaxosCommit::schema();
  ov.fill_defaults(schema);
  for (const auto& [key, text] : set) {
    auto it = std::find_if(schema.begin(), schema.end(),
                           [&](const OptionSpec& s) { return s.key == key; });
    EXPECT_NE(it, schema.end()) << key;
    if (it != schema.end()) {
      EXPECT_EQ(ov.set(*it, text), "") << key;
    }
  }
  return ov;
}

struct Sent {
  NodeId from = kNoNode;
  NodeId to = kNoNode;
  Msg msg;
};

class PaxosCommitTest : public ::testing::Test {
 protected:
  using Fx = PaxosCommit::Fx;

  void SetUp() override { build({}); }

  void build(const std::vector<std::pair<std::string, std::string>>& overrides) {
    proto = std::make_unique<PaxosCommit>(sc, options_with(overrides));
    states.clear();
    disk.clear();
    for (NodeId n = 0; n < sc.nodes.size(); ++n) {
      states.push_back(proto->init(n));
      disk.push_back(states.back().durable);
    }
    net.clear();
  }

  std::vector<std::string> request(TxId tx) {
    begin(C);
    proto->on_request(states[C], fx, tx);
    return end();
  }
  std::vector<std::string> deliver(NodeId from, NodeId to, const Msg& msg) {
    begin(to);
    proto->on_message(states[to], fx, from, msg);
    return end();
  }
  std::vector<std::string> fire(NodeId node, TimerKind kind, TxId tx) {
    begin(node);
    proto->on_timer(states[node], fx, timer_id(kind, tx));
    return end();
  }
  // Crash (volatile state lost, disk kept) and run recovery.
  std::vector<std::string> crash_and_recover(NodeId node) {
    states[node] = proto->restore(node, disk[node]);
    begin(node);
    proto->on_recover(states[node], fx);
    return end();
  }
  // Delivers the first queued message that matches, removing it; false if none.
  bool deliver_first(NodeId from, NodeId to, std::string_view type) {
    for (auto it = net.begin(); it != net.end(); ++it) {
      if (it->from == from && it->to == to && proto->type_name(it->msg) == type) {
        Sent s = *it;
        net.erase(it);
        deliver(s.from, s.to, s.msg);
        return true;
      }
    }
    return false;
  }
  // Drops every queued message to or from `node`.
  void drop_involving(NodeId node) {
    std::erase_if(net, [&](const Sent& s) { return s.from == node || s.to == node; });
  }
  // Delivers queued messages in FIFO order until none is left (bounded).
  void deliver_all() {
    for (int i = 0; i < 1000 && !net.empty(); ++i) {
      Sent s = net.front();
      net.pop_front();
      deliver(s.from, s.to, s.msg);
    }
    ASSERT_TRUE(net.empty()) << "message storm";
  }
  // Delivers the messages queued now, in order; what they send waits for the next round.
  void deliver_round() {
    std::deque<Sent> round;
    round.swap(net);
    for (const Sent& s : round) deliver(s.from, s.to, s.msg);
  }

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

  Scenario sc = make_scenario();
  std::unique_ptr<PaxosCommit> proto;
  std::vector<PaxosCommit::State> states;
  std::vector<PaxosCommit::Durable> disk;  // last persisted snapshot per node
  std::deque<Sent> net;
  Fx fx;

 private:
  NodeId running_ = kNoNode;

  void begin(NodeId node) {
    running_ = node;
    fx.reset(node, 0, nullptr);
  }
  std::vector<std::string> end() {
    std::vector<std::string> out;
    for (const Effect& e : fx.list()) out.push_back(render(e));
    if (!fx.snapshots().empty()) disk[running_] = fx.snapshots().back();
    for (const Effect& e : fx.list()) {
      if (e.kind == EffectKind::send) net.push_back({running_, e.to, fx.messages()[e.index]});
    }
    return out;
  }
  std::string render(const Effect& e) {
    std::string s;
    switch (e.kind) {
      case EffectKind::send: {
        const Msg& m = fx.messages()[e.index];
        s = "send ";
        s += sc.nodes[e.to].name;
        s += ' ';
        s += proto->type_name(m);
        const std::string d = proto->describe(m);
        if (d != "{}") {
          s += ' ';
          s += d;
        }
        return s;
      }
      case EffectKind::set_timer:
        s = "set ";
        s += proto->timer_name(e.timer);
        return s;
      case EffectKind::cancel_timer:
        s = "cancel ";
        s += proto->timer_name(e.timer);
        return s;
      case EffectKind::persist:
        return "persist";
      case EffectKind::choose:
        return "choose";
      case EffectKind::observe:
        return render(e.obs);
    }
    return "?";
  }
  std::string render(const Observation& o) {
    std::string s = "obs ";
    s += to_string(o.kind);
    s += ' ';
    s += sc.transactions[o.tx].name;
    if (o.account != kNoAccount) {
      s += ' ';
      s += sc.account_label(o.account);
    }
    s += ' ';
    if (o.kind == ObsKind::phase) {
      s += PaxosCommit::phase_names()[std::size_t(o.value)];
    } else {
      s += std::to_string(o.value);
    }
    return s;
  }
};

using Lines = std::vector<std::string>;

}  // namespace txsim::paxos_commit::testing
