// Bfs<M>, continued: committing and checking a level, the parallel loop, limits and results.
// Included by bfs.h only; see there for the algorithm.
#pragma once

#include "sim/check/bfs.h"

namespace txsim::check {

// The new level: checked (in parallel), counted, and recorded in the trace store.
template <Model M>
void Bfs<M>::commit(Level& next, bool initial) {
  next.states.shrink_to_fit();  // room reserved for more states than were found
  next.origins.shrink_to_fit();
  parallel_chunks(next.size(), [&](unsigned worker, std::uint64_t begin, std::uint64_t end) {
    for (std::uint64_t i = begin; i < end; ++i) {
      if (std::optional<Violation> v = model_.check(next.states[i])) {
        tallies_[worker].violating.push_back(
            Found{model_.fingerprint(next.states[i]), i, std::move(v)});
      }
    }
  });
  distinct_ += next.size();
  TXSIM_ASSERT(visited_.size() == distinct_);
  TXSIM_ASSERT(initial == (trace_.size() == 0));
  trace_.append_level(
      next.size(), [&](std::uint64_t i) { return next.origins[i]; },
      [&](std::uint64_t count, auto&& pack) {  // ranges of kChunkMin states: multiples of 64
        parallel_chunks(
            count, [&](unsigned, std::uint64_t begin, std::uint64_t end) { pack(begin, end); });
      });
  reserved_.store(distinct_, std::memory_order_relaxed);
  monitor_.note_memory(memory_estimate());  // the level's origins are still held: the peak
  next.origins.reset(next.size() / 2);      // for the next level (run() hands them on)
  level_size_ = next.size();
  level_heap_ = new_heap_.exchange(0);
  next_ = nullptr;
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

// Runs fn(worker, begin, end) over [0, count) in chunks of kUnit on every worker (on the
// calling thread alone for small counts).
template <Model M>
template <class Fn>
void Bfs<M>::parallel_chunks(std::uint64_t count, Fn&& fn) {
  if (threads_ == 1 || count < kThreadsMin) {
    fn(0u, std::uint64_t{0}, count);
    return;
  }
  // About 16 chunks per worker, a multiple of kChunkMin states (64 at least, for the trace
  // store's words): claiming a chunk moves the counter's cache line between cores, which cost
  // as much as a small chunk's work on flat states.
  const std::uint64_t chunk = std::max<std::uint64_t>(
      kChunkMin, (count / (std::uint64_t{16} * threads_) + kChunkMin - 1) / kChunkMin * kChunkMin);
  std::atomic<std::uint64_t> next_chunk{0};
  pool_.run([&](unsigned worker) {
    for (;;) {
      const std::uint64_t begin = next_chunk.fetch_add(chunk, std::memory_order_relaxed);
      if (begin >= count) return;
      fn(worker, begin, std::min(count, begin + chunk));
    }
  });
}

// Worker 0 only.
template <Model M>
void Bfs<M>::poll_limits() {
  const StopReason reason = monitor_.poll(memory_estimate(), visited_.bytes_soon(), [&] {
    const std::uint64_t fresh = next_ != nullptr ? next_->size() : 0;
    return Progress{.distinct_states = distinct_ + fresh,
                    .states_generated = generated_.load(std::memory_order_relaxed),
                    .frontier = level_size_ - expanded_.load(std::memory_order_relaxed) + fresh,
                    .depth = depth_ + (fresh > 0 ? 1 : 0)};
  });
  if (reason != StopReason::none) request_stop(reason);
}

// Visited set, trace store, what is left of the current level, the next level, the scratch
// batches, and with several threads the round's candidate lists.
template <Model M>
std::uint64_t Bfs<M>::memory_estimate() const {
  std::uint64_t bytes =
      visited_.bytes() + trace_.bytes() + arena_bytes_.load(std::memory_order_relaxed) +
      batch_bytes_.load(std::memory_order_relaxed) + recycled_bytes() + recent_.bytes() +
      pending_heap_.load(std::memory_order_relaxed);
  if (local_recent_) {
    for (unsigned w = 0; w < threads_; ++w) bytes += local_recent_[w].bytes();
  }
  if (current_ != nullptr) bytes += current_->states.bytes() + level_heap_;
  if (next_ != nullptr) {
    bytes +=
        next_->states.bytes() + next_->origins.bytes() + new_heap_.load(std::memory_order_relaxed);
  }
  return bytes;
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
