// TwoPhaseTla: the Two-Phase Commit specification of Gray & Lamport, "Consensus on Transaction
// Commit" (ACM TODS 31(1), 2006), as module TwoPhase.tla in github.com/tlaplus/Examples
// (specifications/transaction_commit/), ported action for action as a checker Model. (The
// simulated 2PC with crashes and timers is protocols/two_phase/; this is the abstract spec.)
//
//   rmState     -> State::rm_state, 2 bits per RM (RmState)
//   tmState     -> State::tm_state (TmState)
//   tmPrepared  -> State::tm_prepared, bit r
//   msgs        -> State::msgs_prepared (bit r: [type |-> "Prepared", rm |-> r] \in msgs) and
//                  State::msgs_decision (kCommitMsg, kAbortMsg): the whole universe Message.
//   TPNext == TMCommit \/ TMAbort \/ \E rm \in RM : TMRcvPrepared(rm) \/ RMPrepare(rm)
//                 \/ RMChooseToAbort(rm) \/ RMRcvCommitMsg(rm) \/ RMRcvAbortMsg(rm)
//   successors() emits in exactly that order, including the stuttering steps TLC counts as
//   generated states (a second TMRcvPrepared(rm), RMRcvCommitMsg of a committed RM, ...).
//   Invariants: TPTypeOK and TC!TCConsistent (TwoPhase refines TCommit).
//
// Deadlock: TwoPhase.cfg leaves deadlock checking on, so terminal_ok() is false. TLC finds no
// deadlock because none exists: TMAbort is enabled while tmState = "init", and afterwards
// RMRcvCommitMsg(rm) or RMRcvAbortMsg(rm) (unguarded receipts) is enabled forever.
//
// Counts (TLC, RM = {r1,r2,r3}): 288 distinct, 1146 generated, depth 11; closed forms for n RMs
// in tests/textbook/two_phase_tla_test.cc (distinct = 4^n + 2^n + 6^n).
//
// Symmetry: with `symmetry` on, fingerprint() hashes canonical(), the per-RM tuples
// (rmState[r], r \in tmPrepared, Prepared(r) \in msgs) sorted ascending, encoded as their
// histogram (the same information, cheaper to build).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "protocols/textbook/common.h"
#include "sim/assert.h"
#include "sim/check/hash.h"
#include "sim/check/model.h"

namespace txsim::textbook {

class TwoPhaseTla {
 public:
  static constexpr int kMaxRms = 16;
  enum class TmState : std::uint8_t { init = 0, committed = 1, aborted = 2 };
  static constexpr std::uint8_t kCommitMsg = 1;  // [type |-> "Commit"] \in msgs
  static constexpr std::uint8_t kAbortMsg = 2;   // [type |-> "Abort"] \in msgs

  struct State {
    std::uint32_t rm_state = kAllWorking;  // rmState, 2 bits per RM
    std::uint16_t tm_prepared = 0;         // tmPrepared, bit r
    std::uint16_t msgs_prepared = 0;       // "Prepared" messages in msgs, bit r
    TmState tm_state = TmState::init;
    std::uint8_t msgs_decision = 0;  // kCommitMsg | kAbortMsg
    std::uint16_t reserved = 0;      // always 0: the state has no padding bytes
    bool operator==(const State&) const = default;
  };
  static_assert(std::has_unique_object_representations_v<State>);

  // Action::kind; Action::a is the RM index for the per-RM actions.
  enum ActionKind : std::uint32_t {
    kTMCommit,
    kTMAbort,
    kTMRcvPrepared,
    kRMPrepare,
    kRMChooseToAbort,
    kRMRcvCommitMsg,
    kRMRcvAbortMsg,
  };

  explicit TwoPhaseTla(int rms, bool symmetry = false) : rms_(rms), symmetry_(symmetry) {
    TXSIM_ASSERT(rms >= 1 && rms <= kMaxRms);
    all_rms_ = static_cast<std::uint16_t>((1U << rms) - 1);
  }
  int rms() const { return rms_; }
  bool symmetry() const { return symmetry_; }

  std::vector<State> initial_states() const { return {State{}}; }

  template <class Emit>
  void successors(const State& s, Emit&& emit) const {
    const bool tm_init = s.tm_state == TmState::init;
    if (tm_init && s.tm_prepared == all_rms_) {  // TMCommit
      State t = s;
      t.tm_state = TmState::committed;
      t.msgs_decision |= kCommitMsg;
      emit(check::Action{kTMCommit}, std::move(t));
    }
    if (tm_init) {  // TMAbort
      State t = s;
      t.tm_state = TmState::aborted;
      t.msgs_decision |= kAbortMsg;
      emit(check::Action{kTMAbort}, std::move(t));
    }
    for (int rm = 0; rm < rms_; ++rm) per_rm(s, rm, emit);
  }

  // Without symmetry: the state itself. With symmetry: the state whose per-RM tuples
  // t_r = (rmState[r], r \in tmPrepared, Prepared(r) \in msgs) are sorted ascending. Why this is
  // exact: a state is exactly the pair (g, (t_1..t_n)) with g = (tmState, Commit/Abort in msgs)
  // fixed by every permutation, no variable relates two RMs, and permuting RMs permutes the
  // list t. So a, b share an orbit iff g_a = g_b and the lists are rearrangements of each other,
  // i.e. iff their sorted lists (a complete invariant of a multiset) and g agree.
  State canonical(const State& s) const;

  // Without symmetry and with at most 15 RMs the state fits one 64-bit word: the fingerprint is
  // a bijection of it (no collisions at all), mixed. Otherwise a Hasher over its words.
  [[gnu::always_inline]] std::uint64_t fingerprint(const State& s) const {
    if (!symmetry_ && rms_ <= kExactRms) {
      return check::mix64(s.rm_state ^ (std::uint64_t{s.tm_prepared} << 30) ^
                          (std::uint64_t{s.msgs_prepared} << 45) ^
                          (static_cast<std::uint64_t>(s.tm_state) << 60) ^
                          (std::uint64_t{s.msgs_decision} << 62) ^ kExactSeed);
    }
    return hashed_fingerprint(s);
  }

  // RM r of `s` becomes RM perm[r] of the result (perm is a permutation of 0..rms-1).
  State permute(const State& s, std::span<const int> perm) const;

  std::optional<check::Violation> check(const State& s) const;
  bool terminal_ok(const State&) const { return false; }  // TwoPhase.cfg checks deadlock
  std::string describe_action(const State& from, const check::Action& a) const;
  std::string describe_state(const State& s) const;

 private:
  template <class Emit>
  void per_rm(const State& s, int rm, Emit& emit) const {
    const auto bit = static_cast<std::uint16_t>(1U << rm);
    const auto ur = static_cast<std::uint32_t>(rm);
    const RmState v = rm_get(s.rm_state, rm);
    if (s.tm_state == TmState::init && (s.msgs_prepared & bit) != 0) {  // TMRcvPrepared(rm)
      State t = s;
      t.tm_prepared |= bit;
      emit(check::Action{kTMRcvPrepared, ur}, std::move(t));
    }
    if (v == RmState::working) {  // RMPrepare(rm)
      State t = s;
      t.rm_state = rm_set(s.rm_state, rm, RmState::prepared);
      t.msgs_prepared |= bit;
      emit(check::Action{kRMPrepare, ur}, std::move(t));
    }
    if (v == RmState::working) {  // RMChooseToAbort(rm)
      State t = s;
      t.rm_state = rm_set(s.rm_state, rm, RmState::aborted);
      emit(check::Action{kRMChooseToAbort, ur}, std::move(t));
    }
    if ((s.msgs_decision & kCommitMsg) != 0) {  // RMRcvCommitMsg(rm)
      State t = s;
      t.rm_state = rm_set(s.rm_state, rm, RmState::committed);
      emit(check::Action{kRMRcvCommitMsg, ur}, std::move(t));
    }
    if ((s.msgs_decision & kAbortMsg) != 0) {  // RMRcvAbortMsg(rm)
      State t = s;
      t.rm_state = rm_set(s.rm_state, rm, RmState::aborted);
      emit(check::Action{kRMRcvAbortMsg, ur}, std::move(t));
    }
  }

  static constexpr int kExactRms = 15;  // rmState 30 bits, the RM sets 15 each, 4 more bits
  static constexpr std::uint64_t kExactSeed = 0x243f6a8885a308d3ULL;
  std::uint64_t hashed_fingerprint(const State& s) const;

  struct Histogram {
    std::uint64_t low = 0, high = 0;
  };
  Histogram tuple_histogram(const State& s) const;

  int rms_;
  bool symmetry_;
  std::uint16_t all_rms_ = 0;  // RM as a bit set
};

static_assert(check::Model<TwoPhaseTla>);

// The histogram of the per-RM tuples t_r = rmState | tmPrepared << 2 | Prepared << 3: byte t of
// `low` (t < 8) or of `high` (t >= 8) counts the RMs whose tuple is t. For a fixed number of RMs
// the histogram and the sorted tuple list determine each other, so it identifies canonical(s)
// exactly; it is kept in registers, which makes it the cheap thing for fingerprint() to hash.
inline TwoPhaseTla::Histogram TwoPhaseTla::tuple_histogram(const State& s) const {
  Histogram hist;
  for (int r = 0; r < rms_; ++r) {
    const unsigned t = static_cast<unsigned>(rm_get(s.rm_state, r)) |
                       (((s.tm_prepared >> r) & 1U) << 2) | (((s.msgs_prepared >> r) & 1U) << 3);
    const std::uint64_t one = std::uint64_t{1} << (8 * (t & 7U));
    if (t < 8) {
      hist.low += one;
    } else {
      hist.high += one;
    }
  }
  return hist;
}

inline TwoPhaseTla::State TwoPhaseTla::canonical(const State& s) const {
  if (!symmetry_) return s;
  const Histogram hist = tuple_histogram(s);
  State c = s;
  c.rm_state = 0;
  c.tm_prepared = 0;
  c.msgs_prepared = 0;
  int r = 0;
  for (unsigned t = 0; t < 16; ++t) {  // RMs 0, 1, .. get the tuples in ascending order
    const std::uint64_t counts = t < 8 ? hist.low : hist.high;
    for (auto k = (counts >> (8 * (t & 7U))) & 0xFF; k > 0; --k, ++r) {
      c.rm_state |= (t & 3U) << (2 * r);
      c.tm_prepared = static_cast<std::uint16_t>(c.tm_prepared | (((t >> 2) & 1U) << r));
      c.msgs_prepared = static_cast<std::uint16_t>(c.msgs_prepared | (((t >> 3) & 1U) << r));
    }
  }
  return c;
}

}  // namespace txsim::textbook
