#include "sim/scenario.h"

namespace txsim {

std::string_view to_string(Role role) {
  switch (role) {
    case Role::coordinator:
      return "coordinator";
    case Role::participant:
      return "participant";
    case Role::acceptor:
      return "acceptor";
    case Role::service:
      return "service";
    case Role::orchestrator:
      return "orchestrator";
  }
  return "?";
}

Expectation Expectation::for_protocol(std::string_view protocol) const {
  Expectation e = *this;
  e.by_protocol.clear();
  for (const auto& [name, o] : by_protocol) {
    if (name != protocol) continue;
    if (o.outcome) {
      e.outcome = o.outcome;
      e.outcomes.clear();  // a per-protocol outcome replaces the general per-tx ones
    }
    for (const auto& [tx, out] : o.outcomes) e.outcomes[tx] = out;
    if (o.violation) e.violation = o.violation;
    if (o.blocked) e.blocked = o.blocked;
    if (o.check) e.check = o.check;
  }
  return e;
}

std::string_view to_string(Outcome outcome) {
  switch (outcome) {
    case Outcome::commit:
      return "commit";
    case Outcome::abort:
      return "abort";
    case Outcome::undecided:
      return "undecided";
    case Outcome::mixed:
      return "mixed";
  }
  return "?";
}

std::optional<NodeId> Scenario::node_by_name(std::string_view node_name) const {
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].name == node_name) return static_cast<NodeId>(i);
  }
  return std::nullopt;
}

std::vector<NodeId> Scenario::nodes_with_role(Role role) const {
  std::vector<NodeId> ids;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].role == role) ids.push_back(static_cast<NodeId>(i));
  }
  return ids;
}

std::string Scenario::account_label(AccountId a) const {
  if (a >= accounts.size()) return "?";
  const AccountSpec& acc = accounts[a];
  const std::string owner = acc.owner < nodes.size() ? nodes[acc.owner].name : "?";
  return owner + "." + acc.name;
}

std::optional<TxId> Scenario::tx_by_name(std::string_view tx_name) const {
  for (std::size_t i = 0; i < transactions.size(); ++i) {
    if (transactions[i].name == tx_name) return static_cast<TxId>(i);
  }
  return std::nullopt;
}

}  // namespace txsim
