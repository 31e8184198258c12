// Bfs<M>, continued: expanding a level on several threads, in rounds of three phases (expand
// by unit, admit by group, append in order). Included by bfs.h only; see there for why the
// result is the same as with one thread.
#pragma once

#include <barrier>
#include <vector>

#include "sim/check/bfs.h"

namespace txsim::check {

template <Model M>
void Bfs<M>::expand_parallel(Level& level, Level& next) {
  const std::uint64_t units = (level.size() + kUnit - 1) / kUnit;
  lists_.resize(kRoundUnits * kGroups);
  unit_worker_.assign(kRoundUnits, 0);
  survivors_.resize(kGroups);
  round_begin_ = 0;
  round_end_ = std::min(units, kRoundUnits);
  next_unit_.store(0, std::memory_order_relaxed);
  for (std::atomic<bool>& claimed : group_claimed_) claimed.store(false, std::memory_order_relaxed);
  rounds_over_ = false;
  // The completion steps run on one thread while the others wait at the barrier.
  auto after_expand = [this]() noexcept {
    for (std::atomic<bool>& claimed : group_claimed_) claimed.store(false, std::memory_order_relaxed);
  };
  auto after_admit = []() noexcept {};
  auto after_drop = [this, &level, &next, units]() noexcept {
    end_round(level, next);
    round_begin_ = round_end_;
    round_end_ = std::min(units, round_begin_ + kRoundUnits);
    next_unit_.store(round_begin_, std::memory_order_relaxed);
    rounds_over_ = round_begin_ >= units || stopping();
  };
  std::barrier expanded(std::ptrdiff_t(threads_), after_expand);
  std::barrier admitted(std::ptrdiff_t(threads_), after_admit);
  std::barrier dropped(std::ptrdiff_t(threads_), after_drop);
  pool_.run([&](unsigned worker) {
    std::uint64_t new_heap = 0;
    for (;;) {
      for (;;) {  // A: expand units into the round's lists
        const std::uint64_t unit = next_unit_.fetch_add(1, std::memory_order_relaxed);
        if (unit >= round_end_) break;
        if (stopping()) continue;  // the unit stays unexpanded
        expand_unit_into(level, unit, worker);
        if (worker == 0) poll_limits();
      }
      expanded.arrive_and_wait();
      // B: admit by group, each worker first the groups it had last round (their shards and
      // cache entries are warm in its core's cache), then any left.
      for (unsigned k = 0; k < kGroups; ++k) {
        const unsigned group = (worker * (kGroups / threads_) + k) % kGroups;
        if (!group_claimed_[group].exchange(true, std::memory_order_relaxed)) {
          admit_group(group, new_heap);
        }
      }
      admitted.arrive_and_wait();
      drop_rejected(worker);
      dropped.arrive_and_wait();  // C: end_round, on one thread
      if (rounds_over_) break;
    }
    new_heap_.fetch_add(new_heap, std::memory_order_relaxed);
  });
  lists_ = {};
  unit_worker_ = {};
  survivors_ = {};
  lists_bytes_.store(0, std::memory_order_relaxed);
}

// Phase A, one unit: every non-stutter successor into the list of (unit, its group).
template <Model M>
void Bfs<M>::expand_unit_into(const Level& level, std::uint64_t unit, unsigned worker) {
  const std::uint64_t slot = unit - round_begin_;
  const std::uint64_t begin = unit * kUnit, end = std::min(level.size(), begin + kUnit);
  Candidates* lists = &lists_[slot * kGroups];
  std::size_t capacity_before = 0, capacity_after = 0;
  for (unsigned g = 0; g < kGroups; ++g) capacity_before += lists[g].capacity();
  std::uint64_t generated = 0;
  for (std::uint64_t p = begin; p < end; ++p) {
    generated += expand_state(level, p, tallies_[worker], [&](Candidate&& c) {
      // Read-only here: phase B writes the cache.
      if (!recent_.empty() && recent_entry(c.key) == c.key) return;
      lists[group_of(c.key)].push_back(std::move(c));
    });
  }
  for (unsigned g = 0; g < kGroups; ++g) capacity_after += lists[g].capacity();
  unit_worker_[slot] = worker + 1;
  generated_.fetch_add(generated, std::memory_order_relaxed);
  lists_bytes_.fetch_add((capacity_after - capacity_before) * sizeof(Candidate),
                         std::memory_order_relaxed);
}

// Phase B, one group: its lists in unit order; the candidates that are not new are marked.
// Only this thread inserts into the group's shards of the visited set, or writes the group's
// part of the recent-fingerprint cache, during the phase. Filtering a list by the cache before
// admitting any of it keeps the outcome: a fingerprint's first occurrence goes on.
template <Model M>
void Bfs<M>::admit_group(unsigned group, std::uint64_t& new_heap) {
  std::vector<std::uint32_t>& survivors = survivors_[group];
  for (std::uint64_t slot = 0; slot < round_end_ - round_begin_; ++slot) {
    Candidates& list = lists_[slot * kGroups + group];
    survivors.clear();  // first the recent-fingerprint cache, in order
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (seen_recently(list[i].key)) {
        list[i].origin = kRejected;
      } else {
        survivors.push_back(std::uint32_t(i));
      }
    }
    for (std::size_t k = 0; k < survivors.size(); ++k) {  // then the visited set, prefetched
      if (k + kAhead < survivors.size()) visited_.prefetch_key(list[survivors[k + kAhead]].key);
      Candidate& c = list[survivors[k]];
      if (!admit(c, new_heap)) c.origin = kRejected;
    }
  }
}

// After phase B, each worker on the units it expanded: the rejected candidates are destroyed by
// the thread that allocated them (states owning heap memory: cross-thread frees were most of
// the CPU with malloc), the kept ones stay in order.
template <Model M>
void Bfs<M>::drop_rejected(unsigned worker) {
  for (std::uint64_t slot = 0; slot < round_end_ - round_begin_; ++slot) {
    if (unit_worker_[slot] != worker + 1) continue;
    for (unsigned g = 0; g < kGroups; ++g) {
      Candidates& list = lists_[slot * kGroups + g];
      std::erase_if(list, [](const Candidate& c) { return c.origin == kRejected; });
    }
  }
}

// Phase C: the new states into the next level, by unit then group; the round's part of the
// level is released.
template <Model M>
void Bfs<M>::end_round(Level& level, Level& next) {
  std::uint64_t expanded = 0;
  for (std::uint64_t slot = 0; slot < round_end_ - round_begin_; ++slot) {
    for (unsigned g = 0; g < kGroups; ++g) append(lists_[slot * kGroups + g], next);
    if (unit_worker_[slot] == 0) continue;
    unit_worker_[slot] = 0;
    const std::uint64_t begin = (round_begin_ + slot) * kUnit;
    expanded += std::min(level.size(), begin + kUnit) - begin;
  }
  expanded_.fetch_add(expanded, std::memory_order_relaxed);
  level.states.release_before(std::min(level.size(), round_end_ * kUnit));
}

}  // namespace txsim::check
