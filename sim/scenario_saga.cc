// Reads `saga:`: one saga (`steps:`) run by every transaction, or several (`sagas:`), each
// run by the transactions its `runs:` lists. Validates each definition with SagaGraph
// (sim/saga_graph.h) and points every error at the step's line. docs/scenarios.md#saga.
#include <algorithm>
#include <map>
#include <set>

#include "sim/saga_graph.h"
#include "sim/saga_loader.h"
#include "sim/scenario_sections.h"

namespace txsim::loader {
namespace {

const Names kStepKeys = {"name",      "service", "action",     "compensation",
                         "kind",      "after",   "fails",      "idempotent",
                         "commutative", "compensation_fails", "status_after"};

std::optional<AccountId> account_at(const Scenario& s, NodeId owner, std::string_view name) {
  for (std::size_t i = 0; i < s.accounts.size(); ++i)
    if (s.accounts[i].owner == owner && s.accounts[i].name == name) return AccountId(i);
  return std::nullopt;
}

bool read_one_transfer(FieldReader& r, const YamlNode& n, const std::string& path,
                       const Scenario& s, NodeId service, SagaTransfer& out) {
  if (!r.map(n, path, {"account", "amount"}, {"account", "amount"})) return false;
  const YamlNode& acc = *n.find("account");
  std::string name;
  if (!r.name(acc, child_path(path, "account"), "an account name", name)) return false;
  const auto id = account_at(s, service, name);
  if (!id) {
    Names own;
    for (const AccountSpec& a : s.accounts)
      if (a.owner == service) own.push_back(a.name);
    return r.fail(acc, child_path(path, "account"),
                  "unknown account '" + name + "' at service '" + s.nodes[service].name +
                      "' (a step moves money only at its own service); expected one of " +
                      join_names(own));
  }
  out.account = *id;
  return r.integer(*n.find("amount"), child_path(path, "amount"), -2'000'000'000, 2'000'000'000,
                   out.amount);
}

// `{account, amount}` or a list of them.
bool read_transfers(FieldReader& r, const YamlNode& n, const std::string& path, const Scenario& s,
                    NodeId service, std::vector<SagaTransfer>& out) {
  if (n.is_map()) return read_one_transfer(r, n, path, s, service, out.emplace_back());
  if (!r.list(n, path, "transfers {account, amount}", 1)) return false;
  for (std::size_t i = 0; i < n.children.size(); ++i) {
    if (!read_one_transfer(r, n.children[i], index_path(path, i), s, service, out.emplace_back()))
      return false;
  }
  return true;
}

bool read_service(FieldReader& r, const YamlNode& n, const std::string& path, const Scenario& s,
                  NodeId& out) {
  if (!read_node_ref(r, n, path, s, out)) return false;
  if (s.nodes[out].role == Role::service) return true;
  return r.fail(n, path,
                "a saga step runs at a service, found '" + n.text + "', the " +
                    std::string(to_string(s.nodes[out].role)) + " (declare it under services:)");
}

bool read_compensation(FieldReader& r, const YamlNode* n, const std::string& path,
                       const Scenario& s, SagaStep& st) {
  if (n == nullptr) {  // the inverse of the action
    for (const SagaTransfer& t : st.action) st.compensation.push_back({t.account, -t.amount});
    return true;
  }
  if (n->is_scalar() && n->plain && n->text == "none") {
    st.compensable = false;
    return true;
  }
  if (n->is_scalar() && n->plain && n->text == "restore") {
    st.restore = true;
    return true;
  }
  return read_transfers(r, *n, path, s, st.service, st.compensation);
}

bool read_fails(FieldReader& r, const YamlNode& n, const std::string& path, SagaStep& st) {
  if (n.is_scalar() && n.plain && (n.text == "true" || n.text == "false"))
    return r.boolean(n, path, st.fails_always);
  std::int64_t k = 0;
  if (!n.is_scalar() || !n.plain || n.text.empty() ||
      n.text.find_first_not_of("0123456789") != std::string::npos) {
    return r.fail(n, path,
                  "expected true (the step always fails) or a number N (its first N attempts "
                  "fail), found " + describe(n));
  }
  if (!r.integer(n, path, 0, 1000, k)) return false;
  st.fails_first = static_cast<std::uint32_t>(k);
  return true;
}

bool read_step_options(FieldReader& r, const YamlNode& n, const std::string& path, SagaStep& st) {
  if (const YamlNode* v = n.find("fails"); v && !read_fails(r, *v, child_path(path, "fails"), st))
    return false;
  if (st.fails_always && st.kind == SagaStepKind::retriable) {
    return r.fail(*n.find("fails"), child_path(path, "fails"),
                  "a retriable step is retried until it succeeds, so it cannot fail on every "
                  "attempt; write the number of attempts that fail (fails: 2)");
  }
  if (const YamlNode* v = n.find("idempotent");
      v && !r.boolean(*v, child_path(path, "idempotent"), st.idempotent))
    return false;
  if (const YamlNode* v = n.find("commutative");
      v && !r.boolean(*v, child_path(path, "commutative"), st.commutative))
    return false;
  std::int64_t k = 0;
  if (const YamlNode* v = n.find("compensation_fails")) {
    if (!r.integer(*v, child_path(path, "compensation_fails"), 0, 1000, k)) return false;
  }
  st.compensation_fails = static_cast<std::uint32_t>(k);
  if (const YamlNode* v = n.find("status_after")) {
    if (!r.duration(*v, child_path(path, "status_after"), FieldReader::Sign::positive,
                    st.status_after))
      return false;
  }
  return true;
}

bool read_step(FieldReader& r, const YamlNode& n, const std::string& path, const Scenario& s,
               SagaStep& st) {
  if (!r.map(n, path, kStepKeys, {"name", "service"})) return false;
  st.line = n.line;
  if (!r.name(*n.find("name"), child_path(path, "name"), "a step name", st.name)) return false;
  if (!read_service(r, *n.find("service"), child_path(path, "service"), s, st.service))
    return false;
  if (const YamlNode* v = n.find("kind")) {
    std::string kind;
    if (!r.choice(*v, child_path(path, "kind"), {"compensatable", "pivot", "retriable"}, kind))
      return false;
    st.kind = kind == "pivot"       ? SagaStepKind::pivot
              : kind == "retriable" ? SagaStepKind::retriable
                                    : SagaStepKind::compensatable;
  }
  if (const YamlNode* v = n.find("action");
      v && !read_transfers(r, *v, child_path(path, "action"), s, st.service, st.action))
    return false;
  if (!read_compensation(r, n.find("compensation"), child_path(path, "compensation"), s, st))
    return false;
  return read_step_options(r, n, path, st);
}

// `after:` names steps of the same saga (read once every name is known).
bool read_after(FieldReader& r, const YamlNode& n, const std::string& path, SagaDef& def,
                std::size_t i) {
  const YamlNode* v = n.find("after");
  if (v == nullptr) return true;
  Names names;
  for (const SagaStep& st : def.steps) names.push_back(st.name);
  const std::string p = child_path(path, "after");
  if (!r.list(*v, p, "step names", 0)) return false;
  for (std::size_t k = 0; k < v->children.size(); ++k) {
    std::string name;
    if (!r.name(v->children[k], index_path(p, k), "a step name", name)) return false;
    auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) {
      return r.fail(v->children[k], index_path(p, k),
                    "unknown step '" + name + "'; expected one of " + join_names(names) +
                        suggestion(name, names));
    }
    const std::size_t a = std::size_t(it - names.begin());
    if (a == i) return r.fail(v->children[k], index_path(p, k), "a step cannot run after itself");
    def.steps[i].after.push_back(a);
  }
  std::sort(def.steps[i].after.begin(), def.steps[i].after.end());
  def.steps[i].after.erase(std::unique(def.steps[i].after.begin(), def.steps[i].after.end()),
                           def.steps[i].after.end());
  return true;
}

bool read_steps(FieldReader& r, const YamlNode& n, const std::string& path, const Scenario& s,
                SagaDef& def) {
  if (!r.list(n, path, "steps {name, service, action, kind, after}", 1)) return false;
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < n.children.size(); ++i) {
    SagaStep& st = def.steps.emplace_back();
    if (!read_step(r, n.children[i], index_path(path, i), s, st)) return false;
    if (!seen.insert(st.name).second) {
      const YamlNode& name = *n.children[i].find("name");
      return r.fail(name, child_path(index_path(path, i), "name"),
                    "duplicate step name '" + st.name + "'; every step needs its own name");
    }
  }
  for (std::size_t i = 0; i < n.children.size(); ++i)
    if (!read_after(r, n.children[i], index_path(path, i), def, i)) return false;
  const SagaGraph graph(def);
  const std::vector<SagaProblem> problems = saga_problems(def, graph);
  if (problems.empty()) return true;
  const std::string p = index_path(path, problems.front().step);
  return r.fail(n.children[problems.front().step], p, problems.front().message);
}

bool read_runs(FieldReader& r, const YamlNode& n, const std::string& path, const Scenario& s,
               SagaDef& def) {
  if (!r.list(n, path, "transaction ids", 1)) return false;
  for (std::size_t i = 0; i < n.children.size(); ++i) {
    TxId tx = kNoTx;
    if (!read_tx_ref(r, n.children[i], index_path(path, i), s, tx)) return false;
    def.runs.push_back(tx);
  }
  return true;
}

bool read_def(FieldReader& r, const YamlNode& n, const std::string& path, const Scenario& s,
              bool runs_required, SagaDef& def) {
  Names required = {"steps"};
  if (runs_required) required = {"name", "runs", "steps"};
  if (!r.map(n, path, {"name", "runs", "steps"}, required)) return false;
  def.name = "saga";
  if (const YamlNode* v = n.find("name");
      v && !r.name(*v, child_path(path, "name"), "a saga name", def.name))
    return false;
  if (const YamlNode* v = n.find("runs")) {
    if (!read_runs(r, *v, child_path(path, "runs"), s, def)) return false;
  } else {
    for (std::size_t t = 0; t < s.transactions.size(); ++t) def.runs.push_back(TxId(t));
  }
  return read_steps(r, *n.find("steps"), child_path(path, "steps"), s, def);
}

std::string moves_text(const std::map<AccountId, std::int64_t>& m, const Scenario& s) {
  std::string out;
  for (const auto& [a, amount] : m) {
    if (amount == 0) continue;
    if (!out.empty()) out += ", ";
    out.append(s.account_label(a)).append(amount > 0 ? " +" : " ").append(std::to_string(amount));
  }
  return out.empty() ? std::string("nothing") : out;
}

// The workload says what each transaction moves overall; its saga's actions must agree, so
// that money conservation judges the saga by what it was meant to do.
bool check_transfers(FieldReader& r, const YamlNode& root, const Scenario& s, const SagaDef& def,
                     TxId tx) {
  std::map<AccountId, std::int64_t> want, got;
  for (const SagaStep& st : def.steps)
    for (const SagaTransfer& t : st.action) want[t.account] += t.amount;
  for (const TransferSpec& t : s.transactions[tx].transfers) got[t.account] += t.amount;
  std::erase_if(want, [](const auto& e) { return e.second == 0; });
  std::erase_if(got, [](const auto& e) { return e.second == 0; });
  if (want == got) return true;
  const YamlNode& item = root.find("workload")->find("transactions")->children[tx];
  const std::string path = child_path(index_path("workload.transactions", tx), "transfers");
  return r.fail(*item.find("transfers"), path,
                "transaction '" + s.transactions[tx].name + "' runs saga '" + def.name +
                    "', whose actions move " + moves_text(want, s) +
                    "; its transfers must add up to the same per account (they move " +
                    moves_text(got, s) + ")");
}

bool assign_runs(FieldReader& r, const YamlNode& n, const YamlNode& root, Scenario& s) {
  SagaSpec& spec = s.saga;
  spec.saga_of_tx.assign(s.transactions.size(), -1);
  for (std::size_t i = 0; i < spec.sagas.size(); ++i) {
    for (TxId tx : spec.sagas[i].runs) {
      if (spec.saga_of_tx[tx] >= 0) {
        return r.fail(n, "saga", "transaction '" + s.transactions[tx].name +
                                     "' runs two sagas; each transaction is one saga instance");
      }
      spec.saga_of_tx[tx] = std::int32_t(i);
      if (!check_transfers(r, root, s, spec.sagas[i], tx)) return false;
      TxSpec& t = s.transactions[tx];  // every step's service takes part, money or not
      for (const SagaStep& st : spec.sagas[i].steps) t.participants.push_back(st.service);
      std::sort(t.participants.begin(), t.participants.end());
      t.participants.erase(std::unique(t.participants.begin(), t.participants.end()),
                           t.participants.end());
    }
  }
  return true;
}

}  // namespace

bool read_saga(FieldReader& r, const YamlNode& n, const YamlNode& root, Scenario& s) {
  if (!r.map(n, "saga", {"name", "runs", "steps", "sagas"})) return false;
  if (n.find("sagas") != nullptr) {
    if (n.children.size() != 1) {
      return r.fail(n, "saga",
                    "expected either one saga (name, runs, steps) or a list under sagas:, not "
                    "both");
    }
    const YamlNode& list = *n.find("sagas");
    if (!r.list(list, "saga.sagas", "sagas {name, runs, steps}", 1)) return false;
    for (std::size_t i = 0; i < list.children.size(); ++i) {
      if (!read_def(r, list.children[i], index_path("saga.sagas", i), s, true,
                    s.saga.sagas.emplace_back()))
        return false;
    }
  } else if (!read_def(r, n, "saga", s, false, s.saga.sagas.emplace_back())) {
    return false;
  }
  return assign_runs(r, n, root, s);
}

}  // namespace txsim::loader
