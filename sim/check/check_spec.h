// CheckSpec: the model checker's budget for one scenario (the `check:` section of a scenario,
// docs/checker.md): how many faults of each kind the checker may inject along one path, which
// partitions it may start, the timing model, and the bounds that keep the search finite.
//
// Invariants: every count is a bound on *one path* from the initial state (a world carries
// what it has spent, sim/check/world.h), not on the whole search. Each listed partition is a
// complete cover of the nodes by disjoint groups (ProtocolModel asserts it). An empty
// `partition_groups` means every two-way split of the nodes.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/types.h"

namespace txsim::check {

// When may an armed timer fire?
enum class TimeoutModel : std::uint8_t {
  // At any time, like in an asynchronous system: a timeout may fire while the message it
  // waits for is still on its way (timeouts are not failure detection).
  asynchronous,
  // As with a perfect failure detector in a synchronous system (bounded delays, timeouts
  // longer than any delay): a timer fires only once no message in flight can still be
  // delivered, and only if a node it watches (P::timer_peers, sim/protocol.h) is down or cut
  // off from it. When no armed timer watches a failed node and nothing can be delivered, every
  // armed timer may fire: the world is stuck because messages were lost, and a timeout is
  // exactly what ends such a wait.
  synchronous,
};

struct CheckSpec {
  // Fault budget, per path.
  std::uint32_t crashes = 0;     // plain crashes plus crashes in the middle of a handler
  std::uint32_t drops = 0;       // in-flight messages lost
  std::uint32_t duplicates = 0;  // in-flight messages delivered twice
  std::uint32_t partitions = 0;  // partitions started (healing is free)
  // The partitions the checker may start, each as its groups of nodes; empty: every two-way
  // split of the nodes.
  std::vector<std::vector<std::vector<NodeId>>> partition_groups;
  TimeoutModel timeouts = TimeoutModel::asynchronous;
  // Symmetry reduction over interchangeable nodes (sim/check/symmetry.h): fingerprints of the
  // orbit's representative, so one world per orbit is explored. Needs P::renamed.
  bool symmetry = false;

  // Boundary of the explored space: a step that leaves more than this many identical copies
  // of a message in flight on one link (and more than before it) is not explored; a duplicate
  // fault is the one exception. Retries fired by asynchronous timers, and the answers to them,
  // would otherwise fill the network without end. The step stays enabled and is explored once
  // a copy has been delivered. 0: no bound (only for protocols that never resend).
  std::uint32_t copies_max = 1;
  // Blocking: a state is blocking when no fault-free path of at most liveness_depth steps
  // (and liveness_states_max states) lets every in-doubt participant learn the outcome.
  std::uint32_t liveness_depth = 40;
  std::uint64_t liveness_states_max = 200'000;
  // Limits of the search itself (the engine's, sim/check/explore.h).
  std::uint32_t depth_max = 1'000;
  std::uint64_t states_max = 10'000'000;
};

}  // namespace txsim::check
