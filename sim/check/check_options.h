// CheckOptions: how the checker explores a model, and the limits that stop it.
//
// Every search is bounded (STYLE.md rule 5): by states, depth, memory, and an external stop
// flag. Hitting any of them ends the search cleanly with the verdict `incomplete` and the
// counts of what was covered. The defaults explore everything that fits in memory.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>

#include "sim/check/memory.h"

namespace txsim::check {

enum class Strategy {
  bfs,          // breadth-first: shortest counterexamples, exact TLC-style counts (default)
  dfs,          // depth-first: memory grows with the depth, not the frontier
  random_walk,  // `walks` random paths of bounded depth from `seed` (swarm simulation)
};

const char* strategy_name(Strategy strategy);

// What the progress callback sees, at most once a second (progress_period_ms), from one thread.
struct Progress {
  std::uint64_t distinct_states = 0;
  std::uint64_t states_generated = 0;
  std::uint64_t frontier = 0;  // states discovered, not yet expanded (BFS queue, DFS stack)
  std::uint64_t depth = 0;
  double states_per_second = 0;  // states generated per second since the start
  std::uint64_t memory_bytes = 0;
  double seconds = 0;
};

struct CheckOptions {
  Strategy strategy = Strategy::bfs;
  unsigned threads = 1;  // BFS and random walk; results do not depend on it
  // Parallel BFS: worker 0's share of each round, in 64ths, fixed (0: automatic, adapted round
  // by round). Tests set an extreme so that the others steal from it, or it from them, in
  // every round (bfs_parallel.h); results do not depend on it.
  unsigned lead_share_64ths = 0;

  std::uint64_t states_max = kUnbounded;  // distinct states
  std::uint64_t depth_max = kUnbounded;   // states on a path, the initial state being depth 1
  // An estimate of what the search holds (visited set, frontier, trace store), checked often,
  // and, as a safety net, the growth of the process's resident memory since the start.
  std::uint64_t memory_max_bytes = memory_max_default();

  // Keep every state, compare states on equal fingerprints: no fingerprint collisions, at
  // the cost of the states' memory. For small models and for validating fingerprints.
  bool store_states = false;

  // Random walk: `walks` walks, each at most `walk_depth_max` states (and at most depth_max),
  // walk i drawn from its own generator seeded by (seed, i).
  std::uint64_t seed = 1;
  std::uint64_t walks = 1000;
  std::uint64_t walk_depth_max = 1000;

  // Polled often; when it becomes true the search stops with verdict incomplete (SIGINT).
  const std::atomic<bool>* stop = nullptr;

  // Called from one thread, at most once per progress_period_ms (default: once a second).
  std::function<void(const Progress&)> progress;
  std::uint64_t progress_period_ms = 1000;
};

}  // namespace txsim::check
