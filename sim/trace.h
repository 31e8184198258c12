// Trace events: what a run (or a replayed counterexample) looks like from outside.
//
// The simulator emits one TraceEvent per thing that happens, in order, to a TraceSink. Sinks
// write JSON Lines (trace_jsonl.h), print the readable timeline (reports/), match fault
// triggers, or collect statistics. Events reference nodes, transactions and accounts by id;
// the header carries the names, so a trace file is self-contained.
//
// Invariant: events arrive in non-decreasing time; `msg_id` links a send to its deliveries,
// drops and duplicates; text fields are views valid only during the call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/msg_class.h"
#include "sim/observation.h"
#include "sim/scenario.h"
#include "sim/types.h"

namespace txsim {

enum class TraceKind : std::uint8_t {
  request,    // the client submitted tx to node
  send,       // node -> peer, msg_id, type, text = payload JSON
  deliver,    // peer -> node (node is the receiver)
  drop,       // the message msg_id from peer to node was lost; text = reason
  duplicate,  // the network made a second copy of msg_id
  timer,      // node's timer fired; type = timer name
  crash,      // node crashed; value = effects applied of the running handler (-1: idle)
  recover,    // node restarted from its durable state
  partition,  // text = the new partition, described
  heal,       // every partition and cut healed
  observe,    // node reported obs (vote, decide, phase, balance, lock, ...)
  choose,     // node's handler made a choice: value of n (obs.value of obs.account)
  state,      // node's full state after a handler; text = state JSON (when enabled)
  violation,  // type = invariant id, text = detail
};
std::string_view to_string(TraceKind kind);

struct TraceEvent {
  Micros time = 0;
  TraceKind kind = TraceKind::observe;
  NodeId node = kNoNode;
  NodeId peer = kNoNode;
  std::uint64_t msg_id = 0;
  TxId tx = kNoTx;
  std::string_view type;   // message type, timer name, or invariant id
  std::string_view text;   // payload / state JSON, reason, detail (may be empty)
  Observation obs{};
  std::int64_t value = 0;
  MsgClass msg_class = MsgClass::other;  // send / deliver / drop / duplicate (not in traces)
};

struct TraceHeader {
  const Scenario* scenario = nullptr;
  std::string protocol;
  std::uint64_t seed = 0;
  std::vector<std::string_view> phase_names;
};

class TraceSink {
 public:
  virtual ~TraceSink() = default;
  virtual void begin(const TraceHeader&) {}
  virtual void event(const TraceEvent& e) = 0;
  virtual void end(Micros /*time*/) {}
  // Payload JSON costs a formatting call per message: engines fill `text` only if asked.
  virtual bool wants_payloads() const { return false; }
  virtual bool wants_states() const { return false; }
};

// Forwards to several sinks (any may be null and is skipped).
class TraceFanout final : public TraceSink {
 public:
  void add(TraceSink* sink) { if (sink) sinks_.push_back(sink); }
  bool empty() const { return sinks_.empty(); }
  void begin(const TraceHeader& h) override { for (auto* s : sinks_) s->begin(h); }
  void event(const TraceEvent& e) override { for (auto* s : sinks_) s->event(e); }
  void end(Micros t) override { for (auto* s : sinks_) s->end(t); }
  bool wants_payloads() const override {
    for (auto* s : sinks_) if (s->wants_payloads()) return true;
    return false;
  }
  bool wants_states() const override {
    for (auto* s : sinks_) if (s->wants_states()) return true;
    return false;
  }

 private:
  std::vector<TraceSink*> sinks_;
};

}  // namespace txsim
