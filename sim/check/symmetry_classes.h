// Which nodes of a scenario are interchangeable, for the checker's symmetry reduction
// (`check.symmetry`, sim/check/symmetry.h, docs/checker.md "Symmetry reduction").
//
// Computed from the scenario, never declared: nodes a and b are interchangeable when swapping
// them (and the k-th account of a with the k-th account of b, in id order) maps the scenario
// onto itself, as far as the checker can see it:
// - same role, as many accounts, pairwise the same initial balance and kind;
// - every transaction's transfers (node, account, amount), participants and scripted no votes
//   are the same set after the swap;
// - no fault script names either node (a scripted fault singles a node out), and the check
//   budget's allowed partitions are the same set after the swap (the budget's "any node"
//   crashes, drops and duplicates, and "every two-way split", are symmetric);
// - `extra(a, b)`, the caller's own test (ProtocolModel: the protocol sends every request to
//   the same node after the swap).
// Link overrides are ignored: the checker is untimed and draws no losses (docs/checker.md).
// Swaps that pass generate the full symmetric group of each class (a swap test is an
// equivalence: (a c) = (a b)(b c)(a b)), and "k-th account to k-th account" composes, so every
// permutation within classes is an automorphism of the scenario.
//
// Classes of one node are dropped. A class of more than kClassMax nodes is cut into chunks
// of at most kClassMax: permutations within each chunk are still automorphisms (sound), but
// worlds that differ by a renaming across chunks are then counted apart (no longer exact).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "sim/node_renaming.h"
#include "sim/scenario.h"

namespace txsim::check {

struct SymmetryClasses {
  static constexpr std::size_t kClassMax = 6;  // 720 renamings of one class
  std::vector<std::vector<NodeId>> classes;      // each ascending, size 2..kClassMax
  std::vector<std::vector<AccountId>> accounts;  // by node: the accounts it owns, ascending

  bool empty() const { return classes.empty(); }
  // Every renaming that permutes nodes within their classes (the identity first): the product
  // of the classes' factorials.
  std::vector<NodeRenaming> renamings(std::size_t nodes, std::size_t account_count) const;
  // "{P1, P2, P3}" per class, with the scenario's names; "none" without classes.
  std::string describe(const Scenario& sc) const;
};

SymmetryClasses symmetry_classes(
    const Scenario& sc, const std::function<bool(NodeId, NodeId)>& extra = nullptr);

}  // namespace txsim::check
