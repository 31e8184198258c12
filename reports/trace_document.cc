#include "reports/trace_document.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_map>

#include "reports/trace_scanner.h"

namespace txsim::report {

std::string_view to_string(EventKind kind) {
  static constexpr std::string_view names[] = {
      "request", "send",    "deliver", "drop",  "duplicate", "timer",     "crash", "recover",
      "partition", "heal", "observe", "choose", "state",     "violation", "end"};
  return names[static_cast<int>(kind)];
}

namespace {

// Maps names to ids; looked up by string_view without building a std::string per lookup.
struct NameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using NameIds = std::unordered_map<std::string, int, NameHash, std::equal_to<>>;

std::optional<EventKind> event_kind(std::string_view s) {
  for (int k = 0; k <= static_cast<int>(EventKind::end); ++k)
    if (to_string(static_cast<EventKind>(k)) == s) return static_cast<EventKind>(k);
  return std::nullopt;
}

}  // namespace

// Fills a TraceDocument line by line; the first error stops it.
class TraceParser {
 public:
  TraceParser(TraceDocument& doc) : d_(doc) {}

  std::optional<Error> run() {
    const std::string& s = d_.text_;
    std::size_t start = 0;
    std::uint32_t line = 0;
    bool header = false, ended = false;
    while (start < s.size()) {
      std::size_t stop = s.find('\n', start);
      if (stop == std::string::npos) stop = s.size();
      ++line;
      LineScanner sc(s, start, stop, line, d_.name_);
      if (!sc.blank()) {
        if (ended) return sc.error_at(start, "text after the `end` line");
        std::optional<Error> err =
            !header ? read_header(sc) : read_event(sc, start, line, ended);
        if (err) return err;
        header = true;
      }
      start = stop + 1;
    }
    if (!header) return Error{d_.name_ + ":1:1: error: empty file, not a txsim trace"};
    if (!ended) d_.end_time_ = d_.events_.empty() ? 0 : d_.events_.back().time;
    index_messages();
    return std::nullopt;
  }

 private:
  std::optional<Error> read_header(LineScanner& sc) {
    bool format_ok = false;
    auto err = sc.object([&](std::string_view key, const Value& v) -> std::optional<Error> {
      if (key == "format") {
        if (v.kind != Value::string || sc.decode(v) != "txsim-trace")
          return sc.error_at(v.pos, "not a txsim trace (\"format\" is not \"txsim-trace\")");
        format_ok = true;
      } else if (key == "version") {
        if (v.kind != Value::number || v.integer != 1)
          return sc.error_at(v.pos, "key 'version': this reader knows trace format version 1");
      } else if (key == "scenario") {
        return sc.string_into(v, key, d_.scenario_);
      } else if (key == "file") {
        return sc.string_into(v, key, d_.scenario_file_);
      } else if (key == "protocol") {
        return sc.string_into(v, key, d_.protocol_);
      } else if (key == "seed") {
        if (v.kind != Value::number) return sc.expected(v, key, "a number");
        d_.seed_ = static_cast<std::uint64_t>(v.integer);
      } else if (key == "nodes") {
        return sc.array(v, key, [&](const Value& item) -> std::optional<Error> {
          DocNode n;
          auto e = sc.object_at(item, [&](std::string_view k, const Value& f)
                                          -> std::optional<Error> {
            if (k == "name") return sc.string_into(f, k, n.name);
            if (k == "role") return sc.string_into(f, k, n.role);
            return sc.error_at(f.key_pos, "unknown key '" + std::string(k) + "' in a node");
          });
          if (e) return e;
          d_.nodes_.push_back(std::move(n));
          return std::nullopt;
        });
      } else if (key == "transactions" || key == "accounts" || key == "phases") {
        auto& list = key == "transactions" ? d_.transactions_
                     : key == "accounts"   ? d_.accounts_
                                           : d_.phases_;
        return sc.array(v, key, [&](const Value& item) -> std::optional<Error> {
          std::string str;
          if (auto e = sc.string_into(item, key, str)) return e;
          list.push_back(std::move(str));
          return std::nullopt;
        });
      } else if (key == "schedule") {
        if (v.kind != Value::array) return sc.expected(v, key, "an array");
        d_.schedule_ = v.span;
      } else {
        return sc.error_at(v.key_pos, "unknown key '" + std::string(key) + "' in the header");
      }
      return std::nullopt;
    });
    if (err) return err;
    if (!format_ok)
      return sc.error_at(sc.begin(), "not a txsim trace (no \"format\":\"txsim-trace\" header)");
    if (d_.nodes_.size() > 32000) return sc.error_at(sc.begin(), "too many nodes");
    for (std::size_t i = 0; i < d_.nodes_.size(); ++i) node_ids_[d_.nodes_[i].name] = int(i);
    for (std::size_t i = 0; i < d_.transactions_.size(); ++i) tx_ids_[d_.transactions_[i]] = int(i);
    for (std::size_t i = 0; i < d_.accounts_.size(); ++i) account_ids_[d_.accounts_[i]] = int(i);
    for (std::size_t i = 0; i < d_.phases_.size(); ++i) phase_ids_[d_.phases_[i]] = int(i);
    return std::nullopt;
  }

  std::optional<Error> read_event(LineScanner& sc, std::size_t line_start, std::uint32_t line,
                                  bool& ended) {
    DocEvent e;
    e.line = line;
    bool has_t = false, has_ev = false;
    auto lookup = [&](const Value& v, std::string_view key,
                      const NameIds& ids, const char* what, auto& out) -> std::optional<Error> {
      if (v.kind != Value::string) return sc.expected(v, key, "a string");
      auto it = ids.find(sc.plain(v));
      if (it == ids.end()) it = ids.find(sc.decode(v));  // escaped characters in the name
      if (it == ids.end())
        return sc.error_at(v.pos, "key '" + std::string(key) + "': unknown " + what + " '" +
                                      sc.decode(v) + "' (not in the header)");
      out = static_cast<std::remove_reference_t<decltype(out)>>(it->second);
      return std::nullopt;
    };
    auto number = [&](const Value& v, std::string_view key, auto& out) -> std::optional<Error> {
      if (v.kind != Value::number) return sc.expected(v, key, "an integer");
      out = static_cast<std::remove_reference_t<decltype(out)>>(v.integer);
      return std::nullopt;
    };
    auto err = sc.object([&](std::string_view key, const Value& v) -> std::optional<Error> {
      switch (key.empty() ? '\0' : key[0]) {
        case 't':
          if (key == "t") { has_t = true; return number(v, key, e.time); }
          if (key == "to") return lookup(v, key, node_ids_, "node", e.peer);
          if (key == "tx") return lookup(v, key, tx_ids_, "transaction", e.tx);
          if (key == "type" || key == "timer") return label(sc, v, key, e.label);
          break;
        case 'e':
          if (key == "ev") {
            if (v.kind != Value::string) return sc.expected(v, key, "a string");
            auto k = event_kind(sc.plain(v));
            if (!k) return sc.error_at(v.pos, "key 'ev': unknown event kind " + sc.raw(v));
            e.kind = *k;
            has_ev = true;
            return std::nullopt;
          }
          break;
        case 'n':
          if (key == "node") return lookup(v, key, node_ids_, "node", e.node);
          if (key == "n") return number(v, key, e.choices);
          break;
        case 'f':
          if (key == "from") return lookup(v, key, node_ids_, "node", e.peer);
          break;
        case 'i':
          if (key == "id") return number(v, key, e.msg_id);
          if (key == "invariant") return label(sc, v, key, e.label);
          break;
        case 'a':
          if (key == "account") return lookup(v, key, account_ids_, "account", e.account);
          if (key == "after_effects") return number(v, key, e.value);
          break;
        case 'w':
          if (key == "what") return label(sc, v, key, e.label);
          break;
        case 'v':
          if (key == "value") return number(v, key, e.value);
          break;
        case 'p':
          if (key == "phase") return lookup(v, key, phase_ids_, "phase", e.phase);
          break;
        case 'm':
        case 's':
          if (key == "msg" || key == "state") {
            if (v.kind != Value::object) return sc.expected(v, key, "an object");
            e.text = v.span;
            return std::nullopt;
          }
          break;
        case 'r':
        case 'd':
          if (key == "reason" || key == "detail") {
            if (v.kind != Value::string) return sc.expected(v, key, "a string");
            e.text = v.span;
            return std::nullopt;
          }
          break;
        default: break;
      }
      return sc.error_at(v.key_pos, "unknown key '" + std::string(key) + "' in an event");
    });
    if (err) return err;
    if (!has_t) return sc.error_at(sc.begin(), "an event without its time 't'");
    if (!has_ev) return sc.error_at(sc.begin(), "an event without its kind 'ev'");
    if (!d_.events_.empty() && e.time < d_.events_.back().time)
      return sc.error_at(sc.begin(), "key 't': time goes backwards (" + std::to_string(e.time) +
                                         " after " + std::to_string(d_.events_.back().time) + ")");
    if (e.kind == EventKind::end) {
      d_.end_time_ = e.time;
      ended = true;
      return std::nullopt;
    }
    if (e.kind == EventKind::state) d_.has_states_ = true;
    if (e.kind == EventKind::violation)
      d_.violations_.push_back(static_cast<std::int32_t>(d_.events_.size()));
    d_.events_.push_back(e);
    d_.line_starts_.push_back(static_cast<std::uint32_t>(line_start));
    return std::nullopt;
  }

  std::optional<Error> label(LineScanner& sc, const Value& v, std::string_view key,
                             std::int32_t& out) {
    if (v.kind != Value::string) return sc.expected(v, key, "a string");
    if (auto it = label_ids_.find(sc.plain(v)); it != label_ids_.end()) {
      out = it->second;
      return std::nullopt;
    }
    std::string name = sc.decode(v);
    auto [it, fresh] = label_ids_.try_emplace(name, static_cast<int>(d_.labels_.size()));
    if (fresh) d_.labels_.push_back(std::move(name));
    out = it->second;
    return std::nullopt;
  }

  void index_messages() {
    std::unordered_map<std::uint64_t, std::size_t> at;
    auto& msgs = d_.messages_;
    for (std::size_t i = 0; i < d_.events_.size(); ++i) {
      const DocEvent& e = d_.events_[i];
      if (e.kind != EventKind::send && e.kind != EventKind::deliver && e.kind != EventKind::drop &&
          e.kind != EventKind::duplicate)
        continue;
      auto [it, fresh] = at.try_emplace(e.msg_id, msgs.size());
      if (fresh) {
        msgs.emplace_back();
        msgs.back().id = e.msg_id;
      }
      DocMessage& m = msgs[it->second];
      const auto idx = static_cast<std::int32_t>(i);
      if (m.label == kNone) m.label = e.label;
      if (m.tx == kNone) m.tx = e.tx;
      switch (e.kind) {
        case EventKind::send:
          m.send = idx;
          m.from = e.node;
          m.to = e.peer;
          break;
        case EventKind::deliver: m.deliveries.push_back(idx); break;
        case EventKind::drop: m.drop = idx; break;
        default: m.duplicates.push_back(idx); break;
      }
      if (e.kind != EventKind::send) {
        if (m.from == kNone) m.from = e.peer;
        if (m.to == kNone) m.to = e.node;
      }
    }
    std::sort(msgs.begin(), msgs.end(),
              [](const DocMessage& a, const DocMessage& b) { return a.id < b.id; });
  }

  TraceDocument& d_;
  NameIds node_ids_, tx_ids_, account_ids_, phase_ids_, label_ids_;
};

Result<TraceDocument> TraceDocument::parse(std::string text, const std::string& name) {
  TraceDocument doc;
  doc.text_ = std::move(text);
  doc.name_ = name;
  if (doc.text_.size() > 0xFFFFFFF0u)
    return Error{name + ": error: the trace is larger than 4 GiB; this reader cannot hold it"};
  TraceParser parser(doc);
  if (auto err = parser.run()) return *err;
  return doc;
}

Result<TraceDocument> TraceDocument::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{path + ": error: cannot open trace file"};
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Error{path + ": error: cannot read trace file"};
  return parse(std::move(buf).str(), path);
}

const DocMessage* TraceDocument::message(std::uint64_t id) const {
  auto it = std::lower_bound(messages_.begin(), messages_.end(), id,
                             [](const DocMessage& m, std::uint64_t v) { return m.id < v; });
  return it != messages_.end() && it->id == id ? &*it : nullptr;
}

std::string TraceDocument::text(Span s) const {
  const std::string_view raw = view(s);
  if (raw.size() < 2 || raw.front() != '"') return std::string(raw);
  return decode_json_string(raw);
}

std::string_view TraceDocument::line_text(std::size_t event_index) const {
  const std::size_t start = line_starts_.at(event_index);
  std::size_t stop = text_.find('\n', start);
  if (stop == std::string::npos) stop = text_.size();
  return std::string_view(text_).substr(start, stop - start);
}

}  // namespace txsim::report
