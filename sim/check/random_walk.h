// RandomWalk<M>: swarm simulation. `walks` independent random paths, each of at most
// min(walk_depth_max, depth_max) states, for state spaces too large to enumerate: it finds
// bugs that need long paths quickly, and proves nothing when it finds none (the verdict is
// then ok, meaning "no violation on these walks").
//
// Walk i draws from its own generator, seeded from (seed, i): it picks an initial state, then
// at each step one successor uniformly among all emitted, and checks every state it enters
// (as TLC's simulation mode does). A walk ends at its depth bound or at a state without
// successors (blocking unless terminal_ok). Walks run on `threads` workers, yet the result is
// the one of the smallest walk index that failed, whichever thread ran it: a walk depends on
// its index only. Without a failure, counts do not depend on the threads either; with one,
// walks after the failing one may or may not have run, so counts may vary, not the verdict.
//
// Counts: states_generated is the number of initial states plus every successor emitted on
// every walk; distinct_states the distinct fingerprints entered (per-thread sets, merged at
// the end; store_states is not used here); depth the longest walk. While the walks run, the
// distinct count (progress reports, states_max) is the sum of the per-thread counts, which
// overstates it when threads enter the same states. The counterexample is
// rebuilt by replaying the walk's recorded choices (replay.h).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "sim/check/check_options.h"
#include "sim/check/check_result.h"
#include "sim/check/fingerprint_set.h"
#include "sim/check/hash.h"
#include "sim/check/model.h"
#include "sim/check/model_support.h"
#include "sim/check/monitor.h"
#include "sim/check/replay.h"
#include "sim/check/worker_pool.h"
#include "sim/rng.h"

namespace txsim::check {

template <Model M>
class RandomWalk {
 public:
  using State = typename M::State;

  RandomWalk(const M& model, const CheckOptions& options)
      : model_(model),
        options_(options),
        walk_depth_max_(
            std::max<std::uint64_t>(1, std::min(options.walk_depth_max, options.depth_max))),
        pool_(std::max(1u, options.threads)),
        monitor_(options),
        initial_(model.initial_states()),
        workers_(pool_.size()) {}

  CheckResult<M> run() {
    generated_ = initial_.size();
    if (!initial_.empty()) {
      pool_.run([&](unsigned worker) { work(worker); });
    }
    return finish();
  }

 private:
  static constexpr std::uint64_t kNoWalk = ~std::uint64_t{0};

  struct Failure {
    std::uint64_t walk = kNoWalk;
    Verdict verdict = Verdict::ok;
    std::optional<Violation> violation;
    std::uint32_t initial = 0;
    std::vector<std::uint32_t> choices;  // successor positions taken
  };

  struct alignas(64) Worker {
    FingerprintSet visited;
    std::vector<Successor<State>> successors;
    std::vector<std::uint32_t> choices;
    std::atomic<std::uint64_t> table_bytes{0};  // visited.bytes(), published for poll()
  };

  void work(unsigned worker) {
    for (;;) {
      if (stop_code_.load(std::memory_order_relaxed) != 0) return;
      const std::uint64_t walk = next_walk_.fetch_add(1, std::memory_order_relaxed);
      if (walk >= options_.walks || walk > failed_walk_.load(std::memory_order_relaxed)) return;
      Worker& w = workers_[worker];
      run_walk(walk, w);
      w.table_bytes.store(w.visited.bytes(), std::memory_order_relaxed);
      if (worker == 0) poll();
    }
  }

  void run_walk(std::uint64_t walk, Worker& w) {
    Rng rng(hash_words({options_.seed, walk}));
    const auto initial = std::uint32_t(rng.below(initial_.size()));
    State state = initial_[initial];
    w.choices.clear();
    std::uint64_t generated = 0, walk_depth = 0;
    for (std::uint64_t depth = 1;; ++depth) {
      enter(w, state);
      walk_depth = depth;
      if (std::optional<Violation> violation = model_.check(state)) {
        fail(Failure{walk, Verdict::violation, std::move(violation), initial, w.choices});
        break;
      }
      if (depth >= walk_depth_max_ || stop_code_.load(std::memory_order_relaxed) != 0) break;
      collect_successors(model_, state, w.successors);
      generated += w.successors.size();
      if (w.successors.empty()) {
        if (!model_.terminal_ok(state)) {
          fail(Failure{walk, Verdict::blocking, std::nullopt, initial, w.choices});
        }
        break;
      }
      w.choices.push_back(std::uint32_t(rng.below(w.successors.size())));
      state = std::move(w.successors[w.choices.back()].state);
    }
    generated_.fetch_add(generated, std::memory_order_relaxed);
    std::uint64_t deepest = depth_.load(std::memory_order_relaxed);
    while (walk_depth > deepest && !depth_.compare_exchange_weak(deepest, walk_depth)) {
    }
  }

  void enter(Worker& w, const State& state) {
    if (!w.visited.insert(model_.fingerprint(state))) return;
    const std::uint64_t seen = entered_.fetch_add(1, std::memory_order_relaxed) + 1;
    if (seen >= options_.states_max) request_stop(StopReason::states_max);
  }

  // Keeps the failure of the smallest walk index.
  void fail(Failure failure) {
    std::lock_guard lock(failure_mutex_);
    if (failure.walk >= failure_.walk) return;
    failed_walk_.store(failure.walk, std::memory_order_relaxed);
    failure_ = std::move(failure);
  }

  void poll() {
    const std::uint64_t estimate = memory_estimate();
    const StopReason reason = monitor_.poll(estimate, 2 * estimate, [&] {
      return Progress{.distinct_states = entered_.load(std::memory_order_relaxed),
                      .states_generated = generated_.load(std::memory_order_relaxed),
                      .frontier = 0,
                      .depth = depth_.load(std::memory_order_relaxed)};
    });
    if (reason != StopReason::none) request_stop(reason);
  }

  // The workers' tables as published after each walk (poll() leaves room for their next
  // doubling, and for the merge at the end).
  std::uint64_t memory_estimate() const {
    std::uint64_t bytes = initial_.size() * sizeof(State);
    for (const Worker& w : workers_) bytes += w.table_bytes.load(std::memory_order_relaxed);
    return bytes;
  }

  void request_stop(StopReason reason) {
    int none = 0;
    stop_code_.compare_exchange_strong(none, int(reason), std::memory_order_relaxed);
  }

  CheckResult<M> finish();

  const M& model_;
  const CheckOptions& options_;
  const std::uint64_t walk_depth_max_;
  WorkerPool pool_;
  Monitor monitor_;
  const std::vector<State> initial_;
  std::vector<Worker> workers_;
  std::mutex failure_mutex_;
  Failure failure_;
  std::atomic<std::uint64_t> failed_walk_{kNoWalk};
  std::atomic<std::uint64_t> next_walk_{0};
  std::atomic<std::uint64_t> generated_{0};
  std::atomic<std::uint64_t> depth_{0};    // the longest walk so far
  std::atomic<std::uint64_t> entered_{0};  // sum of per-worker distinct counts (states_max)
  std::atomic<int> stop_code_{0};
};

template <Model M>
CheckResult<M> RandomWalk<M>::finish() {
  FingerprintSet all;
  for (const Worker& w : workers_) all.merge_from(w.visited);
  monitor_.note_memory(memory_estimate() + all.bytes());
  CheckResult<M> result;
  result.strategy = Strategy::random_walk;
  result.verdict = failure_.walk != kNoWalk ? failure_.verdict
                   : stop_code_.load() != 0 ? Verdict::incomplete
                                            : Verdict::ok;
  if (result.verdict == Verdict::incomplete) result.stop_reason = StopReason(stop_code_.load());
  result.distinct_states = all.size();
  result.states_generated = generated_.load();
  result.depth = depth_.load();
  result.threads = pool_.size();
  result.seconds = monitor_.seconds();
  result.peak_memory_bytes = monitor_.peak_memory();
  result.collision_probability = collision_probability(all.size(), result.states_generated);
  if (failure_.walk != kNoWalk) {
    result.violation = failure_.violation;
    result.counterexample = replay_path(model_, failure_.initial, failure_.choices);
    result.depth = result.counterexample->states();
  }
  return result;
}

}  // namespace txsim::check
