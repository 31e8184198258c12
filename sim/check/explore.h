// explore(): the one entry point of the model checker. Runs the strategy the options name on
// any Model (sim/check/model.h) and returns what it found and covered (check_result.h).
//
//   CheckOptions options;                 // BFS, one thread, no bound but memory
//   options.threads = 4;
//   CheckResult<MyModel> result = explore(MyModel{...}, options);
//   std::cout << format_summary(result);
//   if (result.counterexample) { ... }   // violation or blocking: the path to it
//
// The model must outlive the call; `options` too (the engines keep references).
#pragma once

#include "sim/check/bfs.h"
#include "sim/check/check_options.h"
#include "sim/check/check_result.h"
#include "sim/check/dfs.h"
#include "sim/check/model.h"
#include "sim/check/random_walk.h"

namespace txsim::check {

template <Model M>
CheckResult<M> explore(const M& model, const CheckOptions& options = {}) {
  switch (options.strategy) {
    case Strategy::bfs:
      return Bfs<M>(model, options).run();
    case Strategy::dfs:
      return Dfs<M>(model, options).run();
    case Strategy::random_walk:
      return RandomWalk<M>(model, options).run();
  }
  TXSIM_ASSERT_MSG(false, "unknown strategy");
  return {};
}

}  // namespace txsim::check
