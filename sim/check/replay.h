// Rebuilding a counterexample from the trace store, as TLC does: follow the parent records
// back to an initial state, then replay forward, re-running successors() and taking the
// successor at the recorded position. Only the path's states are ever rebuilt.
//
// Because successors() is a pure function emitting in a deterministic order, the replay
// yields exactly the states the search saw; the last one's fingerprint is checked against the
// one the search recorded, so a model breaking that contract fails loudly instead of printing
// a wrong trace.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "sim/assert.h"
#include "sim/check/check_result.h"
#include "sim/check/model.h"
#include "sim/check/trace_store.h"

namespace txsim::check {

// The state at position `position` among the successors of `from`, with its action.
template <Model M>
Step<typename M::State> replay_step(const M& model, const typename M::State& from,
                                    std::uint32_t position) {
  std::optional<Step<typename M::State>> found;
  std::uint32_t at = 0;
  model.successors(from, [&](const Action& action, typename M::State&& next) {
    if (at++ == position) found.emplace(Step<typename M::State>{action, std::move(next)});
  });
  TXSIM_ASSERT_MSG(found.has_value(), "replay: successors() emitted fewer states than before");
  return std::move(*found);
}

// The path from an initial state (its index in initial_states()) through the successors at
// the given positions.
template <Model M>
Counterexample<typename M::State> replay_path(const M& model, std::uint32_t initial,
                                              const std::vector<std::uint32_t>& positions) {
  std::vector<typename M::State> initial_states = model.initial_states();
  TXSIM_ASSERT(initial < initial_states.size());
  Counterexample<typename M::State> path{std::move(initial_states[initial]), {}};
  path.steps.reserve(positions.size());
  for (std::uint32_t position : positions) {
    path.steps.push_back(replay_step(model, path.last(), position));
  }
  return path;
}

// The path to the state of trace record `record`, whose fingerprint was `fingerprint`.
template <Model M>
Counterexample<typename M::State> rebuild_path(const M& model, const TraceStore& trace,
                                               std::uint64_t record, std::uint64_t fingerprint) {
  const std::vector<std::uint64_t> chain = trace.chain_to(record);
  std::vector<std::uint32_t> positions;
  positions.reserve(chain.size());
  for (std::size_t i = 1; i < chain.size(); ++i)
    positions.push_back(trace.record(chain[i]).emitted);
  Counterexample<typename M::State> path =
      replay_path(model, trace.record(chain.front()).emitted, positions);
  TXSIM_ASSERT_MSG(model.fingerprint(path.last()) == fingerprint,
                   "replay: the rebuilt state differs from the one found (impure successors?)");
  return path;
}

}  // namespace txsim::check
