// Test fixture for protocols/three_phase: drives the handlers directly, without a simulator.
//
// It builds a small scenario by hand (coordinator C, participants P1..P3, four accounts, four
// transactions), keeps one State per node plus the last persisted Durable per node (the
// "disk"), and renders each handler's effect list as short strings ("persist",
// "send C Vote {"yes":true}", "obs lock t1 P1.a") so tests can assert the exact order.
// Messages sent are queued in `net` so a test can deliver them one by one or all at once.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "protocols/three_phase/three_phase.h"

namespace txsim::three_phase::testing {

inline constexpr NodeId C = 0, P1 = 1, P2 = 2, P3 = 3;
// t1: P1.a -30, P2.b +10, P3.c +20      (all three participants)
// t2: P1.a -80, P3.c +80                (conflicts with t1 on P1.a and P3.c)
// t3: P1.d -10, P2.b +10                (P1.d holds 5: P1 must vote no)
// t4: P1.a -1, P2.b +1, P2 scripted no
inline constexpr TxId T1 = 0, T2 = 1, T3 = 2, T4 = 3;
inline constexpr AccountId A = 0, B = 1, Cacc = 2, D = 3;

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
  sc.name = "three-phase-unit";
  sc.protocols = {"three_phase"};
  sc.nodes = {{"C", Role::coordinator, {}},
              {"P1", Role::participant, {}},
              {"P2", Role::participant, {}},
              {"P3", Role::participant, {}}};
  sc.accounts = {{"a", P1, 100}, {"b", P2, 50}, {"c", P3, 0}, {"d", P1, 5}};
  sc.transactions = {
      make_tx("t1", {{P1, A, -30}, {P2, B, 10}, {P3, Cacc, 20}}, {}),
      make_tx("t2", {{P1, A, -80}, {P3, Cacc, 80}}, {}),
      make_tx("t3", {{P1, D, -10}, {P2, B, 10}}, {}),
      make_tx("t4", {{P1, A, -1}, {P2, B, 1}}, {P2}),
  };
  return sc;
}

// Returns the values it was given, in order; counts the calls.
class ScriptedChooser : public Chooser {
 public:
  std::uint32_t choose(std::uint32_t n) override {
    ++calls;
    EXPECT_LT(next, values.size()) << "more choices than scripted";
    const std::uint32_t v = next < values.size() ? values[next++] : 0;
    return v % n;
  }
  std::vector<std::uint32_t> values;
  std::size_t next = 0;
  int calls = 0;
};

struct Sent {
  NodeId from = kNoNode;
  NodeId to = kNoNode;
  Msg msg;
};

class ThreePhaseTest : public ::testing::Test {
 protected:
  using Fx = ThreePhase::Fx;

  void SetUp() override { build({}); }

  // Rebuilds the protocol with option overrides, e.g. {{"log_before_send", "false"}}.
  void build(const std::vector<std::pair<std::string, std::string>>& overrides) {
    OptionValues ov;
    const OptionSchema schema = ThreePhase::schema();
    ov.fill_defaults(schema);
    for (const auto& [key, text] : overrides) {
      auto it = std::find_if(schema.begin(), schema.end(),
                             [&](const OptionSpec& s) { return s.key == key; });
      ASSERT_NE(it, schema.end()) << key;
      ASSERT_EQ(ov.set(*it, text), "") << key;
    }
    proto = std::make_unique<ThreePhase>(sc, ov);
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
  // Fires `node`'s wait timer for tx and returns its effects.
  std::vector<std::string> fire_wait(NodeId node, TxId tx) {
    return fire(node, TimerKind::wait, tx);
  }

  const LogRecord* record(NodeId node, TxId tx) const {
    return find_key(states[node].durable.log, tx);
  }
  const Follow* follow(NodeId node, TxId tx) const {
    return find_key(states[node].vol.follows, tx);
  }
  // Drops queued messages to or from `node` (a crash or a partition, as the test needs).
  void drop_messages_of(NodeId node) {
    std::deque<Sent> kept;
    for (const Sent& m : net) {
      if (m.from != node && m.to != node) kept.push_back(m);
    }
    net.swap(kept);
  }
  // The queued messages, rendered "from->to Type".
  std::vector<std::string> queued() const {
    std::vector<std::string> out;
    for (const Sent& m : net) {
      std::string line = sc.nodes[m.from].name;
      line += "->";
      line += sc.nodes[m.to].name;
      line += ' ';
      line += proto->type_name(m.msg);
      out.push_back(std::move(line));
    }
    return out;
  }
  std::int64_t balance(NodeId node, AccountId a) const {
    const Balance* b = find_key(states[node].durable.balances, a);
    return b ? b->amount : -999999;
  }

  Scenario sc = make_scenario();
  std::unique_ptr<ThreePhase> proto;
  std::vector<ThreePhase::State> states;
  std::vector<ThreePhase::Durable> disk;  // last persisted snapshot per node
  std::deque<Sent> net;
  ScriptedChooser chooser;
  Fx fx;

 private:
  NodeId running_ = kNoNode;

  void begin(NodeId node) {
    running_ = node;
    fx.reset(node, 0, &chooser);
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
    switch (e.kind) {
      case EffectKind::send: {
        const Msg& m = fx.messages()[e.index];
        const std::string d = proto->describe(m);
        return "send " + sc.nodes[e.to].name + " " + std::string(proto->type_name(m)) +
               (d == "{}" ? "" : " " + d);
      }
      case EffectKind::set_timer:
        return "set " + proto->timer_name(e.timer) + " " + format_duration(e.delay);
      case EffectKind::cancel_timer:
        return "cancel " + proto->timer_name(e.timer);
      case EffectKind::persist:
        return "persist";
      case EffectKind::choose:
        return "choose " + std::to_string(e.obs.account) + " -> " + std::to_string(e.obs.value);
      case EffectKind::observe:
        return render(e.obs);
    }
    return "?";
  }
  std::string render(const Observation& o) {
    std::string s = "obs " + std::string(to_string(o.kind)) + " " + sc.transactions[o.tx].name;
    if (o.account != kNoAccount) s += " " + sc.account_label(o.account);
    switch (o.kind) {
      case ObsKind::phase:
        return s + " " + std::string(ThreePhase::phase_names()[std::size_t(o.value)]);
      case ObsKind::vote:
      case ObsKind::decide:
      case ObsKind::balance:
        return s + " " + std::to_string(o.value);
      default:
        return s;
    }
  }
};

using Lines = std::vector<std::string>;

}  // namespace txsim::three_phase::testing
