#include "sim/ledger.h"

#include <algorithm>

#include "sim/assert.h"

namespace txsim {

Ledger::Ledger(const Scenario& sc) : nodes_(sc.nodes.size()) {
  const std::size_t txs = sc.transactions.size();
  for (const TxSpec& t : sc.transactions) {
    tx_participants_.push_back(t.participants);
    std::int64_t net = 0;
    for (const TransferSpec& tr : t.transfers) net += tr.amount;
    tx_net_.push_back(net);
  }
  vote_.assign(txs * nodes_, kNone);
  decision_.assign(txs * nodes_, kNone);
  reversed_.assign(txs * nodes_, 0);
  locks_.assign(txs * nodes_, 0);
  effects_seen_.assign(txs * nodes_, 0);
  last_effect_.assign(txs * nodes_, kNone);
  repeated_effect_.assign(txs * nodes_, kNone);
  for (const AccountSpec& a : sc.accounts) initial_.push_back(a.initial);
  balance_ = initial_;
  frozen_.assign(initial_.size(), 0);
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
    case ObsKind::vote:
      TXSIM_ASSERT(has_tx);
      // A repeated identical vote (a resent Vote message) is not a new fact.
      if (vote_[at(obs.tx, node)] == kNone) vote_[at(obs.tx, node)] = obs.value ? 1 : 0;
      touch_tx(obs.tx);
      break;
    case ObsKind::decide: {
      TXSIM_ASSERT(has_tx);
      auto& d = decision_[at(obs.tx, node)];
      const std::int8_t v = obs.value ? 1 : 0;
      if (d == kNone) d = v;
      else if (d != v) reversed_[at(obs.tx, node)] = 1;
      touch_tx(obs.tx);
      break;
    }
    case ObsKind::balance:
      TXSIM_ASSERT(obs.account < balance_.size());
      balance_[obs.account] += obs.value;
      touch_account(obs.account);
      break;
    case ObsKind::freeze:
      TXSIM_ASSERT(obs.account < frozen_.size());
      frozen_[obs.account] += obs.value;
      touch_account(obs.account);
      break;
    case ObsKind::lock:
      TXSIM_ASSERT(has_tx);
      ++locks_[at(obs.tx, node)];
      break;
    case ObsKind::unlock:
      TXSIM_ASSERT(has_tx);
      if (locks_[at(obs.tx, node)] > 0) --locks_[at(obs.tx, node)];
      break;
    case ObsKind::effect:
      TXSIM_ASSERT(has_tx && obs.value >= 0 && obs.value < kEffectIdsMax);
      apply_effect(at(obs.tx, node), std::int8_t(obs.value));
      touch_tx(obs.tx);
      break;
    case ObsKind::phase:
    case ObsKind::forget:
      break;
  }
}

void Ledger::apply_effect(std::size_t cell, std::int8_t id) {
  const auto bit = static_cast<std::uint8_t>(1u << id);
  if ((effects_seen_[cell] & bit) != 0 && repeated_effect_[cell] == kNone)
    repeated_effect_[cell] = id;
  effects_seen_[cell] |= bit;
  last_effect_[cell] = id;
}

void Ledger::on_crash(NodeId node) {
  for (std::size_t tx = 0; tx < tx_count(); ++tx) locks_[at(TxId(tx), node)] = 0;
}

std::uint32_t Ledger::locks_held(NodeId n) const {
  std::uint32_t total = 0;
  for (std::size_t tx = 0; tx < tx_count(); ++tx) total += locks_[at(TxId(tx), n)];
  return total;
}

bool Ledger::operator==(const Ledger& o) const {
  return vote_ == o.vote_ && decision_ == o.decision_ && reversed_ == o.reversed_ &&
         locks_ == o.locks_ && effects_seen_ == o.effects_seen_ &&
         last_effect_ == o.last_effect_ && repeated_effect_ == o.repeated_effect_ &&
         balance_ == o.balance_ && frozen_ == o.frozen_ &&
         faults_ == o.faults_;
}

Ledger Ledger::renamed(const NodeRenaming& r) const {
  TXSIM_ASSERT(touched_txs_.empty() && touched_accounts_.empty());
  Ledger out = *this;
  for (std::size_t tx = 0; tx < tx_count(); ++tx) {
    for (NodeId n = 0; n < nodes_; ++n) {
      const std::size_t from = at(TxId(tx), n), to = at(TxId(tx), r(n));
      out.vote_[to] = vote_[from];
      out.decision_[to] = decision_[from];
      out.reversed_[to] = reversed_[from];
      out.locks_[to] = locks_[from];
      out.effects_seen_[to] = effects_seen_[from];
      out.last_effect_[to] = last_effect_[from];
      out.repeated_effect_[to] = repeated_effect_[from];
    }
  }
  for (AccountId a = 0; a < balance_.size(); ++a) {
    const AccountId b = r.account_of(a);
    out.balance_[b] = balance_[a];
    out.frozen_[b] = frozen_[a];
    out.initial_[b] = initial_[a];
  }
  return out;
}

}  // namespace txsim
