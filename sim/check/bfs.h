// Bfs<M>: level-synchronous breadth-first search, on one thread or several, with results that
// do not depend on the number of threads: same counts, verdict and counterexample.
//
// The order of a level. A level (the initial states are level 1) is cut into units of kUnit
// consecutive states, and fingerprints into kGroups groups (by FingerprintSet shard). The next
// level lists, unit after unit and within a unit group after group, the new states in the order
// their parents emitted them; a new state's parent is the first state, in level order, that
// emitted it. Both rules are fixed, so the next level is the same list whatever the threads.
// (Storing a level group after group instead would spare the parallel search a copy, but loses
// locality: siblings land far apart, their common successors miss the recent cache, and one
// thread got 14% slower.)
//
// One thread (and small levels): each unit is expanded in order, in batches of kBatch states
// (candidate_batch.h): the successors of a batch other than their parent (a stutter: the parent
// is visited already) are gathered with their fingerprints, those met a moment ago are dropped
// (the recent cache), and the rest are inserted into the visited set in emission order, each
// slot prefetched kAhead candidates before. New states go to a per-group list, appended to the
// next level when the unit ends.
//
// Several threads: the level is expanded in rounds of kRoundUnits units, three phases each.
//  A. each worker has a contiguous share of the round; worker 0's (the lead's) comes first.
//     The lead expands its units from the front and admits their successors at once, with one
//     thread's steps: they are the first candidates of the round for every group, and nobody
//     else touches the visited set in this phase. The others expand theirs and file each
//     non-stutter successor (state, key, origin) into the unit's run in their arena
//     (candidate_arena.h), sorted by group: the list of (unit, group) is a slice of it. Their
//     own recent-key cache drops some first, exactly: a key met in an earlier unit of the
//     worker's share is earlier in level order, so that occurrence reaches phase B first.
//     A worker out of units takes others' from the back and files them (so the lead's admitted
//     units stay a prefix); the lead's share follows the stealing from round to round.
//     The lead first reserves the round's room in the next level;
//  B. workers take groups (32 of 2 shards each: fine enough that they finish together); a
//     group's worker passes its lists, unit after unit, by the group's part of recent_, inserts
//     the keys left into its own shards of the visited set (no locks, no atomics) and compacts
//     each list to the new states; meanwhile worker 0 releases the expanded part of the level;
//     a completion step sums the lists' sizes into offsets in the next level;
//  C. each worker copies the lists of the groups it admitted to their offsets, in parallel.
// Same insertion order per group as one thread, so the same states are kept, with the same
// parents, in the same order. (The lead took TwoPhase with 8 RMs on two threads from 1.49 to
// 1.60 times one thread's speed; docs/performance.md, session 8.)
//
// States that own heap memory (ProtocolModel's worlds, not trivially copyable) cost
// microseconds each to expand, so their levels share only the generation: workers generate
// batches of parents in parallel, and the batches are admitted one at a time in level order,
// with one thread's steps (bfs_ordered.h). Each state is freed by the thread that allocated it.
//
// Then commit: the new level is checked (in parallel) and its trace records appended. A state
// with no successor where terminal_ok() is false is noted as blocking. Between levels the search
// stops on a blocking state, then on a violation, choosing the one with the smallest fingerprint
// (then position) so that the report is thread-independent. A counterexample is therefore a
// shortest one, rebuilt from the trace store (replay.h).
//
// Limits are polled every unit by worker 0 (Monitor): the stop flag and memory; states_max is
// exact, each new state being reserved before it is admitted. A limit ends the level early (one
// thread: before the next batch, which is one state when states_max is set; several: before
// the next unit); the states found so far are still committed and checked, then the verdict is
// incomplete.
//
// Memory per distinct state: visited set ~10 bytes (staggered shards), trace store
// ~bit_width(level) + a few bits; plus the unexpanded part of the current level and the next
// level (states and 8-byte origins, freed as they are expanded; half a level's origin chunks
// are kept for the next), the recent-key caches (8 bytes an entry, about one entry per state of
// the level expanded), and with several threads one round of candidates. All of it is in
// memory_estimate().
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <type_traits>
#include <vector>

#include "sim/check/candidate_arena.h"
#include "sim/check/candidate_batch.h"
#include "sim/check/check_options.h"
#include "sim/check/check_result.h"
#include "sim/check/chunked_vector.h"
#include "sim/check/memory.h"
#include "sim/check/model.h"
#include "sim/check/model_support.h"
#include "sim/check/monitor.h"
#include "sim/check/recent_keys.h"
#include "sim/check/replay.h"
#include "sim/check/trace_store.h"
#include "sim/check/unit_claim.h"
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
        // Heap-owning states record their allocating worker in a byte (Level::owners).
        threads_(std::clamp(options.threads, 1u, kFlat ? ~0u : 256u)),
        depth_max_(std::max<std::uint64_t>(1, options.depth_max)),
        limited_(options.states_max != kUnbounded),
        pool_(threads_),
        monitor_(options),
        visited_(Visited<State>::for_model(model, options.store_states)),
        tallies_(threads_),
        scratch_(std::make_unique<Scratch[]>(threads_)) {}

  CheckResult<M> run();

 private:
  static constexpr std::uint64_t kUnit = 256;          // states per unit: fixes the level order
  static constexpr std::uint64_t kBatch = 64;          // states per batch (one thread)
  static constexpr unsigned kGroups = 32;              // fingerprint groups: fixes the order
  static_assert(kGroups <= RecentKeys::kGroupsMax && kGroups <= FingerprintSet::kShards);
  static constexpr std::uint64_t kRoundUnits = 64;     // units per parallel round
  static constexpr std::uint64_t kParallelMin = 1024;  // smaller levels run on one thread
  static constexpr std::size_t kAhead = 8;             // visited-set probes in flight
  // States that own heap memory cost microseconds each to expand (bfs_ordered.h): levels and
  // chunks of work worth sharing are much smaller.
  static constexpr bool kFlat = std::is_trivially_copyable_v<State>;
  static constexpr std::uint64_t kThreadsMin = kFlat ? kParallelMin : 2 * kBatch;
  static constexpr std::uint64_t kChunkMin = kFlat ? kUnit : kBatch;  // parallel_chunks
  static constexpr std::uint64_t kWindowPerThread = 4;  // pending batches (bfs_ordered.h)

  struct Level {
    ChunkedVector<State> states;
    ChunkedVector<std::uint64_t> origins;  // TraceStore::pack()ed, until committed
    // Heap-owning states on several threads: the worker whose thread allocated each state, so
    // that this thread frees it (bfs_ordered.h). Empty otherwise.
    ChunkedVector<std::uint8_t> owners;
    std::uint64_t size() const { return states.size(); }
  };
  // Levels record owners (heap-owning states, several threads).
  bool tracks_owners() const { return !kFlat && threads_ > 1; }

  // A successor on its way to the visited set. Its origin is kept relative to its parent's
  // unit, in 32 bits (local_origin): the unit is known wherever the candidate is placed, and a
  // TwoPhase candidate then takes 24 bytes instead of 32 (batches, arenas, and the memory
  // traffic of the parallel rounds, which write each candidate and read it back).
  struct NoOwner {};
  struct Candidate {
    State state;
    std::uint32_t origin;  // local_origin(): the parent's place in its unit, successor position
    std::uint64_t key;     // FingerprintSet::slot_key(fingerprint): computed once, used five times
    // Heap-owning states: the worker that allocated it (Level::owners); nothing for flat ones.
    [[no_unique_address]] std::conditional_t<kFlat, NoOwner, std::uint8_t> owner{};
  };
  static_assert(kUnit <= 256 && TraceStore::kSuccessorsMax < (1u << 24), "8 + 24 bits");
  static std::uint32_t local_origin(std::uint64_t parent, std::uint32_t emitted) {
    return std::uint32_t(parent % kUnit) << 24 | emitted;
  }
  // The TraceStore::pack()ed origin of a candidate whose parent's unit starts at `unit_begin`.
  static std::uint64_t origin_of(std::uint64_t unit_begin, std::uint32_t origin) {
    return TraceStore::pack(unit_begin + (origin >> 24), origin & TraceStore::kSuccessorsMax);
  }
  // Large lists map their memory (memory.h), so it leaves the resident set when freed.
  using Candidates = std::vector<Candidate, BlockAllocator<Candidate>>;

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

  struct alignas(64) Scratch {  // one per worker
    CandidateBatch<Candidate> batch;
    std::vector<std::uint32_t> survivors;  // indices into batch
    std::vector<Candidate*> stream;        // phase B: a group's unmet candidates of the round
  };

  // Several threads, heap-owning states: a batch of parents generated, waiting to be admitted
  // in level order (bfs_ordered.h).
  struct alignas(64) PendingBatch {
    Scratch scratch;
    bool busy = false;     // claimed for a batch not yet admitted (guarded by the level's mutex)
    bool skipped = false;  // a limit had stopped the search: nothing was generated
    std::uint64_t heap = 0;  // owned by its candidates (in pending_heap_)
  };
  // Parents a worker allocated that another worker's admission released: it frees them
  // (bfs_ordered.h).
  struct alignas(64) Graveyard {
    std::mutex mutex;
    std::vector<State> dead;   // moved in by admitters (guarded by mutex)
    std::vector<State> spare;  // the owner's: swapped with dead, emptied, capacity kept
  };

  // Several threads: a unit's candidates of the round, in its worker's arena, group after
  // group; the list of (unit, group) is a slice of the run.
  struct UnitRun {
    Candidate* data = nullptr;
    std::uint32_t end[kGroups] = {};   // group g is [begin(g), end[g]), begin(g) = end[g - 1]
    std::uint32_t kept[kGroups] = {};  // after phase B: the slice's first kept[g] are new
    std::uint32_t begin(unsigned g) const { return g == 0 ? 0 : end[g - 1]; }
  };

  // By slot key (a bijection of the fingerprint).
  static unsigned group_of(std::uint64_t key) {
    return FingerprintSet::shard_of_key(key) / (FingerprintSet::kShards / kGroups);
  }

  void initial_level(Level& level);
  void expand(Level& level, Level& next);
  std::uint64_t expand_unit(Level& level, std::uint64_t unit, Level& next);
  std::uint64_t generate(const Level& level, std::uint64_t begin, std::uint64_t end, Tally& tally,
                         CandidateBatch<Candidate>& batch, const RecentKeys* recent);
  std::size_t drop_recent(Scratch& scratch, RecentKeys& recent);
  std::size_t keep_unmet(CandidateBatch<Candidate>& batch, std::size_t from, RecentKeys& recent,
                         bool filter);
  bool admit(Candidate& candidate, std::uint64_t& new_heap);
  void admit_batch(Scratch& scratch, std::uint64_t& new_heap);
  void note_batch_growth(std::size_t bytes_before, const Scratch& scratch) {
    if (scratch.batch.bytes() == bytes_before) return;
    batch_bytes_.fetch_add(scratch.batch.bytes() - bytes_before, std::memory_order_relaxed);
  }
  void append(Candidates& kept, std::uint64_t unit_begin, Level& next);
  // bfs_parallel.h
  void expand_parallel(Level& level, Level& next);
  void expand_unit_into(const Level& level, std::uint64_t unit, unsigned worker);
  void file_run(const CandidateBatch<Candidate>& batch, UnitRun& run,
                CandidateArena<Candidate>& arena);
  void admit_group(unsigned group, unsigned worker, std::uint64_t& new_heap);
  void share_round();
  std::uint64_t lead_share(std::uint64_t count);
  void lead_unit(Level& level, std::uint64_t unit, Level& next);
  void place_round(Level& next);
  void copy_group(unsigned group, Level& next);
  void release_round(Level& level);
  void reserve_round(Level& next);
  void end_round();
  // bfs_ordered.h
  void expand_ordered(Level& level, Level& next);
  void admit_pending(Level& level, std::uint64_t batch, PendingBatch& pending, Level& next,
                     unsigned worker, std::uint64_t& new_heap);
  void release_parents(Level& level, std::uint64_t begin, std::uint64_t end, unsigned worker);
  void clear_pending(PendingBatch& pending);
  void bury(unsigned worker);
  // bfs_steps.h
  void commit(Level& next, bool initial);
  std::optional<Found> smallest(std::vector<Found> Tally::*which);
  template <class Fn>
  void parallel_chunks(std::uint64_t count, Fn&& fn);
  void poll_limits();
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
  const bool limited_;  // states_max is set
  WorkerPool pool_;
  Monitor monitor_;
  Visited<State> visited_;
  TraceStore trace_;
  std::vector<Tally> tallies_;
  // Slot keys of fingerprints recently met (recent_keys.h), sized for each level; a group's
  // entries are written by that group's worker only. Unused in store mode, where equal
  // fingerprints need not mean equal states. Most duplicates hit here, sparing a visited-set
  // lookup.
  RecentKeys recent_;

  std::unique_ptr<Scratch[]> scratch_;
  // One thread: the new states of a unit by group.
  Candidates kept_[kGroups];

  // Several threads: one round's candidates.
  std::vector<UnitRun> runs_;                            // by unit - round start
  std::unique_ptr<CandidateArena<Candidate>[]> arenas_;  // by worker
  std::vector<unsigned> unit_worker_;    // by unit - round start: 1 + who expanded it, or 0
  std::vector<std::uint64_t> offsets_;   // by list: where its new states go in the next level
  unsigned group_worker_[kGroups] = {};  // who admitted the group this round
  // Per worker, like recent_ but private (phase A); unused in store mode. Kept across levels
  // of one size: every key in it is visited or about to be.
  std::unique_ptr<RecentKeys[]> local_recent_;
  std::uint64_t round_begin_ = 0, round_end_ = 0;  // units
  std::uint64_t last_round_new_ = 0;  // new states the last round found (reserve_round)
  std::uint64_t round_first_ = 0;     // the next level's size when the round began
  std::uint64_t lead_16ths_ = 0;      // the lead's share of a full round, in 16ths of units
  std::unique_ptr<UnitClaim[]> claims_;
  std::atomic<bool> group_claimed_[kGroups] = {};
  std::atomic<std::uint64_t> arena_bytes_{0};
  std::atomic<std::uint64_t> batch_bytes_{0};  // the workers' scratch batches (they only grow)
  bool rounds_over_ = false;

  // Several threads, heap-owning states: kWindowPerThread * threads_ pending batches a worker.
  std::unique_ptr<PendingBatch[]> pending_;
  std::unique_ptr<Graveyard[]> graveyards_;  // by worker

  std::uint64_t distinct_ = 0;    // states of the committed levels
  std::uint64_t depth_ = 0;       // deepest non-empty level
  std::uint64_t level_base_ = 0;  // trace record index of the current level's first state
  std::uint64_t level_size_ = 0;
  std::uint64_t level_heap_ = 0;    // heap owned by the current level's states
  const Level* current_ = nullptr;  // read by worker 0 only, for the memory estimate
  const Level* next_ = nullptr;
  std::atomic<std::uint64_t> generated_{0};
  std::atomic<std::uint64_t> reserved_{0};  // distinct_ + admitted new states (states_max)
  std::atomic<std::uint64_t> expanded_{0};  // states of the current level expanded
  std::atomic<std::uint64_t> new_heap_{0};  // heap owned by the next level's states so far
  std::atomic<std::uint64_t> pending_heap_{0};  // owned by pending batches (bfs_ordered.h)
  std::atomic<int> stop_code_{0};           // a StopReason; 0 (none) while running
};

template <Model M>
CheckResult<M> Bfs<M>::run() {
  Level level;
  initial_level(level);
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
    Level next;
    next.origins = std::move(level.origins);  // committed: empty, its chunks kept for reuse
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
  }
}

template <Model M>
void Bfs<M>::initial_level(Level& level) {
  std::vector<State> states = model_.initial_states();
  TXSIM_ASSERT(states.size() <= TraceStore::kSuccessorsMax);
  generated_ = states.size();
  next_ = &level;
  std::uint64_t new_heap = 0;
  for (std::uint32_t i = 0; i < states.size() && !stopping(); ++i) {
    const std::uint64_t key = FingerprintSet::slot_key(model_.fingerprint(states[i]));
    Candidate candidate{std::move(states[i]), local_origin(0, i), key};
    if (admit(candidate, new_heap)) {
      level.states.push_back(std::move(candidate.state));
      level.origins.push_back(origin_of(0, candidate.origin));
      if (tracks_owners()) level.owners.push_back(0);  // this thread is worker 0
    }
  }
  new_heap_ += new_heap;
  commit(level, /*initial=*/true);
}

template <Model M>
void Bfs<M>::expand(Level& level, Level& next) {
  current_ = &level;
  next_ = &next;
  expanded_ = 0;
  // Flat states expand in rounds (bfs_parallel.h); states owning heap memory (ProtocolModel's
  // World), whose expansion is the whole cost, in batches admitted in order (bfs_ordered.h).
  const bool parallel = threads_ > 1 && level.size() >= kThreadsMin;
  if (!options_.store_states) {
    // Rounds: the lead's share and phase B's survivors of the private caches pass recent_;
    // a quarter of an entry per state is enough there (more spilled out of the core's cache).
    recent_.resize(RecentKeys::entries_for(parallel && kFlat ? level.size() / 4 : level.size()));
  }
  if (parallel) {
    if constexpr (kFlat) {
      expand_parallel(level, next);
    } else {
      expand_ordered(level, next);
    }
  } else {
    const std::uint64_t units = (level.size() + kUnit - 1) / kUnit;
    for (std::uint64_t u = 0; u < units && !stopping(); ++u) {
      const std::uint64_t done = expand_unit(level, u, next);
      expanded_.fetch_add(done, std::memory_order_relaxed);
      level.states.release_before(u * kUnit + done);
      poll_limits();
    }
  }
  current_ = nullptr;
  commit(next, /*initial=*/false);
}

// One thread (and the lead of several): the states of the unit in order, batch after batch,
// stopping before a batch once a limit is hit (with states_max a batch is one state: the stop
// is exact); the new states are appended to the next level. Returns the states expanded.
template <Model M>
std::uint64_t Bfs<M>::expand_unit(Level& level, std::uint64_t unit, Level& next) {
  const std::uint64_t begin = unit * kUnit, end = std::min(level.size(), begin + kUnit);
  const std::uint64_t batch_states = limited_ ? 1 : kBatch;
  Scratch& scratch = scratch_[0];
  const std::size_t batch_bytes = scratch.batch.bytes();
  std::uint64_t generated = 0, p = begin, new_heap = 0;
  while (p < end && !stopping()) {
    const std::uint64_t stop = std::min(end, p + batch_states);
    generated += generate(level, p, stop, tallies_[0], scratch.batch, &recent_);
    p = stop;
    admit_batch(scratch, new_heap);
    scratch.batch.clear();
    // A world costs microseconds: a unit of them takes milliseconds, and a search can grow by
    // megabytes in that time (--max-memory). Flat states poll once a unit (the caller).
    if constexpr (!kFlat) poll_limits();
  }
  note_batch_growth(batch_bytes, scratch);
  for (Candidates& kept : kept_) append(kept, begin, next);
  new_heap_.fetch_add(new_heap, std::memory_order_relaxed);
  generated_.fetch_add(generated, std::memory_order_relaxed);
  return p - begin;
}

// Runs successors() on the states [begin, end) of the level, gathering into `batch` every
// successor other than its parent, with its slot key and origin. Notes blocking states. Returns
// the number of successors emitted. Each key's entry in `recent`, the cache that will filter the
// batch (if any and not empty), is prefetched as the key is computed: the batch's cache pass
// then seldom waits on a miss (one thread: -4 %, docs/performance.md session 7).
template <Model M>
std::uint64_t Bfs<M>::generate(const Level& level, std::uint64_t begin, std::uint64_t end,
                               Tally& tally, CandidateBatch<Candidate>& batch,
                               const RecentKeys* recent) {
  if (recent != nullptr && recent->empty()) recent = nullptr;
  std::uint64_t generated = 0;
  for (std::uint64_t p = begin; p < end; ++p) {
    const State& parent = level.states[p];
    std::uint32_t emitted = 0;
    // Inlined by force: called once per successor, and a call would cost as much as its body.
    model_.successors(
        parent, [&](const Action&, State&& state) __attribute__((always_inline)) {
          TXSIM_ASSERT_MSG(emitted < TraceStore::kSuccessorsMax,
                           "too many successors of one state");
          Candidate& c =
              batch.emplace_back(std::move(state), local_origin(p, emitted++), std::uint64_t{0});
          const bool stutter = c.state == parent;  // the parent is in the visited set
          if (!stutter) c.key = FingerprintSet::slot_key(model_.fingerprint(c.state));
          if (recent != nullptr) recent->prefetch(c.key);  // a stutter's 0: harmless
          batch.keep_last(!stutter);
        });
    if (emitted == 0 && !model_.terminal_ok(parent)) {
      tally.blocking.push_back(Found{model_.fingerprint(parent), p, std::nullopt});
    }
    generated += emitted;
  }
  return generated;
}

}  // namespace txsim::check

#include "sim/check/bfs_admit.h"
#include "sim/check/bfs_ordered.h"
#include "sim/check/bfs_parallel.h"
#include "sim/check/bfs_steps.h"
