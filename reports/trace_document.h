// TraceDocument: a whole trace file (docs/trace-format.md) held in memory, for whatever draws a
// run after the fact: the GUI's timeline, table and charts, and the HTML/SVG reports.
//
// Why a reader of its own and not nlohmann::json per line: a million-event trace must open in
// well under two seconds. The file is read once into one buffer; each line is scanned in place
// (the format is flat objects with a fixed key set); names (node, tx, account, message type,
// timer, invariant) are resolved to small integers; payload, state and detail JSON stay as
// spans into the buffer, decoded only when someone looks at them.
//
// Errors name file:line:col and the key, and never abort: a bad trace is a message for the
// user, not a crash. Unknown keys are errors too (a trace is machine-written, so an unknown
// key means a different format version, not a typo to forgive).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sim/types.h"

namespace txsim::report {

enum class EventKind : std::uint8_t {
  request, send, deliver, drop, duplicate, timer, crash, recover, partition, heal, observe,
  choose, state, violation, end,
};
std::string_view to_string(EventKind kind);

// A piece of the file: raw JSON text (an object, or a string with its quotes).
struct Span {
  std::uint32_t offset = 0;
  std::uint32_t length = 0;
  bool empty() const { return length == 0; }
};

inline constexpr std::int32_t kNone = -1;

struct DocEvent {
  std::int64_t time = 0;       // microseconds
  EventKind kind = EventKind::observe;
  std::int16_t node = kNone;   // index into nodes (the receiver for deliver/drop/duplicate)
  std::int16_t peer = kNone;   // send: `to`; deliver/drop/duplicate: `from`
  std::int32_t tx = kNone;     // index into transactions
  std::int32_t account = kNone;  // index into accounts (observe)
  std::int32_t phase = kNone;  // observe phase: index into phases
  std::int32_t label = kNone;  // index into labels: message type, timer, invariant, observe what
  std::int64_t value = 0;      // observe value, crash after_effects, choose value
  std::int64_t choices = 0;    // choose n
  std::uint64_t msg_id = 0;    // send/deliver/drop/duplicate
  Span text;                   // send msg, state state, drop reason, partition/request/violation
                               // detail (raw JSON as written)
  std::uint32_t line = 0;      // 1-based line in the file
};

// One message's life, built from the events that carry its id.
struct DocMessage {
  std::uint64_t id = 0;
  std::int16_t from = kNone;
  std::int16_t to = kNone;
  std::int32_t label = kNone;  // message type
  std::int32_t tx = kNone;
  std::int32_t send = kNone;               // event index of the send (kNone: not in the trace)
  std::vector<std::int32_t> deliveries;    // event indices of its deliver lines
  std::int32_t drop = kNone;               // event index of the drop line
  std::vector<std::int32_t> duplicates;    // event indices of its duplicate lines
};

struct DocNode {
  std::string name;
  std::string role;
};

class TraceDocument {
 public:
  // Reads and indexes `path`. Errors: "path:line:col: error: ..." (Error::message).
  static Result<TraceDocument> load(const std::string& path);
  // The same from text already in memory; `name` stands for the file in messages.
  static Result<TraceDocument> parse(std::string text, const std::string& name);

  // Header.
  const std::string& scenario() const { return scenario_; }
  const std::string& scenario_file() const { return scenario_file_; }
  const std::string& protocol() const { return protocol_; }
  std::uint64_t seed() const { return seed_; }
  const std::vector<DocNode>& nodes() const { return nodes_; }
  const std::vector<std::string>& transactions() const { return transactions_; }
  const std::vector<std::string>& accounts() const { return accounts_; }
  const std::vector<std::string>& phases() const { return phases_; }
  bool has_schedule() const { return !schedule_.empty(); }  // a checker counterexample
  std::string_view schedule_json() const { return view(schedule_); }

  // Events in file order (non-decreasing time), without the closing `end` line.
  const std::vector<DocEvent>& events() const { return events_; }
  std::int64_t end_time() const { return end_time_; }  // the `end` line's, else the last event's
  // Messages ordered by id.
  const std::vector<DocMessage>& messages() const { return messages_; }
  // The message with `id`, or nullptr.
  const DocMessage* message(std::uint64_t id) const;
  // Indices of the violation events.
  const std::vector<std::int32_t>& violations() const { return violations_; }
  bool has_states() const { return has_states_; }  // written with --trace-states

  // Interned names (message types, timers, invariants, observe kinds).
  std::string_view label(std::int32_t i) const {
    return i < 0 ? std::string_view() : std::string_view(labels_[i]);
  }
  std::string_view node_name(std::int32_t i) const {
    return i < 0 ? std::string_view() : std::string_view(nodes_[i].name);
  }
  std::string_view tx_name(std::int32_t i) const {
    return i < 0 ? std::string_view() : std::string_view(transactions_[i]);
  }
  std::string_view account_name(std::int32_t i) const {
    return i < 0 ? std::string_view() : std::string_view(accounts_[i]);
  }
  std::string_view phase_name(std::int32_t i) const {
    return i < 0 ? std::string_view() : std::string_view(phases_[i]);
  }
  // Raw JSON of a span (a string keeps its quotes and escapes).
  std::string_view view(Span s) const { return std::string_view(text_).substr(s.offset, s.length); }
  // A span's text for a person: a JSON string unquoted and unescaped, anything else as is.
  std::string text(Span s) const;
  // The original line of event i, for tooltips and the table's detail pane.
  std::string_view line_text(std::size_t event_index) const;

 private:
  friend class TraceParser;
  std::string text_;  // the whole file
  std::string name_;
  std::string scenario_, scenario_file_, protocol_;
  std::uint64_t seed_ = 0;
  std::vector<DocNode> nodes_;
  std::vector<std::string> transactions_, accounts_, phases_, labels_;
  Span schedule_;
  std::vector<DocEvent> events_;
  std::vector<std::uint32_t> line_starts_;  // per event: offset of its line
  std::vector<DocMessage> messages_;
  std::vector<std::int32_t> violations_;
  std::int64_t end_time_ = 0;
  bool has_states_ = false;
};

}  // namespace txsim::report
