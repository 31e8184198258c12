// The shared harness of the protocol handler tests: it drives a protocol's handlers directly,
// without a simulator, so a test can assert the exact effect list of each step.
//
// HandlerTest<P> keeps one State per node of a hand-built scenario plus the last persisted
// Durable per node (the "disk", which crash_and_recover restarts from), and renders each
// handler's effect list as short strings ("persist", "send C Vote {"yes":true}",
// "set timeout t1 50ms", "obs lock t1 P1.a") so tests can compare whole lists. Messages sent
// queue in `net`, to be delivered one by one, a round at a time or all at once.
//
// It exists because two_phase, three_phase, paxos_commit and tcc each carried their own copy of
// this code. What stays per protocol lives in a thin fixture derived from HandlerTest: the node
// and transaction constants, the scenario, helpers that read protocol state, and the renderings
// that differ (see render()). Protocol types come from P: P::Msg, P::State, P::Durable, P::Fx,
// P::schema(), P::phase_names().
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/effects.h"
#include "sim/observation.h"
#include "sim/options.h"
#include "sim/scenario.h"
#include "sim/types.h"

namespace txsim::protocol_testing {

using Lines = std::vector<std::string>;
using Overrides = std::vector<std::pair<std::string, std::string>>;

// A transaction whose participants are the nodes its transfers touch, sorted, each once.
inline TxSpec make_tx(std::string name, std::vector<TransferSpec> transfers,
                      std::vector<NodeId> vote_no = {}) {
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

// P's default options with `overrides` applied, e.g. {{"log_before_send", "false"}}. An unknown
// key or a value the schema refuses fails the test (non-fatally) and is skipped, so a typo in a
// test reads as a failure, not as a crash on a half-built fixture.
template <class P>
OptionValues options_for(const Overrides& overrides) {
  OptionValues ov;
  const OptionSchema schema = P::schema();
  ov.fill_defaults(schema);
  for (const auto& [key, text] : overrides) {
    auto it = std::find_if(schema.begin(), schema.end(),
                           [&](const OptionSpec& s) { return s.key == key; });
    EXPECT_NE(it, schema.end()) << key;
    if (it != schema.end()) {
      EXPECT_EQ(ov.set(*it, text), "") << key;
    }
  }
  return ov;
}

// Returns the values it was given, in order (0 once they run out); counts the calls. `strict`
// makes running out a test failure, for tests that script every choice a step makes.
class ScriptedChooser : public Chooser {
 public:
  std::uint32_t choose(std::uint32_t n) override {
    ++calls;
    if (strict) {
      EXPECT_LT(next, values.size()) << "more choices than scripted";
    }
    const std::uint32_t v = next < values.size() ? values[next++] : 0;
    return v % n;
  }
  std::vector<std::uint32_t> values;
  std::size_t next = 0;
  int calls = 0;
  bool strict = true;
};

template <class P>
class HandlerTest : public ::testing::Test {
 protected:
  using Msg = typename P::Msg;
  using Fx = typename P::Fx;

  // A message a handler sent, waiting in `net`.
  struct Sent {
    NodeId from = kNoNode;
    NodeId to = kNoNode;
    Msg msg;
  };

  // `coordinator` is the node request() runs on.
  HandlerTest(Scenario scenario, NodeId coordinator)
      : sc(std::move(scenario)), coordinator_(coordinator) {}

  void SetUp() override { build({}); }

  // Rebuilds the protocol with option overrides: every node back to its initial state, the
  // disks to their initial durable state, `net` empty.
  void build(const Overrides& overrides) {
    proto = std::make_unique<P>(sc, options_for<P>(overrides));
    states.clear();
    disk.clear();
    for (NodeId n = 0; n < sc.nodes.size(); ++n) {
      states.push_back(proto->init(n));
      disk.push_back(states.back().durable);
    }
    net.clear();
  }

  Lines request(TxId tx) {
    begin(coordinator_);
    proto->on_request(states[coordinator_], fx, tx);
    return end();
  }
  Lines deliver(NodeId from, NodeId to, const Msg& msg) {
    begin(to);
    proto->on_message(states[to], fx, from, msg);
    return end();
  }
  Lines fire_timer(NodeId node, TimerId timer) {
    begin(node);
    proto->on_timer(states[node], fx, timer);
    return end();
  }
  // Crash (volatile state lost, disk kept) and run recovery.
  Lines crash_and_recover(NodeId node) {
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
  // Drops every queued message to or from `node` (a crash or a partition, as the test needs).
  void drop_involving(NodeId node) {
    std::erase_if(net, [&](const Sent& s) { return s.from == node || s.to == node; });
  }
  // The queued messages, rendered "from->to Type".
  Lines queued() const {
    Lines out;
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

  // How one effect reads in a test. Virtual because the protocols' existing tests spell a few
  // effects differently (the timer delay, the choice, the observation's value) and their
  // expected strings stay as written; a fixture overrides this, handles what differs and
  // passes the rest here. A virtual is simpler than a CRTP parameter, and a test does not
  // care about the cost of one indirect call per effect.
  virtual std::string render(const Effect& e) {
    switch (e.kind) {
      case EffectKind::send:
        return render_send(e);
      case EffectKind::set_timer:
        return "set " + proto->timer_name(e.timer) + " " + format_duration(e.delay);
      case EffectKind::cancel_timer:
        return "cancel " + proto->timer_name(e.timer);
      case EffectKind::persist:
        return "persist";
      case EffectKind::choose:
        return "choose " + std::to_string(e.obs.account) + " -> " + std::to_string(e.obs.value);
      case EffectKind::observe: {
        const Observation& o = e.obs;
        switch (o.kind) {
          case ObsKind::phase:
          case ObsKind::vote:
          case ObsKind::decide:
          case ObsKind::balance:
            return obs_head(o, true) + " " + obs_value(o);
          default:
            return obs_head(o, true);
        }
      }
    }
    return "?";
  }
  // "send <to> <Type>", then the message's description unless it is empty ("{}").
  std::string render_send(const Effect& e) {
    const Msg& m = fx.messages()[e.index];
    const std::string d = proto->describe(m);
    return "send " + sc.nodes[e.to].name + " " + std::string(proto->type_name(m)) +
           (d == "{}" ? "" : " " + d);
  }
  // "obs <kind> [<tx>] [<account>]": the start every rendering of an observation shares.
  std::string obs_head(const Observation& o, bool with_tx) const {
    std::string s = "obs " + std::string(to_string(o.kind));
    if (with_tx) s += " " + sc.transactions[o.tx].name;
    if (o.account != kNoAccount) s += " " + sc.account_label(o.account);
    return s;
  }
  // The observation's value: the phase name for ObsKind::phase, else the number.
  std::string obs_value(const Observation& o) const {
    if (o.kind == ObsKind::phase) return std::string(P::phase_names()[std::size_t(o.value)]);
    return std::to_string(o.value);
  }

  Scenario sc;
  std::unique_ptr<P> proto;
  std::vector<typename P::State> states;
  std::vector<typename P::Durable> disk;  // last persisted snapshot per node
  std::deque<Sent> net;
  ScriptedChooser chooser;
  Fx fx;
  // Whether sent messages queue in `net`; a fixture that hands replies over itself turns it off.
  bool queue_sent = true;
  // Whether handlers get `chooser`; without it a handler's fx.choose(n > 1) aborts, which is
  // what a fixture wants when its protocol must make no choices.
  bool lend_chooser = true;

 private:
  NodeId coordinator_;
  NodeId running_ = kNoNode;

  void begin(NodeId node) {
    running_ = node;
    fx.reset(node, 0, lend_chooser ? &chooser : nullptr);
  }
  Lines end() {
    Lines out;
    for (const Effect& e : fx.list()) out.push_back(render(e));
    if (!fx.snapshots().empty()) disk[running_] = fx.snapshots().back();
    if (queue_sent) {
      for (const Effect& e : fx.list()) {
        if (e.kind == EffectKind::send) net.push_back({running_, e.to, fx.messages()[e.index]});
      }
    }
    return out;
  }
};

}  // namespace txsim::protocol_testing
