#include "sim/ledger.h"

#include <algorithm>

#include "sim/assert.h"

namespace txsim {

Ledger::Ledger(const Scenario& sc) : nodes_(sc.nodes.size()) {
  for (const TxSpec& t : sc.transactions) {
    std::int64_t net = 0;
    for (const TransferSpec& tr : t.transfers) net += tr.amount;
    txs_.push_back(Tx{t.participants, net});
  }
  cells_.assign(sc.transactions.size() * nodes_, Cell{});
  for (const AccountSpec& a : sc.accounts) accounts_.push_back(Account{a.initial, 0, a.initial});
}

void Ledger::touch_tx(TxId tx) {
  if (std::find(touched_txs_.begin(), touched_txs_.end(), tx) == touched_txs_.end())
    touched_txs_.push_back(tx);
}

void Ledger::touch_account(AccountId a) {
  if (std::find(touched_accounts_.begin(), touched_accounts_.end(), a) == touched_accounts_.end())
    touched_accounts_.push_back(a);
}

void Ledger::clear_touched() {
  touched_txs_.clear();
  touched_accounts_.clear();
}

void Ledger::apply(NodeId node, const Observation& obs) {
  TXSIM_ASSERT(node < nodes_);
  const bool has_tx = obs.tx != kNoTx;
  if (has_tx) TXSIM_ASSERT(obs.tx < tx_count());
  switch (obs.kind) {
    case ObsKind::vote: {
      TXSIM_ASSERT(has_tx);
      // A repeated identical vote (a resent Vote message) is not a new fact.
      Cell& c = cell(obs.tx, node);
      if (c.vote == kNone) c.vote = obs.value ? 1 : 0;
      touch_tx(obs.tx);
      break;
    }
    case ObsKind::decide: {
      TXSIM_ASSERT(has_tx);
      Cell& c = cell(obs.tx, node);
      const std::int8_t v = obs.value ? 1 : 0;
      if (c.decision == kNone) c.decision = v;
      else if (c.decision != v) c.reversed = 1;
      touch_tx(obs.tx);
      break;
    }
    case ObsKind::balance:
      TXSIM_ASSERT(obs.account < accounts_.size());
      accounts_[obs.account].balance += obs.value;
      touch_account(obs.account);
      break;
    case ObsKind::freeze:
      TXSIM_ASSERT(obs.account < accounts_.size());
      accounts_[obs.account].frozen += obs.value;
      touch_account(obs.account);
      break;
    case ObsKind::lock:
      TXSIM_ASSERT(has_tx);
      ++cell(obs.tx, node).locks;
      break;
    case ObsKind::unlock: {
      TXSIM_ASSERT(has_tx);
      Cell& c = cell(obs.tx, node);
      if (c.locks > 0) --c.locks;
      break;
    }
    case ObsKind::effect:
      TXSIM_ASSERT(has_tx && obs.value >= 0 && obs.value < kEffectIdsMax);
      apply_effect(cell(obs.tx, node), std::int8_t(obs.value));
      touch_tx(obs.tx);
      break;
    case ObsKind::phase:
    case ObsKind::forget:
      break;
  }
}

void Ledger::apply_effect(Cell& c, std::int8_t id) {
  const auto bit = static_cast<std::uint8_t>(1u << id);
  if ((c.effects_seen & bit) != 0 && c.repeated_effect == kNone) c.repeated_effect = id;
  c.effects_seen |= bit;
  c.last_effect = id;
}

void Ledger::on_crash(NodeId node) {
  for (std::size_t tx = 0; tx < tx_count(); ++tx) cell(TxId(tx), node).locks = 0;
}

std::uint32_t Ledger::locks_held(NodeId n) const {
  std::uint32_t total = 0;
  for (std::size_t tx = 0; tx < tx_count(); ++tx) total += cell(TxId(tx), n).locks;
  return total;
}

// The facts: cells, balances and frozen amounts, faults (initial balances and the transactions
// are the scenario's).
bool Ledger::operator==(const Ledger& o) const {
  return cells_ == o.cells_ && faults_ == o.faults_ &&
         std::equal(accounts_.begin(), accounts_.end(), o.accounts_.begin(), o.accounts_.end(),
                    [](const Account& a, const Account& b) {
                      return a.balance == b.balance && a.frozen == b.frozen;
                    });
}

Ledger Ledger::renamed(const NodeRenaming& r) const {
  TXSIM_ASSERT(touched_txs_.empty() && touched_accounts_.empty());
  Ledger out = *this;
  for (std::size_t tx = 0; tx < tx_count(); ++tx) {
    for (NodeId n = 0; n < nodes_; ++n) out.cell(TxId(tx), r(n)) = cell(TxId(tx), n);
  }
  for (AccountId a = 0; a < accounts_.size(); ++a) out.accounts_[r.account_of(a)] = accounts_[a];
  return out;
}

}  // namespace txsim
