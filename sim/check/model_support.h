// Small helpers every strategy uses on a Model: the memory a state takes, and successors
// collected into a vector (DFS and random walks need them all before choosing).
//
// A model may optionally tell the checker how much heap a state owns, for the memory limit:
//   std::size_t state_heap_bytes(const State&) const;
// Without it a state counts as sizeof(State).
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "sim/check/model.h"

namespace txsim::check {

template <Model M>
std::size_t state_bytes(const M& model, const typename M::State& state) {
  if constexpr (requires {
                  { model.state_heap_bytes(state) } -> std::convertible_to<std::size_t>;
                }) {
    return sizeof(state) + model.state_heap_bytes(state);
  } else {
    return sizeof(state);
  }
}

template <class State>
struct Successor {
  Action action;
  State state;
};

template <Model M>
void collect_successors(const M& model, const typename M::State& state,
                        std::vector<Successor<typename M::State>>& out) {
  out.clear();
  model.successors(state, [&](const Action& action, typename M::State&& next) {
    out.push_back(Successor<typename M::State>{action, std::move(next)});
  });
}

}  // namespace txsim::check
