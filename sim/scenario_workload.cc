// Reads `workload`: the transactions, their transfers and their scripted votes.
#include <algorithm>
#include <set>

#include "sim/scenario_sections.h"

namespace txsim::loader {

namespace {

Names tx_names(const Scenario& s) {
  Names names;
  for (const TxSpec& tx : s.transactions) names.push_back(tx.name);
  return names;
}

std::string unknown_tx(std::string_view name, const Scenario& s) {
  const Names names = tx_names(s);
  return "unknown transaction '" + std::string(name) + "'; expected one of " + join_names(names) +
         suggestion(name, names);
}

Names accounts_of(NodeId owner, const Scenario& s) {
  Names names;
  for (const AccountSpec& a : s.accounts) {
    if (a.owner == owner) names.push_back(a.name);
  }
  return names;
}

std::optional<AccountId> find_account(NodeId owner, std::string_view name, const Scenario& s) {
  for (std::size_t i = 0; i < s.accounts.size(); ++i) {
    if (s.accounts[i].owner == owner && s.accounts[i].name == name) {
      return static_cast<AccountId>(i);
    }
  }
  return std::nullopt;
}

// " ('a' belongs to P1)" when another node owns an account of that name, else a spelling hint.
std::string owner_hint(const std::string& name, const Scenario& s, const Names& names) {
  for (const AccountSpec& a : s.accounts) {
    if (a.name == name) return " ('" + name + "' belongs to " + s.nodes[a.owner].name + ")";
  }
  return suggestion(name, names);
}

bool read_account_ref(FieldReader& r, const YamlNode& n, std::string_view path, NodeId owner,
                      const Scenario& s, AccountId& out) {
  std::string name;
  if (!r.name(n, path, "an account name", name)) return false;
  if (const std::optional<AccountId> id = find_account(owner, name, s)) {
    out = *id;
    return true;
  }
  const std::string& node = s.nodes[owner].name;
  const Names names = accounts_of(owner, s);
  if (names.empty()) {
    return r.fail(n, path,
                  "unknown account '" + name + "': node '" + node +
                      "' owns no accounts (declare them under accounts: " + node + ")");
  }
  return r.fail(n, path,
                "unknown account '" + name + "' at node '" + node + "'; expected one of " +
                    join_names(names) + owner_hint(name, s, names));
}

bool read_transfer(FieldReader& r, const YamlNode& n, const std::string& path, const Scenario& s,
                   TransferSpec& out) {
  if (!r.map(n, path, {"at", "account", "amount"}, {"at", "account", "amount"})) return false;
  const YamlNode& at = *n.find("at");
  const std::string at_path = child_path(path, "at");
  if (!read_node_ref(r, at, at_path, s, out.at)) return false;
  const Role role = s.nodes[out.at].role;
  if (role != Role::participant && role != Role::service) {
    return r.fail(at, at_path,
                  "expected a participant or a service, found '" + at.text + "', the " +
                      std::string(to_string(role)));
  }
  if (!read_account_ref(r, *n.find("account"), child_path(path, "account"), out.at, s,
                        out.account)) {
    return false;
  }
  return r.integer(*n.find("amount"), child_path(path, "amount"), FieldReader::kIntMin,
                   FieldReader::kIntMax, out.amount);
}

bool read_votes(FieldReader& r, const YamlNode& n, const std::string& path, const Scenario& s,
                TxSpec& tx) {
  if (!n.is_map()) {
    return r.fail(n, path,
                  "expected a map from participant name to yes or no, such as "
                  "{P2: no}, found " +
                      describe(n));
  }
  for (const YamlNode& v : n.children) {
    const std::string p = child_path(path, v.key);
    NodeId id = kNoNode;
    if (!read_node_key(r, v, p, s, id)) return false;
    if (!std::binary_search(tx.participants.begin(), tx.participants.end(), id)) {
      Names names;
      for (NodeId q : tx.participants) names.push_back(s.nodes[q].name);
      return r.fail_key(v, p,
                        "expected a participant of transaction '" + tx.name + "' (" +
                            join_names(names) + "), found '" + v.key + "'");
    }
    std::string vote;
    if (!r.choice(v, p, {"yes", "no"}, vote)) return false;
    if (vote == "no") tx.vote_no.push_back(id);
  }
  std::sort(tx.vote_no.begin(), tx.vote_no.end());
  return true;
}

bool read_tx(FieldReader& r, const YamlNode& n, const std::string& path, const Scenario& s,
             std::set<std::string, std::less<>>& seen, TxSpec& tx) {
  if (!r.map(n, path, {"id", "at", "transfers", "votes"}, {"id", "transfers"})) return false;
  const YamlNode& id = *n.find("id");
  if (!r.name(id, child_path(path, "id"), "a transaction id", tx.name)) return false;
  if (!seen.insert(tx.name).second) {  // a set: loading stays O(K log K) for K transactions
    return r.fail(id, child_path(path, "id"),
                  "duplicate transaction id '" + tx.name + "'; every transaction needs its own id");
  }
  if (const YamlNode* at = n.find("at")) {
    if (!r.duration(*at, child_path(path, "at"), FieldReader::Sign::non_negative, tx.at)) {
      return false;
    }
  }
  const YamlNode& transfers = *n.find("transfers");
  const std::string tpath = child_path(path, "transfers");
  if (!r.list(transfers, tpath, "transfers {at, account, amount}", 1)) return false;
  for (std::size_t i = 0; i < transfers.children.size(); ++i) {
    TransferSpec& t = tx.transfers.emplace_back();
    if (!read_transfer(r, transfers.children[i], index_path(tpath, i), s, t)) return false;
    tx.participants.push_back(t.at);
  }
  std::sort(tx.participants.begin(), tx.participants.end());
  tx.participants.erase(std::unique(tx.participants.begin(), tx.participants.end()),
                        tx.participants.end());
  const YamlNode* votes = n.find("votes");
  return votes == nullptr || read_votes(r, *votes, child_path(path, "votes"), s, tx);
}

}  // namespace

bool read_workload(FieldReader& r, const YamlNode& n, Scenario& s) {
  if (!r.map(n, "workload", {"transactions"}, {"transactions"})) return false;
  const YamlNode& txs = *n.find("transactions");
  const std::string path = "workload.transactions";
  if (!r.list(txs, path, "transactions {id, at, transfers, votes}", 1)) return false;
  if (txs.children.size() >= kNoTx) {
    return r.fail(txs, path, "too many transactions (at most " + std::to_string(kNoTx) + ")");
  }
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < txs.children.size(); ++i) {
    TxSpec tx;
    if (!read_tx(r, txs.children[i], index_path(path, i), s, seen, tx)) return false;
    s.transactions.push_back(std::move(tx));
  }
  return true;
}

bool read_tx_ref(FieldReader& r, const YamlNode& n, std::string_view path, const Scenario& s,
                 TxId& out) {
  std::string name;
  if (!r.name(n, path, "a transaction id", name)) return false;
  const std::optional<TxId> id = s.tx_by_name(name);
  if (!id) return r.fail(n, path, unknown_tx(name, s));
  out = *id;
  return true;
}

bool read_tx_key(FieldReader& r, const YamlNode& entry, std::string_view path, const Scenario& s,
                 TxId& out) {
  const std::optional<TxId> id = s.tx_by_name(entry.key);
  if (!id) return r.fail_key(entry, path, unknown_tx(entry.key, s));
  out = *id;
  return true;
}

}  // namespace txsim::loader
