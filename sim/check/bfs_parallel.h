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
  runs_.assign(kRoundUnits, UnitRun{});
  if (!arenas_) arenas_ = std::make_unique<CandidateArena<Candidate>[]>(threads_);
  offsets_.assign(kRoundUnits * kGroups, 0);
  unit_worker_.assign(kRoundUnits, 0);
  if (!local_recent_) local_recent_ = std::make_unique<RecentKeys[]>(threads_);
  if (!options_.store_states) {
    local_recent_[0].release();  // the lead's own units pass recent_
    for (unsigned w = 1; w < threads_; ++w) {
      // Each sees a share of the level; 3/4 of an entry per state of a 1/threads share.
      local_recent_[w].resize(RecentKeys::entries_for(level.size() * 3 / (4 * threads_)));
    }
  }
  if (!claims_) claims_ = std::make_unique<UnitClaim[]>(threads_);
  round_begin_ = 0;
  round_end_ = std::min(units, kRoundUnits);
  share_round();
  for (std::atomic<bool>& claimed : group_claimed_) claimed.store(false, std::memory_order_relaxed);
  rounds_over_ = false;
  // The completion steps run on one thread while the others wait at the barrier.
  auto after_expand = [this]() noexcept {
    for (std::atomic<bool>& claimed : group_claimed_)
      claimed.store(false, std::memory_order_relaxed);
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
      if (worker == 0) reserve_round(next);
      // A: expand units: first the worker's own share from its front (worker 0, the lead,
      // admits those at once, as one thread does), then any left in the others' shares from
      // their backs, into the round's lists.
      for (unsigned k = 0; k < threads_; ++k) {
        UnitClaim& claim = claims_[(worker + k) % threads_];
        std::uint64_t slot = 0;
        while (claim.take(/*front=*/k == 0, slot)) {
          if (stopping()) continue;  // the unit stays unexpanded
          ++(k == 0 ? claims_[worker].own : claims_[worker].stolen);
          if (worker == 0 && k == 0) {
            lead_unit(level, round_begin_ + slot, next);
          } else {
            expand_unit_into(level, round_begin_ + slot, worker);
          }
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
          admit_group(group, worker, new_heap);
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
  for (unsigned w = 0; w < threads_; ++w) arenas_[w].release();
  runs_ = {};
  offsets_ = {};
  unit_worker_ = {};
  arena_bytes_.store(0, std::memory_order_relaxed);
}

// Before phase A (one thread): the round's units cut into one contiguous share per worker, so
// that a worker's recent-key cache sees neighbouring parents (most duplicates come from them).
template <Model M>
void Bfs<M>::share_round() {
  const std::uint64_t count = round_end_ - round_begin_;
  const std::uint64_t lead = lead_share(count);
  for (unsigned w = 0; w < threads_; ++w) {
    const std::uint64_t front = w == 0 ? 0 : lead + (count - lead) * (w - 1) / (threads_ - 1);
    const std::uint64_t back = w == 0 ? lead : lead + (count - lead) * w / (threads_ - 1);
    claims_[w].set(front, back, round_begin_);
  }
}

// Units of a round of `count` that worker 0 (the lead) takes first (its share). At first: its
// units cost about 4/3 of another worker's in phase A (it admits them too), and phase B is
// shared by all. Then each round moves the share by the stealing (end_round).
template <Model M>
std::uint64_t Bfs<M>::lead_share(std::uint64_t count) {
  if (options_.lead_share_64ths != 0) {
    return std::min(count, count * options_.lead_share_64ths / 64);
  }
  if (lead_16ths_ == 0) lead_16ths_ = kRoundUnits * 16 * 3 / (3 + 4 * (threads_ - 1));
  return std::min(count, lead_16ths_ * count / (kRoundUnits * 16));
}

// Phase A, worker 0, its own share (a prefix of the round, in order): one thread's steps, the
// new states appended to the next level at once (they are the round's first).
template <Model M>
void Bfs<M>::lead_unit(Level& level, std::uint64_t unit, Level& next) {
  const std::uint64_t begin = unit * kUnit, end = std::min(level.size(), begin + kUnit);
  const std::uint64_t done = expand_unit(level, unit, next);
  if (begin + done == end) {
    unit_worker_[unit - round_begin_] = 1;
  } else {
    expanded_.fetch_add(done, std::memory_order_relaxed);
  }
}

// Phase A, one unit: every non-stutter successor that the worker's cache has not met, filed
// into the unit's run in the worker's arena. The unit's successors are gathered kBatch parents
// at a time (like one thread's batches), each batch filtered at once, so the scratch batch
// holds the unit's survivors and one batch (it held the whole unit's successors: 256 KiB on
// TwoPhase, 8 RMs, outside the memory estimate). The visited set is not asked: phase B's
// insert answers for the survivors at the same cost, and asking twice cost more than the
// candidates it spared (docs/performance.md).
template <Model M>
void Bfs<M>::expand_unit_into(const Level& level, std::uint64_t unit, unsigned worker) {
  const std::uint64_t slot = unit - round_begin_;
  const std::uint64_t begin = unit * kUnit, end = std::min(level.size(), begin + kUnit);
  Scratch& scratch = scratch_[worker];
  // The worker's cache. A unit taken from an earlier share than the worker's last one (work
  // stealing) must not be filtered by keys of later units: the cache is only written then.
  const bool filter = unit >= claims_[worker].filter_from;
  claims_[worker].filter_from = std::max(claims_[worker].filter_from, unit + 1);
  const std::size_t batch_bytes = scratch.batch.bytes();
  std::uint64_t generated = 0;
  std::size_t count = 0;  // the survivors so far, at the front of the batch
  for (std::uint64_t p = begin; p < end; p += kBatch) {
    generated += generate(level, p, std::min(end, p + kBatch), tallies_[worker], scratch.batch,
                          &local_recent_[worker]);
    count = keep_unmet(scratch.batch, count, local_recent_[worker], filter);
  }
  CandidateArena<Candidate>& arena = arenas_[worker];
  const std::size_t bytes_before = arena.bytes();
  file_run(scratch.batch, runs_[slot], arena);
  scratch.batch.clear();
  note_batch_growth(batch_bytes, scratch);
  unit_worker_[slot] = worker + 1;
  generated_.fetch_add(generated, std::memory_order_relaxed);
  if (arena.bytes() != bytes_before) {
    arena_bytes_.fetch_add(arena.bytes() - bytes_before, std::memory_order_relaxed);
  }
}

// Phase A: the candidates of batch[from, size()) that the cache has not met (all of them in
// store mode, where the caches are unused) moved down to follow the first `from`, in order;
// returns how many the batch keeps. Every key is written to the cache; it is only read when
// `filter` (see expand_unit_into). Trivially copyable states only, as the whole parallel path.
template <Model M>
std::size_t Bfs<M>::keep_unmet(CandidateBatch<Candidate>& batch, std::size_t from,
                               RecentKeys& recent, bool filter) {
  if (recent.empty()) return batch.size();
  std::size_t count = from;
  for (std::size_t i = from; i < batch.size(); ++i) {  // no branch: see candidate_batch.h
    const std::uint64_t key = batch[i].key;
    std::uint64_t& entry = recent.entry(key);
    // Not `entry == key && filter`: GCC made that a branch on the (unpredictable) compare.
    const unsigned keep = unsigned(entry != key) | unsigned(!filter);
    entry = key;
    batch[count] = batch[i];
    count += keep;
  }
  batch.truncate(count);
  return count;
}

// Phase A: a unit's candidates into one run of the arena, group after group (a counting sort,
// stable: each group's candidates keep their emission order).
template <Model M>
void Bfs<M>::file_run(const CandidateBatch<Candidate>& batch, UnitRun& run,
                      CandidateArena<Candidate>& arena) {
  const std::size_t count = batch.size();
  std::uint32_t at[kGroups] = {};
  for (std::size_t k = 0; k < count; ++k) ++at[group_of(batch[k].key)];
  std::uint32_t sum = 0;
  for (unsigned g = 0; g < kGroups; ++g) {
    sum += at[g];
    run.end[g] = sum;
    at[g] = sum - at[g];
  }
  run.data = arena.room(count);
  for (std::size_t k = 0; k < count; ++k) {
    const Candidate& c = batch[k];
    run.data[at[group_of(c.key)]++] = c;
  }
  arena.use(count);
}

// Phase B, one group: its slices of the round's runs in unit order, as one stream, each slice
// then compacted to its new states (kept in order). Only this thread inserts into the group's
// shards of the visited set, or writes the group's part of the recent-key cache, during the
// phase.
//
// Two passes, as one thread's batches (candidate_batch.h): the recent cache first, without a
// branch (every candidate is written to the stream, which advances past the unmet ones), then
// the visited set, each slot prefetched kAhead candidates before, across slices. Deciding both
// inline cost a mispredicted branch on about every third candidate. The stream holds pointers
// to a round's candidates of one group (a few thousand; their bytes are in batch_bytes_).
template <Model M>
void Bfs<M>::admit_group(unsigned group, unsigned worker, std::uint64_t& new_heap) {
  const std::uint64_t slots = round_end_ - round_begin_;
  Scratch& scratch = scratch_[worker];
  std::size_t total = 0;
  for (std::uint64_t slot = 0; slot < slots; ++slot) {
    total += runs_[slot].end[group] - runs_[slot].begin(group);
  }
  if (scratch.stream.size() < total) {
    const std::size_t bytes = scratch.stream.capacity() * sizeof(Candidate*);
    scratch.stream.resize(total);
    batch_bytes_.fetch_add(scratch.stream.capacity() * sizeof(Candidate*) - bytes,
                           std::memory_order_relaxed);
  }
  Candidate** stream = scratch.stream.data();
  std::uint32_t unmet_end[kRoundUnits];  // by slot: the end of its unmet candidates in stream
  std::size_t unmet = 0;
  for (std::uint64_t slot = 0; slot < slots; ++slot) {
    const UnitRun& run = runs_[slot];
    Candidate* const end = run.data + run.end[group];
    if (recent_.empty()) {
      for (Candidate* c = run.data + run.begin(group); c != end; ++c) stream[unmet++] = c;
    } else {
      for (Candidate* c = run.data + run.begin(group); c != end; ++c) {
        stream[unmet] = c;
        unmet += recent_.seen(c->key) ? 0 : 1;
      }
    }
    unmet_end[slot] = std::uint32_t(unmet);
  }
  for (std::size_t k = 0; k < std::min(unmet, kAhead); ++k) visited_.prefetch_key(stream[k]->key);
  std::size_t k = 0;
  for (std::uint64_t slot = 0; slot < slots; ++slot) {
    UnitRun& run = runs_[slot];
    Candidate* const slice = run.data + run.begin(group);
    std::uint32_t kept = 0;
    for (; k < unmet_end[slot]; ++k) {
      if (k + kAhead < unmet) visited_.prefetch_key(stream[k + kAhead]->key);
      Candidate& c = *stream[k];
      const bool fresh = admit(c, new_heap);
      slice[kept] = c;  // at or before c's own place: the slice is compacted in order
      kept += fresh ? 1 : 0;
    }
    run.kept[group] = kept;
  }
}

// Phase B, worker 0: the round's part of the level is released (phase A read it last).
template <Model M>
void Bfs<M>::release_round(Level& level) {
  level.states.release_before(std::min(level.size(), round_end_ * kUnit));
}

// Phase A, worker 0, first: room in the next level for a quarter more new states than the last
// round found, so that the one-thread step after phase B seldom allocates; the work is shared
// out by the units the other workers take meanwhile.
template <Model M>
void Bfs<M>::reserve_round(Level& next) {
  const std::uint64_t room = last_round_new_ + last_round_new_ / 4;
  round_first_ = next.size();
  next.states.reserve(next.size() + room);
  next.origins.reserve(next.origins.size() + room);
}

// After phase B (one thread): each list's place in the next level, unit after unit, group
// after group; the next level grows to hold them all.
template <Model M>
void Bfs<M>::place_round(Level& next) {
  std::uint64_t at = next.size();
  for (std::uint64_t list = 0; list < (round_end_ - round_begin_) * kGroups; ++list) {
    offsets_[list] = at;
    at += runs_[list / kGroups].kept[list % kGroups];
  }
  next.states.extend(at - next.size());
  next.origins.extend(at - next.origins.size());
  last_round_new_ = at - round_first_;
}

// Phase C, one group: its new states of the round to their places in the next level.
template <Model M>
void Bfs<M>::copy_group(unsigned group, Level& next) {
  for (std::uint64_t slot = 0; slot < round_end_ - round_begin_; ++slot) {
    const UnitRun& run = runs_[slot];
    const Candidate* slice = run.data + run.begin(group);
    const std::uint64_t at = offsets_[slot * kGroups + group];
    const std::uint64_t unit_begin = (round_begin_ + slot) * kUnit;
    for (std::uint32_t i = 0; i < run.kept[group]; ++i) {
      next.states[at + i] = slice[i].state;
      next.origins[at + i] = origin_of(unit_begin, slice[i].origin);
    }
  }
}

// After phase C (one thread): the round's expanded states are counted, its runs emptied, and
// the lead's share moved by half the units stolen from or by it (a stolen unit of the lead's
// share is filed unfiltered, and one the lead steals too: both cost phase B more).
template <Model M>
void Bfs<M>::end_round() {
  if (round_end_ - round_begin_ == kRoundUnits) {
    const UnitClaim& lead = claims_[0];
    const auto moved = std::int64_t(lead.stolen) - std::int64_t(lead.share - lead.own);
    lead_16ths_ = std::uint64_t(std::clamp<std::int64_t>(std::int64_t(lead_16ths_) + moved * 8,
                                                         16, (kRoundUnits - 1) * 16));
  }
  std::uint64_t expanded = 0;
  for (unsigned w = 0; w < threads_; ++w) arenas_[w].rewind();
  for (std::uint64_t slot = 0; slot < round_end_ - round_begin_; ++slot) {
    runs_[slot] = UnitRun{};
    if (unit_worker_[slot] == 0) continue;
    unit_worker_[slot] = 0;
    const std::uint64_t begin = (round_begin_ + slot) * kUnit;
    expanded += std::min(level_size_, begin + kUnit) - begin;
  }
  expanded_.fetch_add(expanded, std::memory_order_relaxed);
}

}  // namespace txsim::check
