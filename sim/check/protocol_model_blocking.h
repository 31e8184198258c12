// The blocking check of ProtocolModel<P>: is there a reachable world where a participant is in
// doubt and cannot get out of it unless a fault is undone?
//
// A world is *blocking* when some participant that is up is in doubt (voted yes, has not
// learned the outcome) and no fault-free continuation lets every such participant learn it.
// Fault-free means only submit, deliver and timer steps: no crash, recovery, drop, duplicate,
// partition or heal, and no crash inside a handler. A participant that is down is not
// counted: it can learn nothing before it recovers, and recovering is not fault-free.
//
// The goal is "nobody up in doubt" rather than "every participant decided": a participant that
// never received Prepare (the coordinator crashed between two sends) never hears of the
// transaction under presumed abort, and that is not blocking.
//
// The bound. The continuation is searched depth-first, at most `liveness_depth` steps deep
// and over at most `liveness_states_max` worlds (CheckSpec); what lies beyond counts as "not
// reached", so liveness_depth must exceed the protocol's longest fault-free path to a decision
// (2PC needs about 10 steps per transaction; the default is 40). A world reached again at a
// smaller depth is searched again, so the search is exact within the bound.
//
// Cost. ProtocolModel runs it only on worlds whose fault budget is spent, so each search
// follows the fault-free graph alone. Results are cached by fingerprint, shared by threads
// under a mutex: every world on a path that reached a decision is marked "resolves", and a
// search that covered its whole region without meeting the bound marks every world of the
// region "blocked" (the region is closed under fault-free steps, so none of them can reach a
// decision). Both marks are exact whenever the bound was not met; a search may stop early at
// a world marked "resolves", so near the bound a verdict may depend on what other searches
// cached before: the cache can only turn a bound-limited "blocking" into "resolves", never
// invent a blocking world.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/check/model.h"
#include "sim/ledger.h"
#include "sim/scenario.h"

namespace txsim::check {

// The first participant that is up and in doubt, as (tx, node), or nullopt.
template <class W>
std::optional<std::pair<TxId, NodeId>> first_in_doubt(const W& w) {
  const Ledger& l = w.ledger;
  for (std::size_t t = 0; t < l.tx_count(); ++t)
    for (NodeId p : l.participants(TxId(t)))
      if (w.up[p] && l.in_doubt(TxId(t), p)) return std::pair{TxId(t), p};
  return std::nullopt;
}

class BlockingCache {
 public:
  std::optional<bool> blocked(std::uint64_t fp) const {
    std::lock_guard lock(mu_);
    auto it = blocked_.find(fp);
    if (it == blocked_.end()) return std::nullopt;
    return it->second;
  }
  template <class Range>
  void store(const Range& fps, bool blocked) {
    std::lock_guard lock(mu_);
    for (std::uint64_t fp : fps) blocked_.emplace(fp, blocked);
  }

 private:
  mutable std::mutex mu_;
  std::unordered_map<std::uint64_t, bool> blocked_;  // looked up only, never iterated
};

// Depth-first over model.fault_free_successors from `start` (in doubt); true when some path
// gets everybody up out of doubt. Updates the cache as the header says.
template <class M, class W>
bool search_decision(const M& model, const W& start, BlockingCache& cache,
                     std::uint32_t depth_max, std::uint64_t states_max) {
  struct Frame {
    std::uint64_t fp;
    std::vector<W> next;
    std::size_t at = 0;
  };
  auto expand = [&](std::uint64_t fp, const W& w) {
    Frame f{fp, {}, 0};
    model.fault_free_successors(w, [&](const Action&, W&& s) { f.next.push_back(std::move(s)); });
    return f;
  };
  std::unordered_map<std::uint64_t, std::uint32_t> depth_of;  // smallest depth expanded at
  const std::uint64_t start_fp = model.fingerprint(start);
  depth_of.emplace(start_fp, 0);
  std::vector<Frame> stack;
  stack.push_back(expand(start_fp, start));
  bool bounded = false;  // the bound cut the search somewhere
  while (!stack.empty()) {
    Frame& top = stack.back();
    if (top.at == top.next.size()) {
      stack.pop_back();
      continue;
    }
    W& s = top.next[top.at++];
    const std::uint64_t fp = model.fingerprint(s);
    const std::optional<bool> known = cache.blocked(fp);
    if (!first_in_doubt(s) || known == false) {
      std::vector<std::uint64_t> path;
      for (const Frame& f : stack) path.push_back(f.fp);
      cache.store(path, false);
      return true;
    }
    if (known == true) continue;
    const auto depth = static_cast<std::uint32_t>(stack.size());
    if (depth >= depth_max || depth_of.size() >= states_max) {
      bounded = true;
      continue;
    }
    auto [it, fresh] = depth_of.emplace(fp, depth);
    if (!fresh) {
      if (it->second <= depth) continue;
      it->second = depth;
    }
    W here = std::move(s);
    stack.push_back(expand(fp, here));
  }
  if (!bounded) {
    std::vector<std::uint64_t> region;
    for (const auto& [fp, depth] : depth_of) region.push_back(fp);
    cache.store(region, true);
  }
  return false;
}

// The blocking verdict for `w`: a violation when someone up is in doubt in `w` and no
// fault-free continuation within the bound gets everybody up out of doubt. The detail does
// not depend on the cache, so equal worlds are reported alike.
template <class M, class W>
std::optional<Violation> blocking_violation(const M& model, const W& w, BlockingCache& cache,
                                            std::uint32_t depth_max, std::uint64_t states_max) {
  const auto doubt = first_in_doubt(w);
  if (!doubt) return std::nullopt;
  std::optional<bool> blocked = cache.blocked(model.fingerprint(w));
  if (!blocked) blocked = !search_decision(model, w, cache, depth_max, states_max);
  if (!*blocked) return std::nullopt;
  const Scenario& sc = model.scenario();
  return Violation{"blocking", sc.nodes[doubt->second].name + " is in doubt about " +
                                   sc.transactions[doubt->first].name +
                                   " and no fault-free continuation of at most " +
                                   std::to_string(depth_max) + " steps lets it learn the outcome"};
}

}  // namespace txsim::check
