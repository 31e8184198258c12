// The blocking check of ProtocolModel<P>: is there a reachable world where a participant is in
// doubt and cannot get out of it unless a fault is undone?
//
// A world is *blocking* when some participant is in doubt (voted yes, has not learned the
// outcome) and no fault-free continuation lets every in-doubt participant learn it. Fault-free
// means only submit, deliver and timer steps (no crash, recovery, drop, duplicate, partition or
// heal, and no crash inside a handler). The continuation is searched breadth-first, at most
// `liveness_depth` steps deep and `liveness_states_max` worlds wide (CheckSpec); what lies
// beyond the bound counts as "not reached", so the bound must exceed the protocol's longest
// fault-free path to a decision (2PC needs about 10 steps per transaction).
//
// The goal is "nobody in doubt" rather than "every participant decided": a participant that
// never received Prepare (the coordinator crashed between two sends) never hears of the
// transaction under presumed abort, and that is not blocking.
//
// Cost. ProtocolModel runs it only on worlds whose fault budget is spent (no further fault can
// be injected), so each search follows the fault-free graph alone. Results are cached by
// fingerprint; a search that exhausts its region without a decision marks every world of the
// region as blocking too (the region is closed under fault-free steps, so none of them can
// reach a decision). The cache is shared by threads, under a mutex.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "sim/check/model.h"
#include "sim/ledger.h"
#include "sim/scenario.h"

namespace txsim::check {

// The first in-doubt participant, as (tx, node), or nullopt.
inline std::optional<std::pair<TxId, NodeId>> first_in_doubt(const Ledger& l) {
  for (std::size_t t = 0; t < l.tx_count(); ++t)
    for (NodeId p : l.participants(TxId(t)))
      if (l.in_doubt(TxId(t), p)) return std::pair{TxId(t), p};
  return std::nullopt;
}

struct BlockingSearch {
  bool resolved = false;    // some continuation lets every in-doubt participant decide
  bool exhaustive = false;  // the fault-free region was explored to its end
  std::uint64_t states = 0;
  std::uint32_t depth = 0;
};

class BlockingCache {
 public:
  std::optional<bool> find(std::uint64_t fp) const {
    std::lock_guard lock(mu_);
    auto it = blocked_.find(fp);
    if (it == blocked_.end()) return std::nullopt;
    return it->second;
  }
  void store(std::uint64_t fp, bool blocked) {
    std::lock_guard lock(mu_);
    blocked_.emplace(fp, blocked);
  }
  void store_all(const std::unordered_set<std::uint64_t>& fps, bool blocked) {
    std::lock_guard lock(mu_);
    for (std::uint64_t fp : fps) blocked_.emplace(fp, blocked);
  }

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::uint64_t, bool> blocked_;  // looked up only, never iterated
};

// Breadth-first over model.fault_free_successors from `start`. `seen` receives the region.
template <class M, class W>
BlockingSearch search_decision(const M& model, const W& start, std::uint32_t depth_max,
                               std::uint64_t states_max,
                               std::unordered_set<std::uint64_t>& seen) {
  BlockingSearch r;
  seen.insert(model.fingerprint(start));
  if (!first_in_doubt(start.ledger)) return BlockingSearch{true, false, 1, 0};
  std::vector<W> frontier;
  frontier.push_back(start);
  bool truncated = false;  // a world was left out for states_max
  while (!frontier.empty() && r.depth < depth_max && !r.resolved) {
    std::vector<W> next;
    ++r.depth;
    for (const W& w : frontier) {
      model.fault_free_successors(w, [&](const Action&, W&& s) {
        if (r.resolved) return;
        const std::uint64_t fp = model.fingerprint(s);
        if (seen.count(fp)) return;
        if (seen.size() >= states_max) {
          truncated = true;
          return;
        }
        seen.insert(fp);
        if (!first_in_doubt(s.ledger)) r.resolved = true;
        next.push_back(std::move(s));
      });
      if (r.resolved) break;
    }
    frontier = std::move(next);
  }
  r.states = seen.size();
  r.exhaustive = !r.resolved && !truncated && frontier.empty();
  return r;
}

// The blocking verdict for `w`, cached: a violation when someone is in doubt in `w` and no
// fault-free continuation within the bounds gets every in-doubt participant out of doubt.
// The detail does not depend on the cache, so reports are the same with any thread count.
template <class M, class W>
std::optional<Violation> blocking_violation(const M& model, const W& w, BlockingCache& cache,
                                            std::uint32_t depth_max, std::uint64_t states_max) {
  const auto doubt = first_in_doubt(w.ledger);
  if (!doubt) return std::nullopt;
  const std::uint64_t fp = model.fingerprint(w);
  std::optional<bool> blocked = cache.find(fp);
  if (!blocked) {
    std::unordered_set<std::uint64_t> seen;
    const BlockingSearch r = search_decision(model, w, depth_max, states_max, seen);
    blocked = !r.resolved;
    if (r.exhaustive) {
      cache.store_all(seen, true);
    } else {
      cache.store(fp, *blocked);
    }
  }
  if (!*blocked) return std::nullopt;
  const Scenario& sc = model.scenario();
  return Violation{"blocking", sc.nodes[doubt->second].name + " is in doubt about " +
                                   sc.transactions[doubt->first].name +
                                   " and no fault-free continuation of at most " +
                                   std::to_string(depth_max) + " steps lets it learn the outcome"};
}

}  // namespace txsim::check
