// Bfs<M>, continued: expanding a level on several threads, in rounds of three phases (expand
// by unit, admit by group, copy to offsets from a prefix sum). Included by bfs.h only; see
// there for why the result is the same as with one thread.
#pragma once

#include <barrier>
#include <cstddef>
#include <new>
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
  auto after_copy = [this, &level, units]() noexcept {
    end_round(level);
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
      // cache entries are warm in its core's cache), then any left.
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
  for (std::vector<std::uint32_t>& survivors : survivors_) survivors = {};
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
// phase, so the lookups are read-only; they run kAhead candidates behind, the slots prefetched.
template <Model M>
void Bfs<M>::expand_unit_into(const Level& level, std::uint64_t unit, unsigned worker) {
  const std::uint64_t slot = unit - round_begin_;
  const std::uint64_t begin = unit * kUnit, end = std::min(level.size(), begin + kUnit);
  Candidates* lists = &lists_[slot * kGroups];
  // Fingerprint mode: the worker's cache and the lookups; store mode files every candidate.
  // A unit taken from an earlier share than the worker's last one (work stealing) must not be
  // filtered by keys of later units: the cache is only written then.
  std::uint64_t* recent = local_recent_.empty() ? nullptr : local_recent_[worker].data();
  const bool filter = unit >= claims_[worker].filter_from;
  claims_[worker].filter_from = std::max(claims_[worker].filter_from, unit + 1);
  constexpr std::uint64_t kMask = (std::uint64_t{1} << kLocalRecentBits) - 1;
  // The ring holds trivially copyable candidates (the parallel path's states are); raw bytes,
  // as State need not be default-constructible.
  alignas(Candidate) std::byte ring[kAhead * sizeof(Candidate)];
  const auto ring_at = [&](std::size_t i) {
    return reinterpret_cast<Candidate*>(ring) + i % kAhead;
  };
  std::size_t queued = 0;  // candidates in the ring; the oldest is at queued % kAhead
  const auto file = [&](Candidate* c) {
    c = std::launder(c);
    if (!visited_.contains_key(c->key)) lists[group_of(c->key)].push_back(std::move(*c));
  };
  std::size_t capacity_before = 0, capacity_after = 0;
  for (unsigned g = 0; g < kGroups; ++g) capacity_before += lists[g].capacity();
  std::uint64_t generated = 0;
  for (std::uint64_t p = begin; p < end; ++p) {
    generated += expand_state(level, p, tallies_[worker], [&](Candidate&& c) {
      if (recent == nullptr) {
        lists[group_of(c.key)].push_back(std::move(c));
        return;
      }
      std::uint64_t& entry = recent[c.key & kMask];
      if (entry == c.key && filter) return;
      entry = c.key;
      visited_.prefetch_key(c.key);
      if (queued >= kAhead) file(ring_at(queued));
      ::new (static_cast<void*>(ring_at(queued))) Candidate(std::move(c));
      ++queued;
    });
  }
  for (std::size_t i = queued > kAhead ? queued - kAhead : 0; i < queued; ++i) {
    file(ring_at(i));  // the ring's rest, oldest first
  }
  for (unsigned g = 0; g < kGroups; ++g) capacity_after += lists[g].capacity();
  unit_worker_[slot] = worker + 1;
  generated_.fetch_add(generated, std::memory_order_relaxed);
  lists_bytes_.fetch_add((capacity_after - capacity_before) * sizeof(Candidate),
                         std::memory_order_relaxed);
}

// Phase B, one group: its lists in unit order, each compacted to its new states (kept in
// order). Only this thread inserts into the group's shards of the visited set, or writes the
// group's part of the recent-fingerprint cache, during the phase. Filtering a list by the cache
// before admitting any of it keeps the outcome: a fingerprint's first occurrence goes on.
template <Model M>
void Bfs<M>::admit_group(unsigned group, std::uint64_t& new_heap) {
  std::vector<std::uint32_t>& survivors = survivors_[group];
  for (std::uint64_t slot = 0; slot < round_end_ - round_begin_; ++slot) {
    Candidates& list = lists_[slot * kGroups + group];
    survivors.clear();  // first the recent-fingerprint cache, in order
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!seen_recently(list[i].key)) survivors.push_back(std::uint32_t(i));
    }
    std::size_t kept = 0;
    for (std::size_t k = 0; k < survivors.size(); ++k) {  // then the visited set, prefetched
      if (k + kAhead < survivors.size()) visited_.prefetch_key(list[survivors[k + kAhead]].key);
      Candidate& c = list[survivors[k]];
      if (!admit(c, new_heap)) continue;
      if (kept != survivors[k]) list[kept] = std::move(c);  // kept <= survivors[k]
      ++kept;
    }
    list.erase(list.begin() + std::ptrdiff_t(kept), list.end());
  }
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

// After phase C (one thread): the round's part of the level is counted and released.
template <Model M>
void Bfs<M>::end_round(Level& level) {
  std::uint64_t expanded = 0;
  for (std::uint64_t slot = 0; slot < round_end_ - round_begin_; ++slot) {
    if (unit_worker_[slot] == 0) continue;
    unit_worker_[slot] = 0;
    const std::uint64_t begin = (round_begin_ + slot) * kUnit;
    expanded += std::min(level.size(), begin + kUnit) - begin;
  }
  expanded_.fetch_add(expanded, std::memory_order_relaxed);
  level.states.release_before(std::min(level.size(), round_end_ * kUnit));
}

}  // namespace txsim::check
