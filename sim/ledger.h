// Ledger: the history the invariants read, built only from observations (sim/observation.h).
//
// It is protocol-neutral: votes and decisions per (transaction, node), balances and frozen
// amounts per account, locks held per (transaction, node), the business effects each node
// applied per transaction (which ids, whether one repeated, the last one), and whether any
// fault happened.
// It is small and flat because the checker copies, compares and hashes it with every world:
// one vector of 8-byte cells per (transaction, node), one of accounts, one of transactions, so
// a copy makes 3 + (transactions) heap blocks. (One vector per field made it 12 + transactions:
// on 2PC with 4 participants the ledger's copies were a fifth of every world copy's blocks.)
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

  std::size_t tx_count() const { return txs_.size(); }
  std::size_t node_count() const { return nodes_; }
  std::size_t account_count() const { return accounts_.size(); }
  const std::vector<NodeId>& participants(TxId tx) const { return txs_[tx].participants; }

  std::int8_t vote(TxId tx, NodeId n) const { return cell(tx, n).vote; }
  std::int8_t decision(TxId tx, NodeId n) const { return cell(tx, n).decision; }
  // The node later observed a decision that contradicts its first one.
  bool reversed(TxId tx, NodeId n) const { return cell(tx, n).reversed != 0; }
  bool in_doubt(TxId tx, NodeId n) const { return vote(tx, n) == 1 && decision(tx, n) == kNone; }
  std::uint16_t locks(TxId tx, NodeId n) const { return cell(tx, n).locks; }
  std::uint32_t locks_held(NodeId n) const;
  // The effect ids the node applied for tx (bit i: id i), the one it applied last (kNone:
  // none), and the first one it applied twice (kNone: none).
  std::uint8_t effects_seen(TxId tx, NodeId n) const { return cell(tx, n).effects_seen; }
  std::int8_t last_effect(TxId tx, NodeId n) const { return cell(tx, n).last_effect; }
  std::int8_t repeated_effect(TxId tx, NodeId n) const { return cell(tx, n).repeated_effect; }
  std::int64_t balance(AccountId a) const { return accounts_[a].balance; }
  std::int64_t frozen(AccountId a) const { return accounts_[a].frozen; }
  std::int64_t initial_balance(AccountId a) const { return accounts_[a].initial; }
  // Net amount the transaction's transfers move (0 for a balanced transfer).
  std::int64_t net_amount(TxId tx) const { return txs_[tx].net; }
  bool faults_happened() const { return faults_; }

  const std::vector<TxId>& touched_txs() const { return touched_txs_; }
  const std::vector<AccountId>& touched_accounts() const { return touched_accounts_; }

  bool operator==(const Ledger& o) const;

  // The same facts with node and account ids renamed (the checker's symmetry reduction,
  // sim/check/symmetry.h): the cell of (tx, n) moves to (tx, r(n)), account a's to
  // r.account_of(a). Transactions keep their ids; touched lists must be empty (between steps).
  Ledger renamed(const NodeRenaming& r) const;

 private:
  // What one node saw of one transaction.
  struct Cell {
    std::int8_t vote = kNone;
    std::int8_t decision = kNone;
    std::int8_t reversed = 0;
    std::int8_t last_effect = kNone;
    std::int8_t repeated_effect = kNone;
    std::uint8_t effects_seen = 0;  // bit i: effect id i applied
    std::uint16_t locks = 0;
    bool operator==(const Cell&) const = default;
  };
  struct Account {
    std::int64_t balance = 0;
    std::int64_t frozen = 0;
    std::int64_t initial = 0;  // the scenario's; moves with the account under renaming
  };
  struct Tx {  // the scenario's, kept here so that a ledger stands alone
    std::vector<NodeId> participants;
    std::int64_t net = 0;
  };

  Cell& cell(TxId tx, NodeId n) { return cells_[std::size_t(tx) * nodes_ + n]; }
  const Cell& cell(TxId tx, NodeId n) const { return cells_[std::size_t(tx) * nodes_ + n]; }
  void touch_tx(TxId tx);
  void apply_effect(Cell& c, std::int8_t id);
  void touch_account(AccountId a);

  std::size_t nodes_ = 0;
  std::vector<Tx> txs_;
  std::vector<Cell> cells_;  // by tx * nodes_ + node
  std::vector<Account> accounts_;
  bool faults_ = false;
  std::vector<TxId> touched_txs_;
  std::vector<AccountId> touched_accounts_;
};

}  // namespace txsim
