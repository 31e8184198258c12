// RunStats: what the simulator measures while it runs, from observations and messages:
// per-transaction outcome and decision latency, per-participant time in doubt and time holding
// locks while in doubt (the cost of blocking), and message counts.
#pragma once

#include <vector>

#include "sim/ledger.h"
#include "sim/run_result.h"
#include "sim/trace.h"

namespace txsim {

class RunStats {
 public:
  RunStats(const Scenario& sc, const Ledger& ledger);

  void submitted(TxId tx, Micros now) { txs_[tx].submitted = now; }
  void sent(TxId tx, std::string_view type);
  // Call after the ledger applied an observation (or a crash) that concerns (tx, node);
  // `hops` is the causal message depth of the handler that made it (sim/simulator.h).
  void update(Micros now, TxId tx, NodeId node, std::uint32_t hops = 0);
  void crashed(Micros now, NodeId node);
  // Every trace event passes here: deliveries, losses, duplicates, timers, crashes, partitions.
  void counted(TraceKind kind);
  void finish(Micros end, RunResult& out);

 private:
  struct Doubt {
    Micros doubt_since = -1, locked_since = -1;
    Micros in_doubt = 0, locked = 0;
  };
  Doubt& at(TxId tx, NodeId n) { return doubt_[std::size_t(tx) * nodes_ + n]; }

  const Scenario& sc_;
  const Ledger& ledger_;
  std::size_t nodes_;
  std::vector<TxResult> txs_;
  std::vector<Doubt> doubt_;
  // A protocol has a handful of message types: a linear scan beats a map on every send.
  std::vector<std::pair<std::string, std::uint64_t>> by_type_;
  std::uint64_t delivered_ = 0, dropped_ = 0, duplicated_ = 0, timers_ = 0, crashes_ = 0,
                partitions_ = 0;
};

}  // namespace txsim
