// Ledger: the history the invariants read, built only from observations (sim/observation.h).
//
// It is protocol-neutral: votes and decisions per (transaction, node), balances and frozen
// amounts per account, locks held per (transaction, node), the business effects each node
// applied per transaction (which ids, whether one repeated, the last one), and whether any
// fault happened.
// It is small and flat (vectors indexed by dense ids) because the checker will copy, compare
// and hash it with every world.
//
// Invariants kept: balances start at the scenario's initial values; a node's first decision
// on a transaction is remembered even if a later observation contradicts it (that is AC2's
// evidence); effect ids are below kEffectIdsMax. `touched()` lists what the last batch of
// observations changed, so always-kind invariants check only that.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/node_renaming.h"
#include "sim/observation.h"
#include "sim/scenario.h"
#include "sim/types.h"

namespace txsim {

class Ledger {
 public:
  static constexpr std::int8_t kNone = -1;
  // Effect ids (ObsKind::effect values) the invariants give a meaning to. A protocol may use
  // other ids below kEffectIdsMax; those only count for at-most-once.
  static constexpr std::int32_t kEffectReserve = 0;  // tentative: TCC Try
  static constexpr std::int32_t kEffectApply = 1;    // final: TCC Confirm, a saga's step
  static constexpr std::int32_t kEffectRelease = 2;  // undo: TCC Cancel, a compensation
  static constexpr std::int32_t kEffectIdsMax = 8;

  explicit Ledger(const Scenario& scenario);

  void apply(NodeId node, const Observation& obs);
  // A crash loses the node's volatile locks; votes, decisions and money are durable facts.
  void on_crash(NodeId node);
  void note_fault() { faults_ = true; }
  // Forget what was touched: the engine calls it after checking the always-invariants.
  void clear_touched();

  std::size_t tx_count() const { return tx_participants_.size(); }
  std::size_t node_count() const { return nodes_; }
  std::size_t account_count() const { return balance_.size(); }
  const std::vector<NodeId>& participants(TxId tx) const { return tx_participants_[tx]; }

  std::int8_t vote(TxId tx, NodeId n) const { return vote_[at(tx, n)]; }
  std::int8_t decision(TxId tx, NodeId n) const { return decision_[at(tx, n)]; }
  // The node later observed a decision that contradicts its first one.
  bool reversed(TxId tx, NodeId n) const { return reversed_[at(tx, n)] != 0; }
  bool in_doubt(TxId tx, NodeId n) const { return vote(tx, n) == 1 && decision(tx, n) == kNone; }
  std::uint16_t locks(TxId tx, NodeId n) const { return locks_[at(tx, n)]; }
  std::uint32_t locks_held(NodeId n) const;
  // The effect ids the node applied for tx (bit i: id i), the one it applied last (kNone:
  // none), and the first one it applied twice (kNone: none).
  std::uint8_t effects_seen(TxId tx, NodeId n) const { return effects_seen_[at(tx, n)]; }
  std::int8_t last_effect(TxId tx, NodeId n) const { return last_effect_[at(tx, n)]; }
  std::int8_t repeated_effect(TxId tx, NodeId n) const { return repeated_effect_[at(tx, n)]; }
  std::int64_t balance(AccountId a) const { return balance_[a]; }
  std::int64_t frozen(AccountId a) const { return frozen_[a]; }
  std::int64_t initial_balance(AccountId a) const { return initial_[a]; }
  // Net amount the transaction's transfers move (0 for a balanced transfer).
  std::int64_t net_amount(TxId tx) const { return tx_net_[tx]; }
  bool faults_happened() const { return faults_; }

  const std::vector<TxId>& touched_txs() const { return touched_txs_; }
  const std::vector<AccountId>& touched_accounts() const { return touched_accounts_; }

  bool operator==(const Ledger& o) const;

  // The same facts with node and account ids renamed (the checker's symmetry reduction,
  // sim/check/symmetry.h): the cell of (tx, n) moves to (tx, r(n)), account a's to
  // r.account_of(a). Transactions keep their ids; touched lists must be empty (between steps).
  Ledger renamed(const NodeRenaming& r) const;

 private:
  std::size_t at(TxId tx, NodeId n) const { return std::size_t(tx) * nodes_ + n; }
  void touch_tx(TxId tx);
  void apply_effect(std::size_t cell, std::int8_t id);
  void touch_account(AccountId a);

  std::size_t nodes_ = 0;
  std::vector<std::vector<NodeId>> tx_participants_;
  std::vector<std::int64_t> tx_net_;
  std::vector<std::int8_t> vote_, decision_, reversed_;
  std::vector<std::uint16_t> locks_;
  std::vector<std::uint8_t> effects_seen_;  // bit i: effect id i applied
  std::vector<std::int8_t> last_effect_, repeated_effect_;
  std::vector<std::int64_t> balance_, frozen_, initial_;
  bool faults_ = false;
  std::vector<TxId> touched_txs_;
  std::vector<AccountId> touched_accounts_;
};

}  // namespace txsim
