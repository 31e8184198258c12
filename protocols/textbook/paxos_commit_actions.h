// The actions of PaxosCommit.tla (see paxos_commit.h), one member template each, in the order
// PCNext lists them. Included by paxos_commit.h only. Each comment quotes the guard it codes;
// each successor is built by copying the state and applying the action's primed assignments.
#pragma once

#include "protocols/textbook/paxos_commit.h"

namespace txsim::textbook {

// RMPrepare(rm), RMChooseToAbort(rm), RMRcvCommitMsg(rm), RMRcvAbortMsg(rm).
template <class Emit>
void PaxosCommit::rm_actions(const State& s, int rm, Emit& emit) const {
  const RmState v = s.ins[rm].rm_state;
  if (v == RmState::working) {  // RMPrepare: Send phase2a(rm, 0, "prepared")
    State t = s;
    t.ins[rm].rm_state = RmState::prepared;
    t.ins[rm].phase2a |= 1U << (2 * 0 + kPrepared);
    emit(act(kRMPrepare, rm), std::move(t));
  }
  if (v == RmState::working) {  // RMChooseToAbort: Send phase2a(rm, 0, "aborted")
    State t = s;
    t.ins[rm].rm_state = RmState::aborted;
    t.ins[rm].phase2a |= 1U << (2 * 0 + kAborted);
    emit(act(kRMChooseToAbort, rm), std::move(t));
  }
  if ((s.msgs_decision & kCommitMsg) != 0) {  // RMRcvCommitMsg: [type |-> "Commit"] \in msgs
    State t = s;
    t.ins[rm].rm_state = RmState::committed;
    emit(act(kRMRcvCommitMsg, rm), std::move(t));
  }
  if ((s.msgs_decision & kAbortMsg) != 0) {  // RMRcvAbortMsg: [type |-> "Abort"] \in msgs
    State t = s;
    t.ins[rm].rm_state = RmState::aborted;
    emit(act(kRMRcvAbortMsg, rm), std::move(t));
  }
}

// Phase1a(bal, rm): always enabled; Send phase1a(rm, bal).
template <class Emit>
void PaxosCommit::phase1a(const State& s, int bal, int rm, Emit& emit) const {
  State t = s;
  t.ins[rm].phase1a |= 1U << bal;
  emit(act(kPhase1a, bal, rm), std::move(t));
}

// Phase2a(bal, rm): no phase 2a message for (rm, bal) yet, and for some MS \in Majority every
// ac \in MS sent a phase 1b message for (rm, mbal = bal). The value sent is the val of a
// message of mset with the highest bal, or "aborted" if all are (-1, "none").
template <class Emit>
void PaxosCommit::phase2a(const State& s, int bal, int rm, Emit& emit) const {
  const Instance& in = s.ins[rm];
  if (((in.phase2a >> (2 * bal)) & 3U) != 0) return;  // ~\E m \in msgs : phase2a, bal, ins
  const int shift = (bal - 1) * kVoteCodes;
  for (std::size_t mi = 0; mi < majorities_.size(); ++mi) {
    const std::uint32_t ms = majorities_[mi];
    long bindings = 1;  // \A ac \in MS : \E m \in mset : m.acc = ac, expanded as TLC does
    int max_bal = -1;
    int val = kAborted;
    for (int ac = 0; ac < acceptors_ && bindings > 0; ++ac) {
      if (((ms >> ac) & 1U) == 0) continue;
      std::uint32_t seg = (in.phase1b[ac] >> shift) & ((1U << kVoteCodes) - 1);
      bindings *= std::popcount(seg);
      for (; seg != 0; seg &= seg - 1) {
        const int vote = std::countr_zero(seg);
        const int b = vote_bal(vote);
        if (b > max_bal) {
          max_bal = b;
          val = vote_val(vote);
        } else if (b == max_bal && b >= 0) {
          // CHOOSE m \in mset : m.bal = maxbal is unambiguous: one phase 2a per (ins, bal).
          TXSIM_ASSERT(val == vote_val(vote));
        }
      }
    }
    if (bindings == 0) continue;
    State t = s;
    t.ins[rm].phase2a |= 1U << (2 * bal + val);
    emit_copies(emit, act(kPhase2a, bal, rm, static_cast<int>(mi)), t, bindings);
  }
}

// Decide: \/ /\ \A rm \in RM : Decided(rm, "prepared")  /\ Send(Commit)
//         \/ /\ \E rm \in RM : Decided(rm, "aborted")   /\ Send(Abort)
// with Decided(rm, v) == \E b \in Ballot, MS \in Majority : \A ac \in MS : phase2b(..) \in msgs.
// The commit disjunct has one binding per tuple of witnesses; kDecideCommit numbers them in
// mixed radix, rm 0 the least significant digit, digit = index into decided_witnesses().
template <class Emit>
void PaxosCommit::decide(const State& s, Emit& emit) const {
  const auto nmaj = static_cast<int>(majorities_.size());
  long commit_bindings = 1;
  for (int rm = 0; rm < rms_ && commit_bindings > 0; ++rm) {
    int witnesses = 0;
    for (int b = 0; b < ballots_; ++b) {
      const std::uint32_t voted = phase2b_senders(s.ins[rm], b, kPrepared);
      for (int mi = 0; mi < nmaj; ++mi) witnesses += (majorities_[mi] & ~voted) == 0;
    }
    commit_bindings *= witnesses;
  }
  if (commit_bindings > 0) {
    State t = s;
    t.msgs_decision |= kCommitMsg;
    for (long k = 0; k < commit_bindings; ++k) {
      State u = t;
      emit(act(kDecideCommit, static_cast<int>(k)), std::move(u));
    }
  }
  for (int rm = 0; rm < rms_; ++rm) {
    for (int b = 0; b < ballots_; ++b) {
      const std::uint32_t voted = phase2b_senders(s.ins[rm], b, kAborted);
      for (int mi = 0; mi < nmaj; ++mi) {
        if ((majorities_[mi] & ~voted) != 0) continue;
        State t = s;
        t.msgs_decision |= kAbortMsg;
        emit(act(kDecideAbort, rm, b, mi), std::move(t));
      }
    }
  }
}

// Phase1b(acc) == \E m \in msgs : m.type = "phase1a" /\ aState[m.ins][acc].mbal < m.bal /\ ...
template <class Emit>
void PaxosCommit::phase1b(const State& s, int acc, Emit& emit) const {
  for (int ins = 0; ins < rms_; ++ins) {
    const Instance& in = s.ins[ins];
    const std::uint8_t a = in.a_state[acc];
    for (int bal = 1; bal < ballots_; ++bal) {
      if (((in.phase1a >> bal) & 1U) == 0 || mbal_of(a) >= bal) continue;
      State t = s;
      Instance& ti = t.ins[ins];
      ti.a_state[acc] = static_cast<std::uint8_t>(bal << 4 | vote_in(a));
      ti.phase1b[acc] |= static_cast<std::uint16_t>(1U << ((bal - 1) * kVoteCodes + vote_in(a)));
      emit(act(kPhase1b, acc, ins, bal), std::move(t));
    }
  }
}

// Phase2b(acc) == \E m \in msgs : m.type = "phase2a" /\ aState[m.ins][acc].mbal \leq m.bal /\ ...
template <class Emit>
void PaxosCommit::phase2b(const State& s, int acc, Emit& emit) const {
  for (int ins = 0; ins < rms_; ++ins) {
    const Instance& in = s.ins[ins];
    const int mbal = mbal_of(in.a_state[acc]);
    for (int bv = 2 * mbal; bv < 2 * ballots_; ++bv) {  // bv = 2 * bal + val, bal >= mbal
      if (((in.phase2a >> bv) & 1U) == 0) continue;
      const int bal = bv / 2;
      State t = s;
      Instance& ti = t.ins[ins];
      ti.a_state[acc] = static_cast<std::uint8_t>(bal << 4 | vote_of(bal, bv & 1));
      ti.phase2b[acc] |= static_cast<std::uint8_t>(1U << bv);
      emit(act(kPhase2b, acc, ins, bv), std::move(t));
    }
  }
}

}  // namespace txsim::textbook
