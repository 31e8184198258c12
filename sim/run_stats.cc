#include "sim/run_stats.h"

namespace txsim {

RunStats::RunStats(const Scenario& sc, const Ledger& ledger)
    : sc_(sc), ledger_(ledger), nodes_(sc.nodes.size()), txs_(sc.transactions.size()),
      doubt_(sc.transactions.size() * sc.nodes.size()) {}

void RunStats::sent(TxId tx, std::string_view type) {
  if (tx != kNoTx) ++txs_[tx].messages;
  for (auto& [name, n] : by_type_) {
    if (name == type) {
      ++n;
      return;
    }
  }
  by_type_.emplace_back(std::string(type), 1);
}

void RunStats::update(Micros now, TxId tx, NodeId n, std::uint32_t hops) {
  if (tx == kNoTx) return;
  Doubt& d = at(tx, n);
  const bool doubt = ledger_.in_doubt(tx, n);
  const bool locked = doubt && ledger_.locks(tx, n) > 0;
  if (doubt && d.doubt_since < 0) d.doubt_since = now;
  if (!doubt && d.doubt_since >= 0) {
    d.in_doubt += now - d.doubt_since;
    d.doubt_since = -1;
  }
  if (locked && d.locked_since < 0) d.locked_since = now;
  if (!locked && d.locked_since >= 0) {
    d.locked += now - d.locked_since;
    d.locked_since = -1;
  }
  TxResult& r = txs_[tx];
  if (ledger_.decision(tx, n) != Ledger::kNone && r.decided < 0) {
    r.decided = now;
    r.decided_hops = hops;
  }
  bool all = true;
  for (NodeId p : ledger_.participants(tx)) all &= ledger_.decision(tx, p) != Ledger::kNone;
  if (all && r.completed < 0) {
    r.completed = now;
    r.completed_hops = hops;
  }
}

void RunStats::crashed(Micros now, NodeId n) {
  for (TxId t = 0; t < txs_.size(); ++t) update(now, t, n);
}

void RunStats::counted(TraceKind kind) {
  switch (kind) {
    case TraceKind::deliver: ++delivered_; break;
    case TraceKind::drop: ++dropped_; break;
    case TraceKind::duplicate: ++duplicated_; break;
    case TraceKind::timer: ++timers_; break;
    case TraceKind::crash: ++crashes_; break;
    case TraceKind::partition: ++partitions_; break;
    default: break;
  }
}

void RunStats::finish(Micros end, RunResult& out) {
  out.delivered = delivered_;
  out.dropped = dropped_;
  out.duplicated = duplicated_;
  out.timers = timers_;
  out.crashes = crashes_;
  out.partitions = partitions_;
  for (TxId t = 0; t < txs_.size(); ++t) {
    bool commit = false, abort = false, all = true, doubt = false, anyone_aborted = false;
    for (NodeId p : ledger_.participants(t)) {
      const auto d = ledger_.decision(t, p);
      commit |= d == 1;
      abort |= d == 0;
      all &= d != Ledger::kNone;
      doubt |= ledger_.in_doubt(t, p);
    }
    for (NodeId n = 0; n < nodes_; ++n) anyone_aborted |= ledger_.decision(t, n) == 0;
    TxResult r = txs_[t];
    // A participant that never heard of an aborted transaction (its Prepare was lost) has
    // nothing to undo: the transaction counts as aborted as long as nobody is left in doubt.
    r.outcome = commit && abort                        ? Outcome::mixed
                : all                                  ? (commit ? Outcome::commit : Outcome::abort)
                : !commit && !doubt && anyone_aborted  ? Outcome::abort
                                                       : Outcome::undecided;
    out.txs.push_back(r);
    for (NodeId n = 0; n < nodes_; ++n) {
      Doubt d = at(t, n);
      DoubtResult dr{n, t, d.in_doubt, d.locked, d.doubt_since >= 0};
      if (d.doubt_since >= 0) dr.in_doubt += end - d.doubt_since;
      if (d.locked_since >= 0) dr.locked += end - d.locked_since;
      if (dr.in_doubt > 0 || dr.unresolved) out.doubt.push_back(dr);
    }
  }
  for (const auto& [type, n] : by_type_) out.sent_by_type[type] = n;
}

}  // namespace txsim
