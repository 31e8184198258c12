// reference_bfs: a small, single-threaded, exact breadth-first explorer, independent of the
// real checker (sim/check/), used to pin the textbook models' counts the way TLC reports them:
//   distinct  = number of distinct states (of canonical states, so orbits, with symmetry on);
//   generated = initial states + every successor emitted, duplicates and self-loops included;
//   depth     = number of BFS levels, the initial states being level 1.
// Exact: states are compared in full (their canonical form), never by fingerprint alone; the
// fingerprint is only the hash-table hash. Every distinct state is kept, in BFS order, and the
// states of one level are contiguous, so the level structure needs no separate queue.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "sim/assert.h"
#include "sim/check/model.h"

namespace txsim::textbook::testing {

template <class State>
struct BfsResult {
  std::uint64_t distinct = 0;
  std::uint64_t generated = 0;
  std::uint64_t depth = 0;
  std::uint64_t deadlocks = 0;                // states without successor that terminal_ok() rejects
  std::optional<check::Violation> violation;  // the first one met
  std::vector<State> states;                  // the distinct (canonical) states, BFS order
};

template <class M>
requires check::Model<M> BfsResult<typename M::State> reference_bfs(
    const M& model, std::uint64_t states_max = 20'000'000) {
  using State = typename M::State;
  BfsResult<State> res;
  std::vector<State>& states = res.states;
  // Open addressing over indices into `states` (index + 1; 0 is empty), at most half full.
  std::vector<std::uint32_t> table(1U << 10, 0);
  auto insert = [&](const State& s) -> bool {  // s canonical; true if new
    if (2 * (states.size() + 1) > table.size()) {
      std::vector<std::uint32_t> bigger(table.size() * 2, 0);
      const std::size_t mask = bigger.size() - 1;
      for (std::uint32_t i = 0; i < states.size(); ++i) {
        std::size_t h = model.fingerprint(states[i]) & mask;
        while (bigger[h] != 0) h = (h + 1) & mask;
        bigger[h] = i + 1;
      }
      table.swap(bigger);
    }
    const std::size_t mask = table.size() - 1;
    std::size_t h = model.fingerprint(s) & mask;
    for (; table[h] != 0; h = (h + 1) & mask) {
      if (states[table[h] - 1] == s) return false;
    }
    TXSIM_ASSERT(states.size() < states_max);
    table[h] = static_cast<std::uint32_t>(states.size() + 1);
    states.push_back(s);
    if (!res.violation) res.violation = model.check(s);
    return true;
  };

  for (const State& s : model.initial_states()) {
    ++res.generated;
    insert(model.canonical(s));
  }
  std::size_t level_begin = 0;
  while (level_begin < states.size()) {
    ++res.depth;
    const std::size_t level_end = states.size();
    for (std::size_t i = level_begin; i < level_end; ++i) {
      std::uint64_t emitted = 0;
      const State from = states[i];  // copy: `states` may grow while we emit
      model.successors(from, [&](const check::Action&, State&& next) {
        ++emitted;
        insert(model.canonical(next));
      });
      res.generated += emitted;
      if (emitted == 0 && !model.terminal_ok(from)) ++res.deadlocks;
    }
    level_begin = level_end;
  }
  res.distinct = states.size();
  return res;
}

}  // namespace txsim::textbook::testing
