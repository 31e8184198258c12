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
// The bound. The continuation is searched at most `liveness_depth` steps deep and over at
// most `liveness_states_max` worlds (CheckSpec); what lies beyond counts as "not reached", so
// liveness_depth must exceed the protocol's longest fault-free path to a decision (2PC needs a
// few steps per participant; the default is 40). A depth-first search, each world once, comes
// first: it finds a decision fast when there is one. When it meets the bound without one, a
// breadth-first search (each world once, at its smallest depth) decides exactly.
//
// Cost. ProtocolModel runs it only on worlds whose fault budget is spent, so each search
// follows the fault-free graph alone. Results are cached by fingerprint, shared by threads
// under a mutex: every world on a path that reached a decision is marked "resolves", and a
// search that covered its whole region without meeting the bound marks every world of the
// region "blocked" (the region is closed under fault-free steps, so none of them can reach a
// decision). Both marks are exact; a world first marked after a bound-limited search is the
// start alone. A search stops early at a world marked "resolves", whose own path may be
// longer than what is left of the bound: so near the bound a verdict may depend on what other
// searches cached before. The cache can only turn a bound-limited "blocking" into
// "resolves", never invent a blocking world.
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

// One search over model.fault_free_successors from a world in doubt.
struct DecisionSearch {
  bool resolved = false;  // a world with nobody up in doubt (or known to lead to one) was met
  bool bounded = false;   // the depth or states bound cut the search somewhere
  std::vector<std::uint64_t> region;  // the worlds expanded (fingerprints)
};

// Depth-first, every world expanded at most once: quick to find a decision when there is one
// (deliveries come first), and when it meets no bound it has covered the whole region.
template <class M, class W>
DecisionSearch depth_first(const M& model, const W& start, BlockingCache& cache,
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
  DecisionSearch r;
  std::unordered_set<std::uint64_t> seen;
  const std::uint64_t start_fp = model.fingerprint(start);
  seen.insert(start_fp);
  r.region.push_back(start_fp);
  std::vector<Frame> stack;
  stack.push_back(expand(start_fp, start));
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
      cache.store(path, false);  // every world on the path reaches a decision
      r.resolved = true;
      return r;
    }
    if (known == true || seen.count(fp)) continue;
    if (stack.size() >= depth_max || seen.size() >= states_max) {
      r.bounded = true;
      continue;
    }
    seen.insert(fp);
    r.region.push_back(fp);
    W here = std::move(s);
    stack.push_back(expand(fp, here));
  }
  return r;
}

// Breadth-first, every world expanded once at its smallest depth: exact within the bound.
template <class M, class W>
DecisionSearch breadth_first(const M& model, const W& start, BlockingCache& cache,
                             std::uint32_t depth_max, std::uint64_t states_max) {
  DecisionSearch r;
  std::unordered_set<std::uint64_t> seen;
  seen.insert(model.fingerprint(start));
  r.region.push_back(model.fingerprint(start));
  std::vector<W> frontier;
  frontier.push_back(start);
  for (std::uint32_t depth = 1; !frontier.empty() && !r.resolved; ++depth) {
    if (depth > depth_max) {
      r.bounded = true;
      break;
    }
    std::vector<W> next;
    for (const W& w : frontier) {
      model.fault_free_successors(w, [&](const Action&, W&& s) {
        if (r.resolved) return;
        const std::uint64_t fp = model.fingerprint(s);
        const std::optional<bool> known = cache.blocked(fp);
        if (!first_in_doubt(s) || known == false) {
          r.resolved = true;
          return;
        }
        if (known == true || seen.count(fp)) return;
        if (seen.size() >= states_max) {
          r.bounded = true;
          return;
        }
        seen.insert(fp);
        r.region.push_back(fp);
        next.push_back(std::move(s));
      });
      if (r.resolved) break;
    }
    frontier = std::move(next);
  }
  return r;
}

// True when some fault-free path of at most depth_max steps from `start` (someone up in doubt)
// gets everybody up out of doubt. Depth-first first; breadth-first only when the depth-first
// search met the bound without a decision (it may have reached worlds by needlessly long
// paths). Updates the cache as the header says.
template <class M, class W>
bool search_decision(const M& model, const W& start, BlockingCache& cache, std::uint32_t depth_max,
                     std::uint64_t states_max) {
  const DecisionSearch quick = depth_first(model, start, cache, depth_max, states_max);
  if (quick.resolved) return true;
  if (!quick.bounded) {
    cache.store(quick.region, true);
    return false;
  }
  const DecisionSearch exact = breadth_first(model, start, cache, depth_max, states_max);
  if (!exact.bounded || exact.resolved) {
    cache.store(exact.resolved ? std::vector<std::uint64_t>{exact.region.front()} : exact.region,
                !exact.resolved);
  } else {
    cache.store(std::vector<std::uint64_t>{exact.region.front()}, true);
  }
  return exact.resolved;
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
