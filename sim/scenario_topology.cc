// Reads `nodes`, `clocks` and `accounts`: who exists, how their clocks run, what they own.
#include <algorithm>
#include <map>

#include "sim/scenario_sections.h"

namespace txsim::loader {

namespace {

struct RoleKey {
  std::string_view key;
  Role role;
  bool single;  // one node (coordinator, orchestrator) rather than a list
};

// Id order: coordinator, orchestrator, participants, acceptors, services.
constexpr RoleKey kRoleKeys[] = {
    {"coordinator", Role::coordinator, true},   {"orchestrator", Role::orchestrator, true},
    {"participants", Role::participant, false}, {"acceptors", Role::acceptor, false},
    {"services", Role::service, false},
};

constexpr double kDriftPpmMax = 1e6;  // at -1e6 ppm a clock would stop

std::string unknown_node(std::string_view name, const Scenario& s) {
  const Names names = node_names(s);
  return "unknown node '" + std::string(name) + "'; expected one of " + join_names(names) +
         suggestion(name, names);
}

bool owns_accounts(Role role) { return role == Role::participant || role == Role::service; }

class NodeAdder {
 public:
  NodeAdder(FieldReader& r, Scenario& s) : r_(r), s_(s) {}

  bool add(const YamlNode& n, std::string_view path, Role role) {
    std::string name;
    if (!r_.name(n, path, "a node name", name)) return false;
    if (auto [it, fresh] = first_line_.emplace(name, n.line); !fresh) {
      return r_.fail(n, path,
                     "duplicate node name '" + name + "' (already used on line " +
                         std::to_string(it->second) + "); every node needs its own name");
    }
    if (s_.nodes.size() >= kNoNode) {
      return r_.fail(n, path, "too many nodes (at most " + std::to_string(kNoNode) + ")");
    }
    s_.nodes.push_back(NodeSpec{name, role, {}});
    return true;
  }

  bool add_role(const YamlNode& v, std::string_view path, const RoleKey& rk) {
    if (rk.single || v.is_scalar() || v.is_null()) {
      if (rk.single && v.is_list()) {
        return r_.fail(v, path,
                       "expected a single node name (there is one " +
                           std::string(to_string(rk.role)) + "), found a list");
      }
      return add(v, path, rk.role);
    }
    if (!r_.list(v, path, "node names", 1)) return false;
    for (std::size_t i = 0; i < v.children.size(); ++i) {
      if (!add(v.children[i], index_path(path, i), rk.role)) return false;
    }
    return true;
  }

 private:
  FieldReader& r_;
  Scenario& s_;
  std::map<std::string, int> first_line_;
};

bool read_clock(FieldReader& r, const YamlNode& c, const std::string& path, ClockSpec& clock) {
  if (!r.map(c, path, {"skew", "drift_ppm"})) return false;
  if (const YamlNode* v = c.find("skew")) {
    if (!r.duration(*v, child_path(path, "skew"), FieldReader::Sign::any, clock.skew)) {
      return false;
    }
  }
  if (const YamlNode* v = c.find("drift_ppm")) {
    const std::string p = child_path(path, "drift_ppm");
    if (!r.number(*v, p, clock.drift_ppm)) return false;
    if (!(clock.drift_ppm > -kDriftPpmMax && clock.drift_ppm < kDriftPpmMax)) {
      return r.fail(*v, p,
                    "expected a drift in parts per million, between -1000000 and "
                    "1000000 (exclusive), found " +
                        describe(*v));
    }
  }
  return true;
}

// An initial balance `100`, or `{initial: 100, kind: stock}` (kind `money` is the default).
bool read_account_value(FieldReader& r, const YamlNode& acc, const std::string& p,
                        AccountSpec& spec) {
  if (!acc.is_map())
    return r.integer(acc, p, FieldReader::kIntMin, FieldReader::kIntMax, spec.initial);
  if (!r.map(acc, p, {"initial", "kind"}, {"initial"})) return false;
  if (!r.integer(*acc.find("initial"), child_path(p, "initial"), FieldReader::kIntMin,
                 FieldReader::kIntMax, spec.initial))
    return false;
  std::string kind = "money";
  if (const YamlNode* k = acc.find("kind");
      k && !r.choice(*k, child_path(p, "kind"), {"money", "stock"}, kind))
    return false;
  spec.stock = kind == "stock";
  return true;
}

bool read_owner_accounts(FieldReader& r, const YamlNode& entry, const std::string& path,
                         NodeId owner, Scenario& s) {
  if (!entry.is_map()) {
    return r.fail(entry, path,
                  "expected a map from account name to its initial balance, "
                  "such as {a: 100}, found " +
                      describe(entry));
  }
  for (const YamlNode& acc : entry.children) {
    const std::string p = child_path(path, acc.key);
    if (!is_name(acc.key)) {
      return r.fail_key(acc, p,
                        "expected an account name (letters, digits, '_' and '-' "
                        "only), found '" +
                            acc.key + "'");
    }
    AccountSpec spec{acc.key, owner, 0};
    if (!read_account_value(r, acc, p, spec)) return false;
    if (s.accounts.size() >= kNoAccount) {
      return r.fail_key(acc, p, "too many accounts (at most " + std::to_string(kNoAccount) + ")");
    }
    s.accounts.push_back(std::move(spec));
  }
  return true;
}

}  // namespace

Names node_names(const Scenario& s) {
  Names names;
  for (const NodeSpec& n : s.nodes) names.push_back(n.name);
  return names;
}

bool read_node_ref(FieldReader& r, const YamlNode& n, std::string_view path, const Scenario& s,
                   NodeId& out) {
  std::string name;
  if (!r.name(n, path, "a node name", name)) return false;
  const std::optional<NodeId> id = s.node_by_name(name);
  if (!id) return r.fail(n, path, unknown_node(name, s));
  out = *id;
  return true;
}

bool read_node_key(FieldReader& r, const YamlNode& entry, std::string_view path, const Scenario& s,
                   NodeId& out) {
  const std::optional<NodeId> id = s.node_by_name(entry.key);
  if (!id) return r.fail_key(entry, path, unknown_node(entry.key, s));
  out = *id;
  return true;
}

bool read_node_set(FieldReader& r, const YamlNode& n, std::string_view path, const Scenario& s,
                   std::vector<NodeId>& out) {
  out.clear();
  if (!n.is_list()) {
    NodeId id = kNoNode;
    if (!read_node_ref(r, n, path, s, id)) return false;
    out.push_back(id);
    return true;
  }
  if (!r.list(n, path, "node names", 1)) return false;
  for (std::size_t i = 0; i < n.children.size(); ++i) {
    NodeId id = kNoNode;
    const std::string p = index_path(path, i);
    if (!read_node_ref(r, n.children[i], p, s, id)) return false;
    if (std::find(out.begin(), out.end(), id) != out.end()) {
      return r.fail(n.children[i], p, "node '" + s.nodes[id].name + "' is listed twice");
    }
    out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  return true;
}

bool read_nodes(FieldReader& r, const YamlNode& n, Scenario& s) {
  Names keys;
  for (const RoleKey& rk : kRoleKeys) keys.push_back(rk.key);
  if (!r.map(n, "nodes", keys)) return false;
  if (n.children.empty()) {
    return r.fail(n, "nodes",
                  "expected at least one role (" + join_names(keys) + "), found an empty map");
  }
  NodeAdder adder(r, s);
  for (const RoleKey& rk : kRoleKeys) {
    const YamlNode* v = n.find(rk.key);
    if (v != nullptr && !adder.add_role(*v, child_path("nodes", rk.key), rk)) return false;
  }
  return true;
}

bool read_clocks(FieldReader& r, const YamlNode& n, Scenario& s) {
  if (!n.is_map()) {
    return r.fail(n, "clocks",
                  "expected a map from node name to {skew, drift_ppm}, found " + describe(n));
  }
  for (const YamlNode& c : n.children) {
    const std::string path = child_path("clocks", c.key);
    NodeId id = kNoNode;
    if (!read_node_key(r, c, path, s, id)) return false;
    if (!read_clock(r, c, path, s.nodes[id].clock)) return false;
  }
  return true;
}

bool read_accounts(FieldReader& r, const YamlNode& n, Scenario& s) {
  if (!n.is_map()) {
    return r.fail(n, "accounts",
                  "expected a map from node name to its accounts, such as "
                  "{P1: {a: 100}}, found " +
                      describe(n));
  }
  for (const YamlNode& entry : n.children) {
    const std::string path = child_path("accounts", entry.key);
    NodeId owner = kNoNode;
    if (!read_node_key(r, entry, path, s, owner)) return false;
    const Role role = s.nodes[owner].role;
    if (!owns_accounts(role)) {
      return r.fail_key(entry, path,
                        "expected a participant or a service to own accounts, "
                        "found '" +
                            entry.key + "', the " + std::string(to_string(role)));
    }
    if (!read_owner_accounts(r, entry, path, owner, s)) return false;
  }
  return true;
}

}  // namespace txsim::loader
