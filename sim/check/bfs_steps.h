// Bfs<M>, continued: committing and checking a level, the parallel loop, limits and results.
// Included by bfs.h only; see there for the algorithm.
#pragma once

#include "sim/check/bfs.h"

namespace txsim::check {

template <Model M>
void Bfs<M>::commit(Level<State>& next, bool initial) {
  if (threads_ > 1) {
    level_map_.drain(next, initial ? 1 : level_size_);
    level_map_bytes_ = 0;
  }
  const bool insert = threads_ > 1 && reserve_visited(next.size());
  parallel_chunks(next.size(), /*stoppable=*/false,
                  [&](unsigned worker, std::uint64_t begin, std::uint64_t end) {
                    for (std::uint64_t i = begin; i < end; ++i) {
                      const std::uint64_t fp = next.fingerprints[i];
                      if (insert) {
                        const bool fresh = visited_.insert_concurrent(fp, next.states[i]);
                        TXSIM_ASSERT(fresh);
                      }
                      if (std::optional<Violation> v = model_.check(next.states[i])) {
                        tallies_[worker].violating.push_back(Found{fp, i, std::move(v)});
                      }
                    }
                  });
  distinct_ += next.size();
  if (threads_ == 1 || insert) TXSIM_ASSERT(visited_.size() == distinct_);
  for (std::uint64_t i = 0; i < next.size(); ++i) {
    const Origin origin = next.origins[i];
    trace_.append(initial ? TraceStore::kNoParent : level_base_ + origin.parent, origin.emitted);
  }
  reserved_.store(distinct_, std::memory_order_relaxed);
  monitor_.note_memory(memory_estimate());
}

// Several threads: the visited set grows once for the whole level before the concurrent
// inserts. When the growth would not fit in memory, the search stops without it (the level is
// still counted, recorded and checked).
template <Model M>
bool Bfs<M>::reserve_visited(std::uint64_t count) {
  const std::uint64_t target = visited_.size() + count;
  if (!monitor_.fits(memory_estimate(), visited_.bytes_to_reserve(target))) {
    request_stop(StopReason::memory_max);
    return false;
  }
  visited_.reserve(target);
  return true;
}

template <Model M>
auto Bfs<M>::smallest(std::vector<Found> Tally::*which) -> std::optional<Found> {
  std::optional<Found> best;
  for (Tally& tally : tallies_) {
    for (Found& found : tally.*which) {
      if (!best || found < *best) best = std::move(found);
    }
    (tally.*which).clear();
  }
  return best;
}

template <Model M>
template <class Fn>
void Bfs<M>::parallel_chunks(std::uint64_t count, bool stoppable, Fn&& fn) {
  next_chunk_.store(0, std::memory_order_relaxed);
  auto job = [&](unsigned worker) {
    for (;;) {
      if (stoppable && stopping()) return;
      const std::uint64_t begin = next_chunk_.fetch_add(kChunk, std::memory_order_relaxed);
      if (begin >= count) return;
      fn(worker, begin, std::min(count, begin + kChunk));
      if (stoppable && worker == 0) poll_limits();
    }
  };
  if (count < kParallelMin) {
    job(0);
  } else {
    pool_.run(job);
  }
}

template <Model M>
void Bfs<M>::poll_limits() {
  const StopReason reason = monitor_.poll(memory_estimate(), visited_.bytes_soon(), [&] {
    const std::uint64_t fresh = new_states();
    return Progress{.distinct_states = distinct_ + fresh,
                    .states_generated = generated_.load(std::memory_order_relaxed),
                    .frontier = level_size_ - expanded_.load(std::memory_order_relaxed) + fresh,
                    .depth = depth_ + (fresh > 0 ? 1 : 0)};
  });
  if (reason != StopReason::none) request_stop(reason);
}

// States found so far for the next level. Worker 0 only: with one thread it builds the next
// level itself; with several, the LevelMap holds them (and counts atomically) until commit.
template <Model M>
std::uint64_t Bfs<M>::new_states() const {
  return (next_ != nullptr ? next_->size() : 0) + level_map_.size();
}

template <Model M>
std::uint64_t Bfs<M>::next_bytes() const {
  const std::uint64_t in_level = next_ != nullptr ? next_->bytes(sizeof(State)) : 0;
  const std::uint64_t in_map = std::max<std::uint64_t>(
      level_map_bytes_, level_map_.size() * (LevelMap<State>::entry_overhead() + sizeof(State)));
  return in_level + in_map + new_states() * sizeof(std::uint64_t) /* trace records */ +
         new_heap_.load(std::memory_order_relaxed);
}

// Visited set, trace store, the current and next levels.
template <Model M>
std::uint64_t Bfs<M>::memory_estimate() const {
  return visited_.bytes() + trace_.bytes() + level_bytes_ + next_bytes();
}

template <Model M>
void Bfs<M>::request_stop(StopReason reason) {
  int none = 0;
  stop_code_.compare_exchange_strong(none, int(reason), std::memory_order_relaxed);
}

template <Model M>
CheckResult<M> Bfs<M>::finish(Verdict verdict, std::uint64_t frontier_left) {
  monitor_.note_memory(memory_estimate());
  CheckResult<M> result;
  result.strategy = Strategy::bfs;
  result.verdict = verdict;
  if (verdict == Verdict::incomplete) result.stop_reason = StopReason(stop_code_.load());
  result.distinct_states = distinct_;
  result.states_generated = generated_.load();
  result.depth = depth_;
  result.frontier_left = frontier_left;
  result.threads = threads_;
  result.seconds = monitor_.seconds();
  result.peak_memory_bytes = monitor_.peak_memory();
  result.store_states = options_.store_states;
  result.collision_probability =
      options_.store_states ? 0 : collision_probability(distinct_, result.states_generated);
  return result;
}

template <Model M>
CheckResult<M> Bfs<M>::finish_with_path(Verdict verdict, const Found& found, std::uint64_t record,
                                        std::uint64_t frontier_left) {
  CheckResult<M> result = finish(verdict, frontier_left);
  result.violation = found.violation;
  result.counterexample = rebuild_path(model_, trace_, record, found.fp);
  result.depth = result.counterexample->states();
  return result;
}

}  // namespace txsim::check
