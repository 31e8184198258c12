// Bfs<M>: level-synchronous breadth-first search, on one thread or several, with results that
// do not depend on the number of threads.
//
// Each level (the initial states are level 1) is expanded in two steps:
//  1. expand: workers take chunks of the level, run successors() on each state, count every
//     emitted successor, and keep the ones whose fingerprint is not in the visited set. One
//     thread inserts them into the visited set and appends them to the next level directly;
//     several threads offer them to a LevelMap that keeps, per state, the smallest Origin
//     (see level_map.h), so the next level is the same list in the same order either way.
//     A state with no successor where terminal_ok() is false is noted as blocking;
//  2. commit: one trace record per new state is appended; with several threads the visited
//     set grows once to fit the new level; then, in one parallel pass, the workers insert its
//     fingerprints concurrently (several threads) and run check() on every new state.
// Between levels the search stops on a blocking state, then on a violation, choosing the one
// with the smallest fingerprint (then position) so that the report is thread-independent.
// A counterexample is therefore a shortest one, rebuilt from the trace store (replay.h).
//
// Limits are polled every chunk: the stop flag and memory by worker 0 (Monitor), states_max
// exactly, by reserving each new state before admitting it. A limit ends the level early; the
// states found so far are still committed and checked, then the verdict is incomplete.
//
// Memory per distinct state: visited set 16-32 bytes (8 bytes/slot at load 1/4..1/2), trace
// store 8 bytes; plus, for the two live levels only, the states themselves and 20 bytes each
// (fingerprint, origin), and with several threads the LevelMap's ~56 bytes per new state.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "sim/check/check_options.h"
#include "sim/check/check_result.h"
#include "sim/check/level_map.h"
#include "sim/check/model.h"
#include "sim/check/model_support.h"
#include "sim/check/monitor.h"
#include "sim/check/replay.h"
#include "sim/check/trace_store.h"
#include "sim/check/visited.h"
#include "sim/check/worker_pool.h"

namespace txsim::check {

template <Model M>
class Bfs {
 public:
  using State = typename M::State;

  Bfs(const M& model, const CheckOptions& options)
      : model_(model),
        options_(options),
        threads_(std::max(1u, options.threads)),
        depth_max_(std::max<std::uint64_t>(1, options.depth_max)),
        pool_(threads_),
        monitor_(options),
        visited_(Visited<State>::for_model(model, options.store_states)),
        level_map_(options.store_states, symmetric_equality(model)),
        tallies_(threads_) {}

  CheckResult<M> run();

 private:
  static constexpr std::uint64_t kChunk = 32;
  static constexpr std::uint64_t kParallelMin = 128;  // smaller levels are not worth a wake-up

  struct Found {  // a blocking or violating state of a level
    std::uint64_t fp;
    std::uint64_t position;
    std::optional<Violation> violation;
    bool operator<(const Found& o) const { return fp != o.fp ? fp < o.fp : position < o.position; }
  };

  struct alignas(64) Tally {       // one per worker, emptied by smallest()
    std::vector<Found> blocking;   // found while expanding a level
    std::vector<Found> violating;  // found while committing the next one
  };

  Level<State> initial_level();
  void expand(const Level<State>& level, Level<State>& next);
  std::uint64_t expand_state(const Level<State>& level, std::uint64_t position, Level<State>& next,
                             Tally& tally, std::uint64_t& new_heap);
  void admit(std::uint64_t fp, Origin origin, State&& state, Level<State>& next,
             std::uint64_t& new_heap);
  void become_current(const Level<State>& level);
  void commit(Level<State>& next, bool initial);
  bool reserve_visited(std::uint64_t count);
  std::optional<Found> smallest(std::vector<Found> Tally::*which);

  // Runs fn(worker, begin, end) over [0, count) in chunks on every worker (on the calling
  // thread alone for small counts). A stoppable run ends early once a stop is requested, and
  // worker 0 polls the limits between chunks.
  template <class Fn>
  void parallel_chunks(std::uint64_t count, bool stoppable, Fn&& fn);
  void poll_limits();
  std::uint64_t new_states() const;
  std::uint64_t next_bytes() const;
  std::uint64_t memory_estimate() const;
  void request_stop(StopReason reason);
  bool stopping() const { return stop_code_.load(std::memory_order_relaxed) != 0; }

  CheckResult<M> finish(Verdict verdict, std::uint64_t frontier_left);
  CheckResult<M> finish_with_path(Verdict verdict, const Found& found, std::uint64_t record,
                                  std::uint64_t frontier_left);

  const M& model_;
  const CheckOptions& options_;
  const unsigned threads_;
  const std::uint64_t depth_max_;
  WorkerPool pool_;
  Monitor monitor_;
  Visited<State> visited_;
  LevelMap<State> level_map_;
  TraceStore trace_;
  std::vector<Tally> tallies_;

  std::uint64_t distinct_ = 0;     // states of the committed levels
  std::uint64_t depth_ = 0;        // deepest non-empty level
  std::uint64_t level_base_ = 0;   // trace record index of the current level's first state
  std::uint64_t level_bytes_ = 0;  // memory of the current level
  std::uint64_t level_size_ = 0;
  std::uint64_t level_map_bytes_ = 0;   // what LevelMap::reserve allocated for this level
  const Level<State>* next_ = nullptr;  // the level being built, read by worker 0 only
  std::atomic<std::uint64_t> generated_{0};
  std::atomic<std::uint64_t> reserved_{0};  // distinct_ + admitted new states (states_max)
  std::atomic<std::uint64_t> expanded_{0};  // states of the current level expanded
  std::atomic<std::uint64_t> new_heap_{0};  // heap owned by the next level's states so far
  std::atomic<std::uint64_t> next_chunk_{0};
  std::atomic<int> stop_code_{0};  // a StopReason; 0 (none) while running
};

template <Model M>
CheckResult<M> Bfs<M>::run() {
  Level<State> level = initial_level();
  become_current(level);
  depth_ = level.size() > 0 ? 1 : 0;
  if (std::optional<Found> bad = smallest(&Tally::violating)) {
    return finish_with_path(Verdict::violation, *bad, bad->position, level.size());
  }
  for (;;) {
    if (stopping()) return finish(Verdict::incomplete, level.size());
    if (level.size() == 0) return finish(Verdict::ok, 0);
    if (depth_ >= depth_max_) {
      request_stop(StopReason::depth_max);
      return finish(Verdict::incomplete, level.size());
    }
    Level<State> next;
    expand(level, next);
    const std::uint64_t left = level.size() - expanded_.load() + next.size();
    if (std::optional<Found> blocking = smallest(&Tally::blocking)) {
      return finish_with_path(Verdict::blocking, *blocking, level_base_ + blocking->position, left);
    }
    level_base_ += level.size();
    if (next.size() > 0) ++depth_;
    if (std::optional<Found> bad = smallest(&Tally::violating)) {
      return finish_with_path(Verdict::violation, *bad, level_base_ + bad->position, left);
    }
    if (stopping()) return finish(Verdict::incomplete, left);
    level = std::move(next);
    become_current(level);
  }
}

template <Model M>
auto Bfs<M>::initial_level() -> Level<State> {
  std::vector<State> states = model_.initial_states();
  TXSIM_ASSERT(states.size() <= TraceStore::kSuccessorsMax);
  generated_ = states.size();
  Level<State> level;
  next_ = &level;
  std::uint64_t new_heap = 0;
  for (std::uint32_t i = 0; i < states.size(); ++i) {
    const std::uint64_t fp = model_.fingerprint(states[i]);
    admit(fp, Origin{0, i}, std::move(states[i]), level, new_heap);
  }
  new_heap_ += new_heap;
  commit(level, /*initial=*/true);
  return level;
}

template <Model M>
void Bfs<M>::expand(const Level<State>& level, Level<State>& next) {
  next_ = &next;
  expanded_ = 0;
  if (threads_ > 1) {
    level_map_.reserve(level.size());  // the next level is often about as large
    level_map_bytes_ = level_map_.bytes();
  }
  parallel_chunks(level.size(), /*stoppable=*/true,
                  [&](unsigned worker, std::uint64_t begin, std::uint64_t end) {
                    std::uint64_t generated = 0, new_heap = 0, p = begin;
                    for (; p < end && !stopping(); ++p) {
                      generated += expand_state(level, p, next, tallies_[worker], new_heap);
                    }
                    generated_.fetch_add(generated, std::memory_order_relaxed);
                    new_heap_.fetch_add(new_heap, std::memory_order_relaxed);
                    expanded_.fetch_add(p - begin, std::memory_order_relaxed);
                  });
  commit(next, /*initial=*/false);
}

// The number of successors emitted.
template <Model M>
std::uint64_t Bfs<M>::expand_state(const Level<State>& level, std::uint64_t position,
                                   Level<State>& next, Tally& tally, std::uint64_t& new_heap) {
  std::uint32_t emitted = 0;
  model_.successors(level.states[position], [&](const Action&, State&& state) {
    TXSIM_ASSERT_MSG(emitted < TraceStore::kSuccessorsMax, "too many successors of one state");
    const Origin origin{position, emitted++};
    const std::uint64_t fp = model_.fingerprint(state);
    if (threads_ > 1 && visited_.contains(fp, state)) return;
    admit(fp, origin, std::move(state), next, new_heap);
  });
  if (emitted == 0 && !model_.terminal_ok(level.states[position])) {
    tally.blocking.push_back(Found{level.fingerprints[position], position, std::nullopt});
  }
  return emitted;
}

// One thread: into the visited set and the next level. Several: into the LevelMap.
template <Model M>
void Bfs<M>::admit(std::uint64_t fp, Origin origin, State&& state, Level<State>& next,
                   std::uint64_t& new_heap) {
  const bool limited = options_.states_max != kUnbounded;
  if (limited && reserved_.fetch_add(1, std::memory_order_relaxed) >= options_.states_max) {
    reserved_.fetch_sub(1, std::memory_order_relaxed);
    request_stop(StopReason::states_max);
    return;
  }
  const std::uint64_t heap = state_bytes(model_, state) - sizeof(State);
  bool fresh = false;
  if (threads_ == 1) {
    fresh = visited_.insert(fp, state);
    if (fresh) next.push(fp, origin, std::move(state));
  } else {
    fresh = level_map_.offer(fp, origin, std::move(state));
  }
  if (fresh) new_heap += heap;
  if (!limited) return;
  if (!fresh) {
    reserved_.fetch_sub(1, std::memory_order_relaxed);
  } else if (reserved_.load(std::memory_order_relaxed) >= options_.states_max) {
    request_stop(StopReason::states_max);
  }
}

template <Model M>
void Bfs<M>::become_current(const Level<State>& level) {
  next_ = nullptr;
  level_size_ = level.size();
  level_bytes_ = level.bytes(sizeof(State)) + new_heap_.exchange(0);
}

}  // namespace txsim::check

#include "sim/check/bfs_steps.h"
