// PaxosCommit: the Paxos Commit specification of Gray & Lamport, "Consensus on Transaction
// Commit" (ACM TODS 31(1), 2006), as module PaxosCommit.tla in github.com/tlaplus/Examples
// (specifications/transaction_commit/), ported action for action as a checker Model. (The
// simulated Paxos Commit with crashes and timers lives in protocols/paxos_commit/.)
//
//   rmState[rm]       -> ins[rm].rm_state
//   aState[ins][acc]  -> ins[ins].a_state[acc] = mbal << 4 | vote, where a vote encodes the
//                        pair (bal, val): 0 = (-1, "none"), 1 + 2*bal + val = (bal, val).
//   msgs              -> one bit per message of the universe Message that an action can send,
//                        grouped by instance: ins[i].phase1a / phase1b / phase2a / phase2b,
//                        plus msgs_decision (Commit, Abort).
//   PCNext == \/ \E rm \in RM : RMPrepare(rm) \/ RMChooseToAbort(rm) \/ RMRcvCommitMsg(rm)
//                               \/ RMRcvAbortMsg(rm)
//             \/ \E bal \in Ballot \ {0}, rm \in RM : Phase1a(bal, rm) \/ Phase2a(bal, rm)
//             \/ Decide
//             \/ \E acc \in Acceptor : Phase1b(acc) \/ Phase2b(acc)
//
// Successors mirror TLC's enumeration, which matters for "states generated": TLC expands every
// bounded \E into one branch per satisfying binding and every bounded \A into a conjunction of
// its instances, recursing into operator bodies. Hence Decide's commit disjunct
// (\A rm : Decided(rm, "prepared"), Decided == \E b \in Ballot, MS \in Majority : ...) yields
// one successor per choice of witnesses (b, MS) for every rm, the abort disjunct one per
// (rm, b, MS), Phase2a one per MS (times the phase 1b messages matching each ac \in MS, which
// is 0 or 1), Phase1b / Phase2b one per message m. Identical successors are all emitted.
//
// What the encoding leaves out (each provably unreachable, so nothing reachable is lost):
// phase 1b messages with mbal = 0 (a phase 1b copies the bal >= 1 of a phase 1a message), and
// (bal, val) pairs other than (-1, "none") and (b >= 0, "prepared" | "aborted") (aState starts
// at (-1, "none") and only Phase2b changes it, to a phase 2a message's (bal, val)).
//
// Deadlock: PaxosCommit.cfg leaves deadlock checking on, so terminal_ok() is false. TLC finds
// none because Phase1a(bal, rm) is always enabled when Ballot # {0}; with Ballot = {0}, some
// Phase2b(acc) is enabled after the first step (every RM action sends a phase 2a message).
//
// Counts (TLC, RM = {r1,r2}, Acceptor = {a1,a2,a3}, Majority = the 2-subsets, Ballot = {0,1}):
// 1321761 distinct, 16959159 generated, depth 28.
//
// Symmetry over RMs: everything indexed by an RM (its rmState, the acceptors' state for its
// instance, every message with ins = rm) is in ins[rm], and no message names two instances, so
// sorting the instances (canonical()) gives an exact orbit representative; see two_phase_tla.h
// for the argument.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "protocols/textbook/common.h"
#include "sim/assert.h"
#include "sim/check/hash.h"
#include "sim/check/model.h"

namespace txsim::textbook {

class PaxosCommit {
 public:
  static constexpr int kMaxRms = 4;
  static constexpr int kMaxAcceptors = 5;
  static constexpr int kMaxBallots = 3;  // Ballot = {0, .., ballots - 1}
  static constexpr int kVoteCodes = 1 + 2 * kMaxBallots;
  enum Val : std::uint8_t { kPrepared = 0, kAborted = 1 };  // a phase 2a/2b value
  static constexpr std::uint8_t kCommitMsg = 1;             // [type |-> "Commit"] \in msgs
  static constexpr std::uint8_t kAbortMsg = 2;              // [type |-> "Abort"] \in msgs

  // Everything indexed by one RM, i.e. by one instance of Paxos.
  struct Instance {
    // Phase 1b messages of acceptor acc: bit (mbal - 1) * kVoteCodes + vote.
    std::array<std::uint16_t, kMaxAcceptors> phase1b{};
    std::array<std::uint8_t, kMaxAcceptors> a_state{};  // aState[ins][acc]: mbal << 4 | vote
    std::array<std::uint8_t, kMaxAcceptors> phase2b{};  // phase 2b of acc: bit 2 * bal + val
    RmState rm_state = RmState::working;
    std::uint8_t phase1a = 0;   // bit bal, bal >= 1
    std::uint8_t phase2a = 0;   // bit 2 * bal + val
    std::uint8_t reserved = 0;  // always 0: no padding bytes
    bool operator==(const Instance&) const = default;
  };
  struct State {
    std::array<Instance, kMaxRms> ins{};  // instances past rms() stay all zero
    std::uint8_t msgs_decision = 0;       // kCommitMsg | kAbortMsg
    std::uint8_t reserved = 0;
    // Byte-wise (no padding, see below) in 8-byte words: the defaulted == compares array by
    // array through memcmp calls, a quarter of a search's time (BFS compares every successor
    // with its parent to skip stutter steps).
    bool operator==(const State& o) const { return bytes_equal(*this, o); }
  };
  static_assert(sizeof(Instance) == 24 && std::has_unique_object_representations_v<Instance>);
  static_assert(std::has_unique_object_representations_v<State>);

  // Action::kind and its operands.
  enum ActionKind : std::uint32_t {
    kRMPrepare,        // a = rm
    kRMChooseToAbort,  // a = rm
    kRMRcvCommitMsg,   // a = rm
    kRMRcvAbortMsg,    // a = rm
    kPhase1a,          // a = bal, b = rm
    kPhase2a,          // a = bal, b = rm, c = index of MS in majorities()
    kDecideCommit,     // a = the witnesses: mixed-radix digits, one per rm (see decide())
    kDecideAbort,      // a = rm, b = bal, c = index of MS
    kPhase1b,          // a = acc, b = ins, c = bal of the phase 1a message
    kPhase2b,          // a = acc, b = ins, c = 2 * bal + val of the phase 2a message
  };

  // Majority: PaxosCommit.cfg lists the 2-subsets of 3 acceptors, i.e. the smallest majorities.
  // Adding larger majorities changes no reachable state but adds bindings of \E MS, hence
  // generated states: TLC's 16959159 is for the smallest ones.
  enum class MajoritySets { smallest, every };

  PaxosCommit(int rms, int acceptors, int ballots, bool symmetry = false,
              MajoritySets majorities = MajoritySets::smallest);

  int rms() const { return rms_; }
  int acceptors() const { return acceptors_; }
  int ballots() const { return ballots_; }
  bool symmetry() const { return symmetry_; }
  const std::vector<std::uint8_t>& majorities() const { return majorities_; }  // acceptor masks

  std::vector<State> initial_states() const { return {State{}}; }

  template <class Emit>
  void successors(const State& s, Emit&& emit) const {
    for (int rm = 0; rm < rms_; ++rm) rm_actions(s, rm, emit);
    for (int bal = 1; bal < ballots_; ++bal) {
      for (int rm = 0; rm < rms_; ++rm) {
        phase1a(s, bal, rm, emit);
        phase2a(s, bal, rm, emit);
      }
    }
    decide(s, emit);
    for (int acc = 0; acc < acceptors_; ++acc) {
      phase1b(s, acc, emit);
      phase2b(s, acc, emit);
    }
  }

  // Without symmetry: the state. With symmetry: the instances 0..rms-1 sorted ascending by
  // their bytes (as three 64-bit words).
  State canonical(const State& s) const {
    if (!symmetry_) return s;
    State c = s;
    for (int i = 1; i < rms_; ++i) {  // insertion sort: rms is at most 4
      for (int j = i; j > 0 && words(c.ins[j]) < words(c.ins[j - 1]); --j) {
        std::swap(c.ins[j], c.ins[j - 1]);
      }
    }
    return c;
  }
  std::uint64_t fingerprint(const State& s) const {
    std::array<std::array<std::uint64_t, 3>, kMaxRms> key;
    for (int r = 0; r < rms_; ++r) key[r] = words(s.ins[r]);
    if (symmetry_) {  // insertion sort: rms is at most 4
      for (int i = 1; i < rms_; ++i) {
        for (int j = i; j > 0 && key[j] < key[j - 1]; --j) std::swap(key[j], key[j - 1]);
      }
    }
    check::Hasher h;
    for (int r = 0; r < rms_; ++r) {
      for (std::uint64_t w : key[r]) h.add(w);
    }
    h.add(s.msgs_decision);
    return h.finish();
  }

  // Instance r of `s` becomes instance perm[r] of the result.
  State permute(const State& s, std::span<const int> perm) const;

  std::optional<check::Violation> check(const State& s) const;  // PCTypeOK, TC!TCConsistent
  bool terminal_ok(const State&) const { return false; }        // PaxosCommit.cfg checks deadlock
  std::string describe_action(const State& from, const check::Action& a) const;
  std::string describe_state(const State& s) const;

  // Vote codes: the (bal, val) pair an acceptor holds, as in aState and phase 1b messages.
  static constexpr int vote_of(int bal, int val) { return 1 + 2 * bal + val; }
  static constexpr int vote_bal(int vote) { return vote == 0 ? -1 : (vote - 1) / 2; }
  static constexpr int vote_val(int vote) { return (vote - 1) & 1; }  // for vote > 0
  static constexpr int mbal_of(std::uint8_t a_state) { return a_state >> 4; }
  static constexpr int vote_in(std::uint8_t a_state) { return a_state & 15; }

  // The witnesses (b, MS) of Decided(rm, v), in TLC's binding order (b, then MS), as
  // b * majorities().size() + index of MS; returns how many.
  int decided_witnesses(const Instance& in, int val, std::span<std::uint8_t> out) const;

 private:
  static std::array<std::uint64_t, 3> words(const Instance& in) {
    std::array<std::uint64_t, 3> w;
    std::memcpy(w.data(), &in, sizeof in);
    return w;
  }
  static check::Action act(ActionKind k, int a, int b = 0, int c = 0) {
    return check::Action{k, static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(b),
                         static_cast<std::uint32_t>(c)};
  }
  template <class Emit>
  static void emit_copies(Emit& emit, const check::Action& a, const State& t, long copies) {
    for (long k = 0; k < copies; ++k) {
      State u = t;
      emit(a, std::move(u));
    }
  }
  // The acceptors (mask) that sent [type |-> "phase2b", ins, bal, val, acc] \in msgs.
  std::uint32_t phase2b_senders(const Instance& in, int bal, int val) const {
    std::uint32_t mask = 0;
    for (int ac = 0; ac < acceptors_; ++ac)
      mask |= ((in.phase2b[ac] >> (2 * bal + val)) & 1U) << ac;
    return mask;
  }

  template <class Emit>
  void rm_actions(const State& s, int rm, Emit& emit) const;
  template <class Emit>
  void phase1a(const State& s, int bal, int rm, Emit& emit) const;
  template <class Emit>
  void phase2a(const State& s, int bal, int rm, Emit& emit) const;
  template <class Emit>
  void decide(const State& s, Emit& emit) const;
  template <class Emit>
  void phase1b(const State& s, int acc, Emit& emit) const;
  template <class Emit>
  void phase2b(const State& s, int acc, Emit& emit) const;

  int rms_;
  int acceptors_;
  int ballots_;
  bool symmetry_;
  std::vector<std::uint8_t> majorities_;  // Majority, each MS as a mask over acceptors
};

static_assert(check::Model<PaxosCommit>);

}  // namespace txsim::textbook

#include "protocols/textbook/paxos_commit_actions.h"
