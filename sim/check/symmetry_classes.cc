// The interchangeable nodes of a scenario: see symmetry_classes.h for the rules and why.
#include "sim/check/symmetry_classes.h"

#include <algorithm>
#include <optional>
#include <tuple>

namespace txsim::check {
namespace {

std::vector<std::vector<AccountId>> accounts_by_node(const Scenario& sc) {
  std::vector<std::vector<AccountId>> out(sc.nodes.size());
  for (AccountId a = 0; a < sc.accounts.size(); ++a)
    if (sc.accounts[a].owner < out.size()) out[sc.accounts[a].owner].push_back(a);
  return out;
}

// The swap of a and b, their k-th accounts with each other; empty when their accounts differ.
std::optional<NodeRenaming> swap_of(const Scenario& sc,
                                    const std::vector<std::vector<AccountId>>& owned, NodeId a,
                                    NodeId b) {
  NodeRenaming r;
  for (NodeId n = 0; n < sc.nodes.size(); ++n) r.node.push_back(n);
  for (AccountId x = 0; x < sc.accounts.size(); ++x) r.account.push_back(x);
  std::swap(r.node[a], r.node[b]);
  if (owned[a].size() != owned[b].size()) return std::nullopt;
  for (std::size_t k = 0; k < owned[a].size(); ++k) {
    const AccountSpec& x = sc.accounts[owned[a][k]];
    const AccountSpec& y = sc.accounts[owned[b][k]];
    if (x.initial != y.initial || x.stock != y.stock) return std::nullopt;
    r.account[owned[a][k]] = owned[b][k];
    r.account[owned[b][k]] = owned[a][k];
  }
  return r;
}

bool workload_invariant(const Scenario& sc, const NodeRenaming& r) {
  using Transfer = std::tuple<NodeId, AccountId, std::int64_t>;
  for (const TxSpec& t : sc.transactions) {
    if (r.nodes(t.participants) != t.participants || r.nodes(t.vote_no) != t.vote_no)
      return false;
    std::vector<Transfer> before, after;
    for (const TransferSpec& x : t.transfers) {
      before.emplace_back(x.at, x.account, x.amount);
      after.emplace_back(r(x.at), r.account_of(x.account), x.amount);
    }
    std::sort(before.begin(), before.end());
    std::sort(after.begin(), after.end());
    if (before != after) return false;
  }
  return true;
}

bool named_by_faults(const Scenario& sc, NodeId n) {
  auto in = [n](const std::vector<NodeId>& v) { return std::find(v.begin(), v.end(), n) != v.end(); };
  for (const FaultSpec& f : sc.faults) {
    const TriggerSpec& w = f.when;
    if (w.from == n || w.to == n || w.node == n || f.action.node == n) return true;
    if (in(f.action.cut_from) || in(f.action.cut_to)) return true;
    for (const auto& g : f.action.groups)
      if (in(g)) return true;
  }
  return false;
}

using Partition = std::vector<std::vector<NodeId>>;

Partition normalised(const Partition& p, const NodeRenaming& r) {
  Partition out;
  for (const auto& g : p) out.push_back(r.nodes(g));
  std::sort(out.begin(), out.end());
  return out;
}

bool partitions_invariant(const Scenario& sc, const NodeRenaming& r) {
  NodeRenaming id;
  for (NodeId n = 0; n < sc.nodes.size(); ++n) id.node.push_back(n);
  std::vector<Partition> before, after;
  for (const Partition& p : sc.check.partition_choices) {
    before.push_back(normalised(p, id));
    after.push_back(normalised(p, r));
  }
  std::sort(before.begin(), before.end());
  std::sort(after.begin(), after.end());
  return before == after;
}

}  // namespace

SymmetryClasses symmetry_classes(const Scenario& sc,
                                 const std::function<bool(NodeId, NodeId)>& extra) {
  SymmetryClasses out;
  out.accounts = accounts_by_node(sc);
  const std::size_t n = sc.nodes.size();
  std::vector<bool> placed(n, false);
  for (NodeId a = 0; a < n; ++a) {
    if (placed[a] || named_by_faults(sc, a)) continue;
    std::vector<NodeId> cls{a};
    for (NodeId b = a + 1; b < n; ++b) {
      if (placed[b] || sc.nodes[b].role != sc.nodes[a].role || named_by_faults(sc, b)) continue;
      const auto swap = swap_of(sc, out.accounts, a, b);
      if (!swap || !workload_invariant(sc, *swap) || !partitions_invariant(sc, *swap)) continue;
      if (extra && !extra(a, b)) continue;
      cls.push_back(b);
      placed[b] = true;
    }
    for (std::size_t i = 0; i + 1 < cls.size(); i += SymmetryClasses::kClassMax) {
      const std::size_t end = std::min(cls.size(), i + SymmetryClasses::kClassMax);
      if (end - i >= 2) out.classes.emplace_back(cls.begin() + long(i), cls.begin() + long(end));
    }
  }
  return out;
}

std::vector<NodeRenaming> SymmetryClasses::renamings(std::size_t nodes,
                                                     std::size_t account_count) const {
  // Odometer over the classes' permutations, each in next_permutation order from sorted.
  std::vector<std::vector<NodeId>> images = classes;
  std::vector<NodeRenaming> out;
  for (;;) {
    NodeRenaming r;
    for (NodeId x = 0; x < nodes; ++x) r.node.push_back(x);
    for (AccountId x = 0; x < account_count; ++x) r.account.push_back(x);
    for (std::size_t c = 0; c < classes.size(); ++c) {
      for (std::size_t i = 0; i < classes[c].size(); ++i) {
        const NodeId from = classes[c][i], to = images[c][i];
        r.node[from] = to;
        for (std::size_t k = 0; k < accounts[from].size(); ++k)
          r.account[accounts[from][k]] = accounts[to][k];
      }
    }
    out.push_back(std::move(r));
    std::size_t c = 0;
    while (c < images.size() && !std::next_permutation(images[c].begin(), images[c].end())) ++c;
    if (c == images.size()) return out;  // every class wrapped around to sorted
  }
}

std::string SymmetryClasses::describe(const Scenario& sc) const {
  if (classes.empty()) return "none";
  std::string out;
  for (const auto& cls : classes) {
    out += out.empty() ? "{" : " {";
    for (std::size_t i = 0; i < cls.size(); ++i)
      out += (i ? ", " : "") + sc.nodes[cls[i]].name;
    out += "}";
  }
  return out;
}

}  // namespace txsim::check
