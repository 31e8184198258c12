// Reads `faults`: each entry is a trigger (`when`) and exactly one action.
#include <algorithm>
#include <limits>

#include "sim/scenario_sections.h"

namespace txsim::loader {

namespace {

using Sign = FieldReader::Sign;
using Trigger = TriggerSpec::Kind;
using Action = FaultAction::Kind;

constexpr std::int64_t kCountMax = std::numeric_limits<std::uint32_t>::max();

const Names kActions = {"crash", "recover", "partition", "cut",
                        "heal",  "drop",    "delay",     "crash_during"};

bool read_count(FieldReader& r, const YamlNode& v, const std::string& path, std::uint32_t& out) {
  std::int64_t count = 0;
  if (!r.integer(v, path, 1, kCountMax, count)) return false;
  out = static_cast<std::uint32_t>(count);
  return true;
}

bool read_msg_class(FieldReader& r, const YamlNode& v, const std::string& path,
                    std::optional<MsgClass>& out) {
  std::string text;
  if (!r.choice(v, path, {"prepare", "vote", "decision", "ack", "query", "consensus", "other"},
                text))
    return false;
  MsgClass c = MsgClass::other;
  msg_class_from_string(text, c);
  out = c;
  return true;
}

// The filters of `sent`, `delivered` and `state` triggers.
bool read_filters(FieldReader& r, const YamlNode& v, const std::string& path, const Scenario& s,
                  TriggerSpec& t) {
  for (const YamlNode& f : v.children) {
    const std::string p = child_path(path, f.key);
    bool ok = true;
    if (f.key == "from") ok = read_node_ref(r, f, p, s, t.from);
    if (f.key == "to") ok = read_node_ref(r, f, p, s, t.to);
    if (f.key == "node") ok = read_node_ref(r, f, p, s, t.node);
    if (f.key == "type") ok = r.name(f, p, "a message type name", t.msg_type);
    if (f.key == "class") ok = read_msg_class(r, f, p, t.msg_class);
    if (f.key == "enters") ok = r.name(f, p, "a phase name", t.phase);
    if (f.key == "tx") ok = read_tx_ref(r, f, p, s, t.tx);
    if (f.key == "count") ok = read_count(r, f, p, t.count);
    if (!ok) return false;
  }
  return true;
}

bool read_trigger(FieldReader& r, const YamlNode& n, const std::string& path, const Scenario& s,
                  TriggerSpec& t) {
  const YamlNode* kind = nullptr;
  if (!r.one_key(n, path, {"at", "sent", "delivered", "state"}, "a trigger", kind)) return false;
  const std::string p = child_path(path, kind->key);
  if (kind->key == "at") {
    t.kind = Trigger::at_time;
    return r.duration(*kind, p, Sign::non_negative, t.at);
  }
  if (kind->key == "state") {
    t.kind = Trigger::state;
    if (!r.map(*kind, p, {"node", "enters", "tx", "count"}, {"enters"})) return false;
  } else {
    t.kind = kind->key == "sent" ? Trigger::sent : Trigger::delivered;
    if (!r.map(*kind, p, {"from", "to", "type", "class", "tx", "count"})) return false;
  }
  return read_filters(r, *kind, p, s, t);
}

bool read_partition(FieldReader& r, const YamlNode& v, const std::string& path, const Scenario& s,
                    FaultAction& a) {
  a.kind = Action::partition;
  if (!r.list(v, path, "groups, each a list of node names, such as [[P1], [C, P2]]", 1)) {
    return false;
  }
  std::vector<bool> listed(s.nodes.size(), false);
  for (std::size_t g = 0; g < v.children.size(); ++g) {
    const YamlNode& group = v.children[g];
    const std::string gp = index_path(path, g);
    if (group.is_scalar()) {
      return r.fail(group, gp,
                    "expected a group: a list of node names such as [" + group.text + "], found " +
                        describe(group) + " (a partition is a list of groups: [[P1], [C, P2]])");
    }
    if (!r.list(group, gp, "node names (one group of the partition)", 1)) return false;
    std::vector<NodeId>& ids = a.groups.emplace_back();
    for (std::size_t i = 0; i < group.children.size(); ++i) {
      NodeId id = kNoNode;
      if (!read_node_ref(r, group.children[i], index_path(gp, i), s, id)) return false;
      if (listed[id]) {
        return r.fail(group.children[i], index_path(gp, i),
                      "expected each node in at most one group, found '" + s.nodes[id].name +
                          "' a second time");
      }
      listed[id] = true;
      ids.push_back(id);
    }
    std::sort(ids.begin(), ids.end());
  }
  std::vector<NodeId> rest;
  for (std::size_t id = 0; id < s.nodes.size(); ++id) {
    if (!listed[id]) rest.push_back(static_cast<NodeId>(id));
  }
  if (!rest.empty()) a.groups.push_back(std::move(rest));
  if (a.groups.size() < 2) {
    return r.fail(v, path,
                  "expected at least two groups, found one group holding every node "
                  "(such a partition separates nothing)");
  }
  return true;
}

bool read_cut(FieldReader& r, const YamlNode& v, const std::string& path, const Scenario& s,
              FaultAction& a) {
  a.kind = Action::partition;
  if (!r.map(v, path, {"from", "to"}, {"from", "to"})) return false;
  if (!read_node_set(r, *v.find("from"), child_path(path, "from"), s, a.cut_from)) return false;
  if (!read_node_set(r, *v.find("to"), child_path(path, "to"), s, a.cut_to)) return false;
  for (NodeId id : a.cut_to) {
    if (std::binary_search(a.cut_from.begin(), a.cut_from.end(), id)) {
      return r.fail(*v.find("to"), child_path(path, "to"),
                    "expected nodes not in 'from', found '" + s.nodes[id].name + "' on both sides");
    }
  }
  return true;
}

bool read_true(FieldReader& r, const YamlNode& v, const std::string& path, std::string_view why) {
  bool flag = false;
  if (!r.boolean(v, path, flag)) return false;
  if (!flag) return r.fail(v, path, "expected true (" + std::string(why) + "), found false");
  return true;
}

bool read_crash_during(FieldReader& r, const YamlNode& v, const std::string& path,
                       const Scenario& s, FaultAction& a) {
  a.kind = Action::crash_during;
  if (!r.map(v, path, {"node", "after_effects"}, {"node"})) return false;
  if (!read_node_ref(r, *v.find("node"), child_path(path, "node"), s, a.node)) return false;
  if (const YamlNode* k = v.find("after_effects")) {
    std::int64_t effects = 0;
    if (!r.integer(*k, child_path(path, "after_effects"), 0, kCountMax, effects)) return false;
    a.after_effects = static_cast<std::uint32_t>(effects);
  }
  return true;
}

bool read_action(FieldReader& r, const YamlNode& v, const std::string& path, const Scenario& s,
                 FaultAction& a) {
  if (v.key == "crash") {
    a.kind = Action::crash;
    return read_node_ref(r, v, path, s, a.node);
  }
  if (v.key == "recover") {
    a.kind = Action::recover;
    return read_node_ref(r, v, path, s, a.node);
  }
  if (v.key == "partition") return read_partition(r, v, path, s, a);
  if (v.key == "cut") return read_cut(r, v, path, s, a);
  if (v.key == "heal") {
    a.kind = Action::heal;
    return read_true(r, v, path, "heal: true heals every partition and cut");
  }
  if (v.key == "drop") {
    a.kind = Action::drop;
    return read_true(r, v, path, "drop: true drops the matched message");
  }
  if (v.key == "delay") {
    a.kind = Action::delay;
    return r.duration(v, path, Sign::non_negative, a.delay);
  }
  return read_crash_during(r, v, path, s, a);
}

// The one action entry of a fault, or nullptr after an error.
const YamlNode* find_action(FieldReader& r, const YamlNode& n, const std::string& path) {
  const YamlNode* action = nullptr;
  for (const YamlNode& c : n.children) {
    if (std::find(kActions.begin(), kActions.end(), c.key) == kActions.end()) continue;
    if (action != nullptr) {
      r.fail_key(c, child_path(path, c.key),
                 "expected exactly one action per fault, found both '" + action->key + "' and '" +
                     c.key + "' (write two faults with the same 'when')");
      return nullptr;
    }
    action = &c;
  }
  if (action == nullptr) {
    r.fail(n, path, "expected exactly one action (" + join_names(kActions) + "), found none");
  }
  return action;
}

bool check_combination(FieldReader& r, const YamlNode& n, const std::string& path,
                       const YamlNode& action, FaultSpec& f) {
  if (const YamlNode* ra = n.find("recover_after")) {
    const std::string p = child_path(path, "recover_after");
    if (f.action.kind != Action::crash) {
      return r.fail_key(*ra, p,
                        "expected only alongside 'crash' (crash, then recover after "
                        "this long), found it with '" +
                            action.key + "'");
    }
    if (!r.duration(*ra, p, Sign::non_negative, f.action.recover_after)) return false;
  }
  const bool per_message = f.action.kind == Action::drop || f.action.kind == Action::delay;
  if (per_message && f.when.kind != Trigger::sent) {
    return r.fail_key(action, child_path(path, action.key),
                      "expected a 'sent' trigger (" + action.key +
                          " acts on the message being sent), found the '" +
                          n.find("when")->children[0].key + "' trigger");
  }
  return true;
}

bool read_fault(FieldReader& r, const YamlNode& n, const std::string& path, const Scenario& s,
                FaultSpec& f) {
  Names allowed = kActions;
  allowed.insert(allowed.begin(), "when");
  allowed.push_back("recover_after");
  if (!r.map(n, path, allowed, {"when"})) return false;
  const YamlNode* action = find_action(r, n, path);
  if (action == nullptr) return false;
  f.line = n.line;
  if (!read_trigger(r, *n.find("when"), child_path(path, "when"), s, f.when)) return false;
  if (!read_action(r, *action, child_path(path, action->key), s, f.action)) return false;
  return check_combination(r, n, path, *action, f);
}

}  // namespace

bool read_partition_groups(FieldReader& r, const YamlNode& v, const std::string& path,
                           const Scenario& s, std::vector<std::vector<NodeId>>& groups) {
  FaultAction a;
  if (!read_partition(r, v, path, s, a)) return false;
  groups = std::move(a.groups);
  return true;
}

bool read_faults(FieldReader& r, const YamlNode& n, Scenario& s) {
  if (!r.list(n, "faults", "faults, each {when: ..., <action>: ...}", 0)) return false;
  for (std::size_t i = 0; i < n.children.size(); ++i) {
    FaultSpec f;
    if (!read_fault(r, n.children[i], index_path("faults", i), s, f)) return false;
    s.faults.push_back(std::move(f));
  }
  return true;
}

}  // namespace txsim::loader
