// Bfs<M>, continued: admitting candidates, on one thread or on the ordered path's admitter:
// the recent-key cache, the visited set (with states_max's reservation) and the next level's
// lists. Included by bfs.h only; see there for the algorithm.
#pragma once

#include "sim/check/bfs.h"

namespace txsim::check {

// The indices of the batch's candidates whose keys `recent` has not met (all of them in store
// mode, where the caches are unused), in order, into scratch.survivors; returns their number.
// Every key is written to the cache.
template <Model M>
std::size_t Bfs<M>::drop_recent(Scratch& scratch, RecentKeys& recent) {
  const std::size_t size = scratch.batch.size();
  if (scratch.survivors.size() < size) scratch.survivors.resize(size);
  std::uint32_t* survivors = scratch.survivors.data();
  if (recent.empty()) {
    for (std::size_t i = 0; i < size; ++i) survivors[i] = std::uint32_t(i);
    return size;
  }
  std::size_t count = 0;
  for (std::size_t i = 0; i < size; ++i) {  // no branch: see candidate_batch.h
    const std::uint64_t key = scratch.batch[i].key;
    std::uint64_t& entry = recent.entry(key);
    survivors[count] = std::uint32_t(i);
    count += entry != key ? 1 : 0;
    entry = key;
  }
  return count;
}

// A generated batch past the recent cache and into the visited set, in emission order (the
// first parent wins); the new states go to the unit's per-group lists (kept_).
template <Model M>
void Bfs<M>::admit_batch(Scratch& scratch, std::uint64_t& new_heap) {
  const std::size_t count = drop_recent(scratch, recent_);
  const std::uint32_t* survivors = scratch.survivors.data();
  for (std::size_t k = 0; k < std::min(count, kAhead); ++k) {
    visited_.prefetch_key(scratch.batch[survivors[k]].key);
  }
  for (std::size_t k = 0; k < count; ++k) {
    if (k + kAhead < count) visited_.prefetch_key(scratch.batch[survivors[k + kAhead]].key);
    Candidate& c = scratch.batch[survivors[k]];
    if (admit(c, new_heap)) kept_[group_of(c.key)].push_back(std::move(c));
  }
}

// Reserves, inserts; true when the candidate is new.
template <Model M>
bool Bfs<M>::admit(Candidate& candidate, std::uint64_t& new_heap) {
  if (limited_ && reserved_.fetch_add(1, std::memory_order_relaxed) >= options_.states_max) {
    reserved_.fetch_sub(1, std::memory_order_relaxed);
    request_stop(StopReason::states_max);
    return false;
  }
  const bool fresh = visited_.insert_key(candidate.key, candidate.state);
  if (limited_) {
    if (!fresh) {
      reserved_.fetch_sub(1, std::memory_order_relaxed);
    } else if (reserved_.load(std::memory_order_relaxed) >= options_.states_max) {
      request_stop(StopReason::states_max);
    }
  }
  if (!fresh) return false;
  new_heap += state_bytes(model_, candidate.state) - sizeof(State);
  return true;
}

template <Model M>
void Bfs<M>::append(Candidates& kept, std::uint64_t unit_begin, Level& next) {
  for (Candidate& c : kept) {
    next.states.push_back(std::move(c.state));
    next.origins.push_back(origin_of(unit_begin, c.origin));
    if constexpr (!kFlat) {
      if (tracks_owners()) next.owners.push_back(c.owner);
    }
  }
  kept.clear();
}

}  // namespace txsim::check
