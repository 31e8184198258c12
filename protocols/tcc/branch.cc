// TCC, the branches: Try (check and reserve), Confirm (spend the reservation), Cancel (release
// it), each guarded by the sub-transaction barrier, whose three checks the options switch on
// and off one by one so a student can see what each prevents.
//
// Sources: DTM, "Exceptions and sub-transaction barrier" (dtm.pub): the barrier row is written
// in the same local transaction as the business change; a Cancel that finds no Try is a null
// compensation and must succeed doing nothing; a Try that finds its Cancel is "hanging" and must
// not reserve; a repeated request must not run twice. Seata's TCC fence (seata.apache.org) names
// the same three: empty rollback, suspension, idempotency.
//
// Wallet business code (what runs when the barrier lets a request through), per account delta:
//   debit  (amount < 0): Try checks balance - frozen >= |amount| and freezes it; Confirm takes
//                        it from balance and frozen; Cancel unfreezes it.
//   credit (amount > 0): Try records it as pending; Confirm moves it into balance; Cancel drops.
//   none   (amount = 0): nothing to reserve: the third-party form (Try checks, Confirm "sends").
// With a check switched off the business code runs blindly, like an UPDATE without a guard.
//
// Invariants: every change to a wallet and its barrier row is persisted in one step and observed
// right after that persist; a branch keeps no volatile state and no timers.
#include <cstdlib>

#include "protocols/tcc/tcc.h"
#include "sim/assert.h"
#include "sim/ledger.h"

namespace txsim::tcc {
namespace {

std::int32_t obs_amount(std::int64_t amount) {
  return static_cast<std::int32_t>(amount);  // check_scenario keeps amounts within 32 bits
}

}  // namespace

void Tcc::handle(State& s, Fx& fx, NodeId, const Try& m) const {
  const Barrier* row = find_key(s.durable.barriers, m.tx);
  if (opts_.idempotency && row != nullptr && row->tried) {
    return fx.send(tm_, TryReply{m.tx, Reply::ok});  // a repeated Try: already reserved
  }
  if (opts_.anti_hanging && row != nullptr && row->cancelled) {
    refuse_try(fx, m.tx, Phase::refused);  // its Cancel came first: reserving would hang
    return;
  }
  if (!can_try(s, fx, m.tx)) return refuse_try(fx, m.tx, Phase::failed);
  reserve(s, fx, m.tx);
  fx.send(tm_, TryReply{m.tx, Reply::ok});
}

// A business failure changes nothing (its local transaction rolls back, barrier row included).
void Tcc::refuse_try(Fx& fx, TxId tx, Phase phase) const {
  fx.observe(ObsKind::vote, tx, 0);
  observe_phase(fx, tx, phase);
  fx.send(tm_, TryReply{tx, Reply::failure});
}

bool Tcc::can_try(const State& s, Fx& fx, TxId tx) const {
  const TxConfig& c = tx_config(tx);
  if (std::binary_search(c.vote_no.begin(), c.vote_no.end(), s.node)) return false;
  for (const Delta& d : deltas_of(tx, s.node)) {
    const Wallet* w = find_key(s.durable.wallets, d.account);
    TXSIM_ASSERT(w != nullptr);
    if (d.amount < 0 && w->balance - w->frozen + d.amount < 0) return false;
  }
  return !(opts_.random_try_failure && fx.choose(2) == 0);
}

void Tcc::reserve(State& s, Fx& fx, TxId tx) const {
  const std::vector<Delta>& deltas = deltas_of(tx, s.node);
  for (const Delta& d : deltas) {
    Wallet& w = wallet(s, d.account);
    if (d.amount < 0) w.frozen -= d.amount;
    if (d.amount > 0) w.pending += d.amount;
  }
  find_or_insert(s.durable.barriers, Barrier{tx}).tried = true;
  fx.persist(s.durable);
  for (const Delta& d : deltas) {
    if (d.amount != 0) fx.observe(ObsKind::freeze, tx, obs_amount(std::abs(d.amount)), d.account);
  }
  fx.observe(ObsKind::effect, tx, Ledger::kEffectReserve);
  fx.observe(ObsKind::vote, tx, 1);
  observe_phase(fx, tx, Phase::tried);
}

// A choice of the simulator's stream (or every branch of the checker): busy or broken first.
std::optional<Reply> Tcc::transient_reply(Fx& fx) const {
  if (!opts_.transient_errors) return std::nullopt;
  switch (fx.choose(3)) {
    case 1: return Reply::in_progress;
    case 2: return Reply::error;
    default: return std::nullopt;
  }
}

void Tcc::handle(State& s, Fx& fx, NodeId, const Confirm& m) const {
  const Barrier* row = find_key(s.durable.barriers, m.tx);
  if (opts_.idempotency && row != nullptr && row->confirmed) {
    return fx.send(tm_, ConfirmReply{m.tx, Reply::ok});  // a repeated Confirm: done already
  }
  if (row == nullptr || !row->tried) {
    // Nothing reserved to confirm: the TM confirmed without a successful Try (a bug upstream).
    return fx.send(tm_, ConfirmReply{m.tx, Reply::failure});
  }
  if (auto busy = transient_reply(fx)) return fx.send(tm_, ConfirmReply{m.tx, *busy});
  apply_confirm(s, fx, m.tx);
  fx.send(tm_, ConfirmReply{m.tx, Reply::ok});
}

void Tcc::apply_confirm(State& s, Fx& fx, TxId tx) const {
  const std::vector<Delta>& deltas = deltas_of(tx, s.node);
  for (const Delta& d : deltas) {
    Wallet& w = wallet(s, d.account);
    w.balance += d.amount;
    if (d.amount < 0) w.frozen += d.amount;
    if (d.amount > 0) w.pending -= d.amount;
  }
  find_or_insert(s.durable.barriers, Barrier{tx}).confirmed = true;
  fx.persist(s.durable);
  for (const Delta& d : deltas) {
    if (d.amount == 0) continue;
    fx.observe(ObsKind::balance, tx, obs_amount(d.amount), d.account);
    fx.observe(ObsKind::freeze, tx, -obs_amount(std::abs(d.amount)), d.account);
  }
  fx.observe(ObsKind::effect, tx, Ledger::kEffectApply);
  fx.observe(ObsKind::decide, tx, 1);
  observe_phase(fx, tx, Phase::confirmed);
}

void Tcc::handle(State& s, Fx& fx, NodeId, const Cancel& m) const {
  const Barrier* row = find_key(s.durable.barriers, m.tx);
  if (opts_.idempotency && row != nullptr && row->cancelled) {
    return fx.send(tm_, CancelReply{m.tx, Reply::ok});  // a repeated Cancel: done already
  }
  if (auto busy = transient_reply(fx)) return fx.send(tm_, CancelReply{m.tx, *busy});
  const bool tried = row != nullptr && row->tried;
  if (!tried && opts_.null_compensation) {
    null_cancel(s, fx, m.tx);
  } else {
    apply_cancel(s, fx, m.tx);
  }
  fx.send(tm_, CancelReply{m.tx, Reply::ok});
}

// The Cancel overtook its Try (or the Try failed, or was lost): nothing to release. The row it
// writes is what lets anti-hanging refuse the Try if it still arrives.
void Tcc::null_cancel(State& s, Fx& fx, TxId tx) const {
  Barrier& row = find_or_insert(s.durable.barriers, Barrier{tx});
  row.cancelled = true;
  row.null_cancelled = true;
  fx.persist(s.durable);
  fx.observe(ObsKind::decide, tx, 0);
  observe_phase(fx, tx, Phase::null_cancelled);
}

void Tcc::apply_cancel(State& s, Fx& fx, TxId tx) const {
  const std::vector<Delta>& deltas = deltas_of(tx, s.node);
  for (const Delta& d : deltas) {
    Wallet& w = wallet(s, d.account);
    if (d.amount < 0) w.frozen += d.amount;
    if (d.amount > 0) w.pending -= d.amount;
  }
  find_or_insert(s.durable.barriers, Barrier{tx}).cancelled = true;
  fx.persist(s.durable);
  for (const Delta& d : deltas) {
    if (d.amount != 0) fx.observe(ObsKind::freeze, tx, -obs_amount(std::abs(d.amount)), d.account);
  }
  fx.observe(ObsKind::effect, tx, Ledger::kEffectRelease);
  fx.observe(ObsKind::decide, tx, 0);
  observe_phase(fx, tx, Phase::cancelled);
}

Wallet& Tcc::wallet(State& s, AccountId a) const {
  Wallet* w = find_key(s.durable.wallets, a);
  TXSIM_ASSERT_MSG(w != nullptr, "tcc: a branch touched an account it does not own");
  return *w;
}

}  // namespace txsim::tcc
