// NodeRenaming: a permutation of a scenario's node ids, with the permutation of account ids it
// induces (an account moves with its owner), for the model checker's symmetry reduction
// (sim/check/symmetry.h, docs/checker.md "Symmetry reduction").
//
// Why it exists: two participants that play the same part in a scenario (same role, same
// accounts and transfers up to renaming, no fault script naming them) are interchangeable, so
// a world and the world with their ids swapped behave alike. The checker visits one world per
// such orbit; to compute its representative it must rewrite every node and account id a world
// holds, including those inside a protocol's node states and messages, which only the protocol
// knows how to find (the optional `renamed` hooks of sim/protocol.h).
//
// Invariants: `node` and `account` are permutations (bijections onto 0..n-1); node[n] is the
// new id of node n, account[a] the new id of account a, and account[a] is owned by
// node[owner(a)].
#pragma once

#include <algorithm>
#include <vector>

#include "sim/types.h"

namespace txsim {

struct NodeRenaming {
  std::vector<NodeId> node;        // node[old] = new
  std::vector<AccountId> account;  // account[old] = new

  NodeId operator()(NodeId n) const { return n < node.size() ? node[n] : n; }
  AccountId account_of(AccountId a) const { return a < account.size() ? account[a] : a; }
  bool identity() const {
    for (std::size_t i = 0; i < node.size(); ++i)
      if (node[i] != i) return false;
    for (std::size_t i = 0; i < account.size(); ++i)
      if (account[i] != i) return false;
    return true;
  }
  // Renames the account of every element (`x.account`) of a list kept sorted by account
  // (balances, wallets, locks) and sorts it again, so the list stays in canonical form.
  template <class Keyed>
  void rename_accounts(std::vector<Keyed>& list) const {
    for (Keyed& x : list) x.account = account_of(x.account);
    std::sort(list.begin(), list.end(),
              [](const Keyed& a, const Keyed& b) { return a.account < b.account; });
  }
  // A sorted id list, renamed and sorted again (sets of nodes kept ascending, e.g. votes).
  std::vector<NodeId> nodes(const std::vector<NodeId>& ids) const {
    std::vector<NodeId> out;
    out.reserve(ids.size());
    for (NodeId n : ids) out.push_back((*this)(n));
    std::sort(out.begin(), out.end());
    return out;
  }
};

}  // namespace txsim
