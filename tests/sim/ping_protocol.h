// PingProtocol ("ping"): the smallest protocol that exercises the whole engine, used by the
// engine's tests and as the worked example of docs/adding-a-protocol.md.
//
// What it does. The client submits a transaction to the requester (node 0, the first node the
// scenario declares). The requester sends Ping{tx} to every other node and waits; each node
// answers Pong{tx}. Peers that have not answered get the Ping again every `retry`. When every
// peer has answered, the transaction is done.
//
// Why it is useful for tests. It has a durable part (the requests accepted, the transactions
// done, and the number of pongs counted, all persisted) and a volatile part (who has not
// answered yet), so crash, cut and recovery are observable: after a crash the requester
// restarts from its last persist, forgets who answered, and pings everybody again. It sends
// many small messages over every link, so the network model can be measured. It observes only
// phases ("idle", "waiting", "done"), never votes, decisions or money, so no standard
// invariant can break and every run is judged on the network and fault behaviour alone.
//
// Rules it follows, like every protocol: behaviour only (built once, immutable), all mutable
// data in State, no I/O, no clock, no randomness, no pointers in state, containers kept sorted
// so that equal states compare equal (and hash alike: the model checker explores it too).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/assert.h"
#include "sim/check/hash.h"
#include "sim/effects.h"
#include "sim/options.h"
#include "sim/protocol.h"
#include "sim/scenario.h"
#include "sim/types.h"

namespace txsim::test {

// --- messages: small copyable values --------------------------------------------------------
struct Ping {  // requester -> peer: "are you there, about tx?"
  TxId tx = kNoTx;
  bool operator==(const Ping&) const = default;
};
struct Pong {  // peer -> requester: the answer
  TxId tx = kNoTx;
  bool operator==(const Pong&) const = default;
};
using PingMsg = std::variant<Ping, Pong>;
inline constexpr std::array<std::string_view, 2> kPingMsgNames = {"Ping", "Pong"};

// --- state: what survives a crash, and what does not -----------------------------------------
struct PingDurable {
  std::vector<TxId> started;  // ascending: requests the requester accepted
  std::vector<TxId> done;     // ascending: transactions every peer answered
  std::uint32_t pongs = 0;    // pongs counted (a pong after a crash may be counted again)
  bool operator==(const PingDurable&) const = default;
};
struct Waiting {
  TxId tx = kNoTx;
  std::vector<NodeId> missing;  // ascending: peers that have not answered yet
  bool operator==(const Waiting&) const = default;
};
struct PingVolatile {
  std::vector<Waiting> waiting;  // ascending by tx
  bool operator==(const PingVolatile&) const = default;
};
struct PingState {
  NodeId node = kNoNode;
  PingDurable durable;
  PingVolatile vol;
  bool operator==(const PingState&) const = default;
};

// ObsKind::phase values, and their names (indexes must match).
enum class PingPhase : std::int32_t { idle = 0, waiting = 1, done = 2 };
inline constexpr std::array<std::string_view, 3> kPingPhases = {"idle", "waiting", "done"};

class PingProtocol {
 public:
  static constexpr std::string_view kName = "ping";
  static constexpr NodeId kRequester = 0;
  using Msg = PingMsg;
  using Durable = PingDurable;
  using Volatile = PingVolatile;
  using State = PingState;
  using Fx = Effects<Msg, Durable>;

  static OptionSchema schema() {
    return {{"retry", OptionType::duration, "10ms",
             "The requester resends Ping to peers that have not answered this often."}};
  }
  static std::span<const std::string_view> phase_names() { return kPingPhases; }

  PingProtocol(const Scenario& sc, const OptionValues& options)
      : retry_(options.get_duration("retry")) {
    TXSIM_ASSERT_MSG(sc.nodes.size() >= 2, "ping: needs a requester and at least one peer");
    for (const NodeSpec& n : sc.nodes) node_names_.push_back(n.name);
    for (const TxSpec& t : sc.transactions) tx_names_.push_back(t.name);
  }

  State init(NodeId node) const { return State{node, {}, {}}; }
  // After a crash: the disk as last persisted, and an empty volatile part.
  State restore(NodeId node, const Durable& disk) const { return State{node, disk, {}}; }
  NodeId request_target(TxId) const { return kRequester; }

  // Effects, in order: persist, observe waiting, one Ping per peer, set the retry timer.
  void on_request(State& s, Fx& fx, TxId tx) const {
    if (std::binary_search(s.durable.started.begin(), s.durable.started.end(), tx)) return;
    insert_sorted(s.durable.started, tx);
    fx.persist(s.durable);  // write-ahead: a crash after this still remembers the request
    start_round(s, fx, tx);
  }

  void on_message(State& s, Fx& fx, NodeId from, const Msg& msg) const {
    if (const Ping* p = std::get_if<Ping>(&msg)) return fx.send(from, Pong{p->tx});
    on_pong(s, fx, from, std::get<Pong>(msg).tx);
  }

  // The timer id is the transaction id: one retry timer per transaction.
  void on_timer(State& s, Fx& fx, TimerId timer) const {
    const TxId tx = static_cast<TxId>(timer);
    const Waiting* w = find_waiting(s, tx);
    if (w == nullptr) return;  // finished before the timer fired
    for (NodeId peer : w->missing) fx.send(peer, Ping{tx});
    fx.set_timer(timer, retry_);
  }

  // Who answered was volatile: every unfinished request goes back to idle and starts over.
  void on_recover(State& s, Fx& fx) const {
    for (TxId tx : s.durable.started) {
      if (std::binary_search(s.durable.done.begin(), s.durable.done.end(), tx)) continue;
      observe_phase(fx, tx, PingPhase::idle);
      start_round(s, fx, tx);
    }
  }

  // Hashes for the model checker (CheckableProtocol): the fields operator== compares.
  std::uint64_t hash(const Durable& d) const {
    check::Hasher h;
    add_durable(h, d);
    return h.finish();
  }
  std::uint64_t hash(const State& s) const {
    check::Hasher h;
    h.add(s.node);
    add_durable(h, s.durable);
    h.add(s.vol.waiting.size());
    for (const Waiting& w : s.vol.waiting) {
      h.add(w.tx);
      h.add_range(w.missing);
    }
    return h.finish();
  }
  std::uint64_t hash(const Msg& msg) const { return check::hash_words({msg.index(), tx_of(msg)}); }

  std::string_view type_name(const Msg& msg) const { return kPingMsgNames[msg.index()]; }
  TxId tx_of(const Msg& msg) const {
    return std::visit([](const auto& m) { return m.tx; }, msg);
  }
  std::string describe(const Msg&) const { return "{}"; }  // nothing beyond the tx
  std::string timer_name(TimerId timer) const { return "retry " + tx_name(TxId(timer)); }
  // {"pongs":1,"started":["t1"],"done":[],"waiting":[{"tx":"t1","missing":["B"]}]}
  std::string describe_state(const State& s) const {
    std::string out = "{\"pongs\":" + std::to_string(s.durable.pongs) +
                      ",\"started\":" + tx_list(s.durable.started) +
                      ",\"done\":" + tx_list(s.durable.done) + ",\"waiting\":[";
    for (const Waiting& w : s.vol.waiting) {
      if (out.back() != '[') out += ",";
      out += "{\"tx\":\"" + tx_name(w.tx) + "\",\"missing\":[";
      for (std::size_t i = 0; i < w.missing.size(); ++i)
        out += (i ? ",\"" : "\"") + node_names_[w.missing[i]] + "\"";
      out += "]}";
    }
    return out + "]}";
  }

 private:
  void start_round(State& s, Fx& fx, TxId tx) const {
    Waiting w{tx, {}};
    for (NodeId n = 0; n < node_names_.size(); ++n)
      if (n != s.node) w.missing.push_back(n);
    observe_phase(fx, tx, PingPhase::waiting);
    for (NodeId peer : w.missing) fx.send(peer, Ping{tx});
    fx.set_timer(TimerId(tx), retry_);
    auto at = std::lower_bound(s.vol.waiting.begin(), s.vol.waiting.end(), tx,
                               [](const Waiting& x, TxId t) { return x.tx < t; });
    s.vol.waiting.insert(at, std::move(w));
  }

  // Effects, in order: persist; and when it was the last answer, observe done, cancel timer.
  void on_pong(State& s, Fx& fx, NodeId from, TxId tx) const {
    Waiting* w = find_waiting(s, tx);
    if (w == nullptr) return;  // finished already, or the round was lost in a crash
    auto it = std::find(w->missing.begin(), w->missing.end(), from);
    if (it == w->missing.end()) return;  // a duplicate pong
    w->missing.erase(it);
    ++s.durable.pongs;
    const bool finished = w->missing.empty();
    if (finished) {
      s.vol.waiting.erase(s.vol.waiting.begin() + (w - s.vol.waiting.data()));
      insert_sorted(s.durable.done, tx);
    }
    fx.persist(s.durable);
    if (!finished) return;
    observe_phase(fx, tx, PingPhase::done);
    fx.cancel_timer(TimerId(tx));
  }

  static void add_durable(check::Hasher& h, const Durable& d) {
    h.add_range(d.started);
    h.add_range(d.done);
    h.add(d.pongs);
  }
  static Waiting* find_waiting(State& s, TxId tx) {
    for (Waiting& w : s.vol.waiting)
      if (w.tx == tx) return &w;
    return nullptr;
  }
  static void insert_sorted(std::vector<TxId>& v, TxId tx) {
    v.insert(std::lower_bound(v.begin(), v.end(), tx), tx);
  }
  static void observe_phase(Fx& fx, TxId tx, PingPhase phase) {
    fx.observe(ObsKind::phase, tx, static_cast<std::int32_t>(phase));
  }
  std::string tx_name(TxId tx) const { return tx < tx_names_.size() ? tx_names_[tx] : "?"; }
  std::string tx_list(const std::vector<TxId>& txs) const {
    std::string out = "[";
    for (TxId t : txs) out += (out.size() > 1 ? ",\"" : "\"") + tx_name(t) + "\"";
    return out + "]";
  }

  Micros retry_;
  std::vector<std::string> node_names_;
  std::vector<std::string> tx_names_;
};

static_assert(Protocol<PingProtocol>);
static_assert(CheckableProtocol<PingProtocol>);

}  // namespace txsim::test
