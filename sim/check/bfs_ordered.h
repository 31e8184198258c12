// Bfs<M>, continued: a level of states that own heap memory (ProtocolModel's worlds) expanded
// on several threads. Included by bfs.h only.
//
// Such a state costs microseconds to expand: a world copy and a handler run per successor, a
// canonical encoding per fingerprint (2PC, 4 participants: ~28 us a state, against ~0.3 us for
// the textbook TwoPhase). So the work worth sharing is the generation, and admitting is a small
// part of it. Workers take batches of kBatch parents in level order and generate their
// successors (stutters dropped, slot keys computed) into slots of their own; the batch
// next in level order is admitted by whichever worker finds it ready, then every ready batch
// after it, one admitter at a time: the recent cache, the visited set, the per-group lists
// appended at each unit's end. Those are one thread's steps in one thread's order
// (expand_unit), so the next level, its parents and the counts are one thread's, whatever the
// number of threads.
//
// A worker that gets kWindowPerThread * threads batches ahead of the admitted ones waits: the
// window bounds the candidates held (each owns its world's heap). Each worker generates into
// slots of its own, and the candidates an admission leaves behind (duplicates, moved-from
// shells) are destroyed when the worker next fills the slot: off the admitting thread, and by
// the thread that allocated them. (Slots shared by all workers made most frees cross-thread,
// and mimalloc then took two threads 2.5x the CPU of one.) Parents go back the same way:
// release_parents below. At most 256 workers (a byte per state says which allocated it).
//
// (The three-phase rounds of bfs_parallel.h need trivially copyable states; made to carry
// worlds in session 4, they cost two threads twice the CPU of one: docs/performance.md.)
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "sim/check/bfs.h"

namespace txsim::check {

template <Model M>
void Bfs<M>::expand_ordered(Level& level, Level& next) {
  const std::uint64_t batches = (level.size() + kBatch - 1) / kBatch;
  const std::uint64_t window = kWindowPerThread * threads_;
  // Each worker has a slot for every place of the window: it may be that far ahead alone.
  if (!pending_) pending_ = std::make_unique<PendingBatch[]>(window * threads_);
  if (!graveyards_) graveyards_ = std::make_unique<Graveyard[]>(threads_);
  static_assert(sizeof(Candidate::owner) == 1);
  TXSIM_ASSERT(threads_ <= 256 && level.owners.size() == level.size());
  std::vector<PendingBatch*> ready(window, nullptr);  // by batch % window (guarded by mutex)
  std::atomic<std::uint64_t> next_batch{0};
  std::mutex mutex;
  std::condition_variable room;  // a batch was admitted
  std::uint64_t admitted = 0;    // batches admitted, in order (guarded by mutex)
  bool admitting = false;        // a worker is admitting (guarded by mutex)
  pool_.run([&](unsigned worker) {
    PendingBatch* const own = &pending_[worker * window];
    std::uint64_t new_heap = 0;
    for (;;) {
      const std::uint64_t b = next_batch.fetch_add(1, std::memory_order_relaxed);
      if (b >= batches) break;
      PendingBatch* slot = nullptr;
      {
        std::unique_lock lock(mutex);
        room.wait(lock, [&] { return b < admitted + window; });
        slot = std::find_if(own, own + window, [](const PendingBatch& p) { return !p.busy; });
        TXSIM_ASSERT(slot != own + window);
        slot->busy = true;
      }
      Scratch& scratch = slot->scratch;
      const std::size_t batch_bytes = scratch.batch.bytes();
      clear_pending(*slot);  // what the slot's last admission left, freed by its allocator
      slot->skipped = stopping();
      bury(worker);
      if (!slot->skipped) {
        const std::uint64_t begin = b * kBatch, end = std::min(level.size(), begin + kBatch);
        // No cache to prefetch for: the admitter, maybe another thread, filters the batch.
        generated_.fetch_add(
            generate(level, begin, end, tallies_[worker], scratch.batch, nullptr),
            std::memory_order_relaxed);
        for (std::size_t i = 0; i < scratch.batch.size(); ++i) {
          scratch.batch[i].owner = std::uint8_t(worker);
          slot->heap += state_bytes(model_, scratch.batch[i].state) - sizeof(State);
        }
        pending_heap_.fetch_add(slot->heap, std::memory_order_relaxed);
      }
      note_batch_growth(batch_bytes, scratch);
      std::unique_lock lock(mutex);
      ready[b % window] = slot;
      if (admitting) continue;  // the admitter will come to it
      admitting = true;
      while (admitted < batches && ready[admitted % window] != nullptr) {
        PendingBatch& first = *ready[admitted % window];
        lock.unlock();
        admit_pending(level, admitted, first, next, worker, new_heap);
        lock.lock();
        ready[admitted % window] = nullptr;
        first.busy = false;
        ++admitted;
        room.notify_all();
      }
      admitting = false;
    }
    new_heap_.fetch_add(new_heap, std::memory_order_relaxed);
  });
  // Every batch is admitted now (a worker that ran out of batches may have left some pending):
  // each worker frees what its slots and its graveyard still hold.
  pool_.run([&](unsigned worker) {
    for (std::uint64_t s = 0; s < window; ++s) clear_pending(pending_[worker * window + s]);
    bury(worker);
  });
}

// The slot's candidates destroyed (on the thread that generated them), and their heap no longer
// counted. Counted until then: admitted ones are also in new_heap_ meanwhile, which errs on the
// safe side for --max-memory (the window's worlds had gone uncounted: on 2PC with 4
// participants, two threads ran 11 MB past a 20 MB limit).
template <Model M>
void Bfs<M>::clear_pending(PendingBatch& pending) {
  pending.scratch.batch.clear();
  pending_heap_.fetch_sub(pending.heap, std::memory_order_relaxed);
  pending.heap = 0;
}

// One admitter at a time, batches in level order: one thread's steps (expand_unit).
template <Model M>
void Bfs<M>::admit_pending(Level& level, std::uint64_t batch, PendingBatch& pending, Level& next,
                           unsigned worker, std::uint64_t& new_heap) {
  const std::uint64_t begin = batch * kBatch, end = std::min(level.size(), begin + kBatch);
  if (!pending.skipped) {
    admit_batch(pending.scratch, new_heap);
    expanded_.fetch_add(end - begin, std::memory_order_relaxed);
  }
  if (end % kUnit == 0 || end == level.size()) {  // the unit's new states, group after group
    const std::uint64_t unit_begin = begin / kUnit * kUnit;
    for (Candidates& kept : kept_) append(kept, unit_begin, next);
    if (!pending.skipped) release_parents(level, unit_begin, end, worker);
  }
  poll_limits();
}

// The admitter, after a unit: its parents freed, each by the thread that allocated it. The
// admitter frees its own; the others' are moved (no allocation: a world's parts are vectors)
// to their graveyards, and the chunks then hold moved-from shells. mimalloc makes a free from
// another thread costly: with the admitter freeing every parent, two threads took 2.3x the
// CPU of one on 2PC with 4 participants (docs/performance.md).
template <Model M>
void Bfs<M>::release_parents(Level& level, std::uint64_t begin, std::uint64_t end,
                             unsigned worker) {
  for (unsigned w = 0; w < threads_; ++w) {
    if (w == worker) continue;
    Graveyard& graveyard = graveyards_[w];
    std::lock_guard lock(graveyard.mutex);
    for (std::uint64_t p = begin; p < end; ++p) {
      if (level.owners[p] == w) graveyard.dead.push_back(std::move(level.states[p]));
    }
  }
  level.states.release_before(end);
}

// A worker frees the parents others moved to its graveyard.
template <Model M>
void Bfs<M>::bury(unsigned worker) {
  Graveyard& graveyard = graveyards_[worker];
  {
    std::lock_guard lock(graveyard.mutex);
    graveyard.dead.swap(graveyard.spare);
  }
  graveyard.spare.clear();  // the vectors' own buffers are never freed: they move between threads
}

}  // namespace txsim::check
