// Bfs<M>, continued: expanding a level on several threads, in rounds of three phases (expand
// by unit, admit by group, copy to offsets from a prefix sum). Included by bfs.h only; see
// there for why the result is the same as with one thread.
#pragma once

#include <barrier>
#include <cstddef>
#include <vector>


#include "sim/check/bfs.h"

namespace txsim::check {

template <Model M>
void Bfs<M>::expand_parallel(Level& level, Level& next) {
  const std::uint64_t units = (level.size() + kUnit - 1) / kUnit;
  lists_.resize(kRoundUnits * kGroups);
  offsets_.assign(kRoundUnits * kGroups, 0);
  unit_worker_.assign(kRoundUnits, 0);
  if (local_recent_.empty() && !recent_.empty()) {
    local_recent_.assign(threads_, std::vector<std::uint64_t>(std::size_t{1} << kLocalRecentBits));
  }
  if (!claims_) claims_ = std::make_unique<UnitClaim[]>(threads_);
  round_begin_ = 0;
  round_end_ = std::min(units, kRoundUnits);
  share_round();
  for (std::atomic<bool>& claimed : group_claimed_) claimed.store(false, std::memory_order_relaxed);
  rounds_over_ = false;
  // The completion steps run on one thread while the others wait at the barrier.
  auto after_expand = [this]() noexcept {
    for (std::atomic<bool>& claimed : group_claimed_) claimed.store(false, std::memory_order_relaxed);
  };
  auto after_admit = [this, &next]() noexcept { place_round(next); };
  auto after_copy = [this, units]() noexcept {
    end_round();
    round_begin_ = round_end_;
    round_end_ = std::min(units, round_begin_ + kRoundUnits);
    share_round();
    rounds_over_ = round_begin_ >= units || stopping();
  };
  std::barrier expanded(std::ptrdiff_t(threads_), after_expand);
  std::barrier admitted(std::ptrdiff_t(threads_), after_admit);
  std::barrier copied(std::ptrdiff_t(threads_), after_copy);
  pool_.run([&](unsigned worker) {
    std::uint64_t new_heap = 0;
    for (;;) {
      // A: expand units into the round's lists: first the worker's own share, then any left
      // in the others' shares.
      for (unsigned k = 0; k < threads_; ++k) {
        UnitClaim& claim = claims_[(worker + k) % threads_];
        for (;;) {
          const std::uint64_t unit = claim.next.fetch_add(1, std::memory_order_relaxed);
          if (unit >= claim.end) break;
          if (stopping()) continue;  // the unit stays unexpanded
          expand_unit_into(level, unit, worker);
          if (worker == 0) poll_limits();
        }
      }
      expanded.arrive_and_wait();
      // B: admit by group, each worker first the groups it had last round (their shards and
      // cache entries are warm in its core's cache), then any left. Worker 0 first gives back
      // the round's part of the level (nothing reads it any more).
      if (worker == 0) release_round(level);
      for (unsigned k = 0; k < kGroups; ++k) {
        const unsigned group = (worker * (kGroups / threads_) + k) % kGroups;
        if (!group_claimed_[group].exchange(true, std::memory_order_relaxed)) {
          group_worker_[group] = worker;
          admit_group(group, new_heap);
        }
      }
      admitted.arrive_and_wait();  // place_round, on one thread
      // C: the groups this worker admitted (their lists are warm in its cache) to their places.
      for (unsigned group = 0; group < kGroups; ++group) {
        if (group_worker_[group] == worker) copy_group(group, next);
      }
      copied.arrive_and_wait();  // end_round, on one thread
      if (rounds_over_) break;
    }
    new_heap_.fetch_add(new_heap, std::memory_order_relaxed);
  });
  lists_ = {};
  offsets_ = {};
  unit_worker_ = {};
  for (std::vector<Candidate*>& refs : survivors_) refs = {};
  lists_bytes_.store(0, std::memory_order_relaxed);
}

// Before phase A (one thread): the round's units cut into one contiguous share per worker, so
// that a worker's recent-key cache sees neighbouring parents (most duplicates come from them).
template <Model M>
void Bfs<M>::share_round() {
  const std::uint64_t count = round_end_ - round_begin_;
  for (unsigned w = 0; w < threads_; ++w) {
    claims_[w].next.store(round_begin_ + count * w / threads_, std::memory_order_relaxed);
    claims_[w].end = round_begin_ + count * (w + 1) / threads_;
    claims_[w].filter_from = round_begin_;
  }
}

// Phase A, one unit: every non-stutter successor that the worker's cache has not met and the
// visited set does not hold into the list of (unit, its group). Nothing inserts during the
// phase, so the lookups are read-only; the unit's successors are gathered first (like one
// thread's batches), and each lookup's slot is prefetched kAhead candidates before.
template <Model M>
void Bfs<M>::expand_unit_into(const Level& level, std::uint64_t unit, unsigned worker) {
  const std::uint64_t slot = unit - round_begin_;
  const std::uint64_t begin = unit * kUnit, end = std::min(level.size(), begin + kUnit);
  Candidates* lists = &lists_[slot * kGroups];
  std::size_t capacity_before = 0, capacity_after = 0;
  for (unsigned g = 0; g < kGroups; ++g) capacity_before += lists[g].capacity();
  Scratch& scratch = scratch_[worker];
  const std::uint64_t generated = generate(level, begin, end, tallies_[worker], scratch.batch);
  const std::size_t size = scratch.batch.size();
  if (local_recent_.empty()) {  // store mode files every candidate
    for (std::size_t i = 0; i < size; ++i) {
      lists[group_of(scratch.batch[i].key)].push_back(std::move(scratch.batch[i]));
    }
  } else {
    // The worker's cache. A unit taken from an earlier share than the worker's last one (work
    // stealing) must not be filtered by keys of later units: the cache is only written then.
    std::uint64_t* recent = local_recent_[worker].data();
    constexpr std::uint64_t kMask = (std::uint64_t{1} << kLocalRecentBits) - 1;
    const bool filter = unit >= claims_[worker].filter_from;
    claims_[worker].filter_from = std::max(claims_[worker].filter_from, unit + 1);
    if (scratch.survivors.size() < size) scratch.survivors.resize(size);
    std::uint32_t* survivors = scratch.survivors.data();
    std::size_t count = 0;
    for (std::size_t i = 0; i < size; ++i) {  // no branch: see candidate_batch.h
      const std::uint64_t key = scratch.batch[i].key;
      std::uint64_t& entry = recent[key & kMask];
      survivors[count] = std::uint32_t(i);
      count += entry == key && filter ? 0 : 1;
      entry = key;
    }
    for (std::size_t k = 0; k < std::min(count, kAhead); ++k) {
      visited_.prefetch_key(scratch.batch[survivors[k]].key);
    }
    for (std::size_t k = 0; k < count; ++k) {
      if (k + kAhead < count) visited_.prefetch_key(scratch.batch[survivors[k + kAhead]].key);
      Candidate& c = scratch.batch[survivors[k]];
      if (!visited_.contains_key(c.key)) lists[group_of(c.key)].push_back(std::move(c));
    }
  }
  scratch.batch.clear();
  for (unsigned g = 0; g < kGroups; ++g) capacity_after += lists[g].capacity();
  unit_worker_[slot] = worker + 1;
  generated_.fetch_add(generated, std::memory_order_relaxed);
  lists_bytes_.fetch_add((capacity_after - capacity_before) * sizeof(Candidate),
                         std::memory_order_relaxed);
}

// Phase B, one group: its lists in unit order, as one stream (so that the prefetches run ahead
// across lists), each list then compacted to its new states (kept in order). Only this thread
// inserts into the group's shards of the visited set, or writes the group's part of the
// recent-fingerprint cache, during the phase. Filtering the stream by the cache before admitting
// any of it keeps the outcome: a fingerprint's first occurrence goes on.
template <Model M>
void Bfs<M>::admit_group(unsigned group, std::uint64_t& new_heap) {
  std::vector<Candidate*>& refs = survivors_[group];
  const std::uint64_t slots = round_end_ - round_begin_;
  std::size_t total = 0;
  for (std::uint64_t slot = 0; slot < slots; ++slot) total += lists_[slot * kGroups + group].size();
  if (refs.size() < total) refs.resize(total);
  std::size_t count = 0;
  for (std::uint64_t slot = 0; slot < slots; ++slot) {  // the recent cache, in order
    for (Candidate& c : lists_[slot * kGroups + group]) {
      refs[count] = &c;
      const bool seen = seen_recently(c.key);
      count += seen ? 0 : 1;  // no branch: see candidate_batch.h
      c.key = seen ? 0 : c.key;  // 0: not new (no slot key is 0)
    }
  }
  for (std::size_t k = 0; k < std::min(count, kAhead); ++k) visited_.prefetch_key(refs[k]->key);
  for (std::size_t k = 0; k < count; ++k) {  // then the visited set, prefetched
    if (k + kAhead < count) visited_.prefetch_key(refs[k + kAhead]->key);
    if (!admit(*refs[k], new_heap)) refs[k]->key = 0;
  }
  for (std::uint64_t slot = 0; slot < slots; ++slot) {  // each list compacted to its new states
    Candidates& list = lists_[slot * kGroups + group];
    std::size_t kept = 0;
    for (Candidate& c : list) {
      if (c.key == 0) continue;
      if (&list[kept] != &c) list[kept] = std::move(c);
      ++kept;
    }
    list.erase(list.begin() + std::ptrdiff_t(kept), list.end());
  }
}

// Phase B, worker 0: the round's part of the level is released (phase A read it last).
template <Model M>
void Bfs<M>::release_round(Level& level) {
  level.states.release_before(std::min(level.size(), round_end_ * kUnit));
}

// After phase B (one thread): each list's place in the next level, unit after unit, group
// after group; the next level grows to hold them all.
template <Model M>
void Bfs<M>::place_round(Level& next) {
  std::uint64_t at = next.size();
  for (std::uint64_t list = 0; list < (round_end_ - round_begin_) * kGroups; ++list) {
    offsets_[list] = at;
    at += lists_[list].size();
  }
  next.states.extend(at - next.size());
  next.origins.extend(at - next.origins.size());
}

// Phase C, one group: its new states of the round to their places in the next level.
template <Model M>
void Bfs<M>::copy_group(unsigned group, Level& next) {
  for (std::uint64_t slot = 0; slot < round_end_ - round_begin_; ++slot) {
    Candidates& list = lists_[slot * kGroups + group];
    std::uint64_t at = offsets_[slot * kGroups + group];
    for (Candidate& c : list) {
      next.states[at] = c.state;
      next.origins[at] = c.origin;
      ++at;
    }
    list.clear();
  }
}

// After phase C (one thread): the round's expanded states are counted.
template <Model M>
void Bfs<M>::end_round() {
  std::uint64_t expanded = 0;
  for (std::uint64_t slot = 0; slot < round_end_ - round_begin_; ++slot) {
    if (unit_worker_[slot] == 0) continue;
    unit_worker_[slot] = 0;
    const std::uint64_t begin = (round_begin_ + slot) * kUnit;
    expanded += std::min(level_size_, begin + kUnit) - begin;
  }
  expanded_.fetch_add(expanded, std::memory_order_relaxed);
}

}  // namespace txsim::check
