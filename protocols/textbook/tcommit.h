// TCommit: the Transaction Commit specification of Gray & Lamport, "Consensus on Transaction
// Commit" (ACM TODS 31(1), 2006), as module TCommit.tla in github.com/tlaplus/Examples
// (specifications/transaction_commit/), ported action for action as a checker Model.
//
//   VARIABLE rmState                 -> State::rm_state, 2 bits per RM (RmState)
//   TCInit  == rmState = [r \in RM |-> "working"]
//   TCNext  == \E r \in RM : Prepare(r) \/ Decide(r)
//   Decide(r) has two disjuncts (commit, abort); each is a separate successor, as in TLC.
//   Invariants: TCTypeOK, TCConsistent.  TCommit.cfg sets CHECK_DEADLOCK FALSE, so
//   terminal_ok() is always true (all-committed and all-aborted states have no successor).
//
// Counts (TLC, RM = {r1,r2,r3}): 34 distinct, 94 generated, depth 7. For n RMs the reachable
// states are {working,prepared,aborted}^n plus {prepared,committed}^n with at least one
// "committed" (proof in tests/textbook/tcommit_test.cc), so distinct = 3^n + 2^n - 1.
//
// Symmetry: the spec is symmetric in RM; with `symmetry` on, fingerprint() hashes the
// canonical state whose rmState values are sorted (see canonical()), encoded as the count of
// each value.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "protocols/textbook/common.h"
#include "sim/assert.h"
#include "sim/check/hash.h"
#include "sim/check/model.h"

namespace txsim::textbook {

class TCommit {
 public:
  static constexpr int kMaxRms = 16;  // 2 bits each in a 32-bit word

  struct State {
    std::uint32_t rm_state = kAllWorking;  // rmState, 2 bits per RM
    bool operator==(const State&) const = default;
  };
  // Action::kind; Action::a is the RM index r.
  enum ActionKind : std::uint32_t { kPrepare, kDecideCommit, kDecideAbort };

  explicit TCommit(int rms, bool symmetry = false) : rms_(rms), symmetry_(symmetry) {
    TXSIM_ASSERT(rms >= 1 && rms <= kMaxRms);
  }
  int rms() const { return rms_; }
  bool symmetry() const { return symmetry_; }

  std::vector<State> initial_states() const { return {State{}}; }

  template <class Emit>
  void successors(const State& s, Emit&& emit) const {
    // canCommit and notCommitted are state predicates shared by every binding of r.
    bool can_commit = true;
    bool not_committed = true;
    for (int r = 0; r < rms_; ++r) {
      const RmState v = rm_get(s.rm_state, r);
      can_commit = can_commit && (v == RmState::prepared || v == RmState::committed);
      not_committed = not_committed && v != RmState::committed;
    }
    for (int r = 0; r < rms_; ++r) {
      const RmState v = rm_get(s.rm_state, r);
      const auto ur = static_cast<std::uint32_t>(r);
      if (v == RmState::working) {  // Prepare(r)
        emit(check::Action{kPrepare, ur}, State{rm_set(s.rm_state, r, RmState::prepared)});
      }
      if (v == RmState::prepared && can_commit) {  // Decide(r), first disjunct
        emit(check::Action{kDecideCommit, ur}, State{rm_set(s.rm_state, r, RmState::committed)});
      }
      if ((v == RmState::working || v == RmState::prepared) && not_committed) {  // second
        emit(check::Action{kDecideAbort, ur}, State{rm_set(s.rm_state, r, RmState::aborted)});
      }
    }
  }

  // Without symmetry: the state itself. With symmetry: RM i gets the i-th smallest rmState
  // value. The orbit of a state under RM permutations is exactly the multiset of its values,
  // and sorting is a complete invariant of a multiset, so canonical(a) == canonical(b) iff a
  // and b are permutations of each other.
  State canonical(const State& s) const {
    if (!symmetry_) return s;
    int count[4] = {0, 0, 0, 0};
    for (int r = 0; r < rms_; ++r) ++count[static_cast<int>(rm_get(s.rm_state, r))];
    State c;
    int r = 0;
    for (int v = 0; v < 4; ++v) {
      for (int k = 0; k < count[v]; ++k) c.rm_state = rm_set(c.rm_state, r++, RmState(v));
    }
    return c;
  }
  std::uint64_t fingerprint(const State& s) const {
    check::Hasher h;
    if (symmetry_) {  // 16-bit counters of each value: they determine canonical(s) exactly
      std::uint64_t hist = 0;
      for (int r = 0; r < rms_; ++r) {
        hist += std::uint64_t{1} << (16 * static_cast<int>(rm_get(s.rm_state, r)));
      }
      h.add(hist);
    } else {
      h.add(s.rm_state);
    }
    return h.finish();
  }

  // RM r of `s` becomes RM perm[r] of the result (perm is a permutation of 0..rms-1).
  State permute(const State& s, std::span<const int> perm) const;

  std::optional<check::Violation> check(const State& s) const;
  bool terminal_ok(const State&) const { return true; }  // CHECK_DEADLOCK FALSE
  std::string describe_action(const State& from, const check::Action& a) const;
  std::string describe_state(const State& s) const;

 private:
  int rms_;
  bool symmetry_;
};

static_assert(check::Model<TCommit>);

}  // namespace txsim::textbook
