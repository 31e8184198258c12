#include "protocols/textbook/paxos_commit.h"

namespace txsim::textbook {

PaxosCommit::PaxosCommit(int rms, int acceptors, int ballots, bool symmetry,
                         MajoritySets majorities)
    : rms_(rms), acceptors_(acceptors), ballots_(ballots), symmetry_(symmetry) {
  TXSIM_ASSERT(rms >= 1 && rms <= kMaxRms);
  TXSIM_ASSERT(acceptors >= 1 && acceptors <= kMaxAcceptors);
  TXSIM_ASSERT(ballots >= 1 && ballots <= kMaxBallots);  // 0 \in Ballot
  // Majority, in increasing mask order: the subsets of more than half the acceptors (any two
  // intersect, as PaxosCommitAssumptions requires), all of them or only the smallest.
  const int smallest = acceptors / 2 + 1;
  for (std::uint32_t mask = 1; mask < (1U << acceptors); ++mask) {
    const int size = std::popcount(mask);
    if (size < smallest) continue;
    if (majorities == MajoritySets::smallest && size != smallest) continue;
    majorities_.push_back(static_cast<std::uint8_t>(mask));
  }
}

PaxosCommit::State PaxosCommit::permute(const State& s, std::span<const int> perm) const {
  TXSIM_ASSERT(static_cast<int>(perm.size()) == rms_);
  State p = s;
  for (int r = 0; r < rms_; ++r) p.ins[perm[r]] = s.ins[r];
  return p;
}

int PaxosCommit::decided_witnesses(const Instance& in, int val, std::span<std::uint8_t> out) const {
  const auto nmaj = static_cast<int>(majorities_.size());
  int n = 0;
  for (int b = 0; b < ballots_; ++b) {
    const std::uint32_t voted = phase2b_senders(in, b, val);
    for (int mi = 0; mi < nmaj; ++mi) {
      if ((majorities_[mi] & ~voted) != 0) continue;
      if (static_cast<std::size_t>(n) < out.size())
        out[n] = static_cast<std::uint8_t>(b * nmaj + mi);
      ++n;
    }
  }
  return n;
}

namespace {

// PCTypeOK for one instance, given the masks of the bits the configuration allows.
bool instance_type_ok(const PaxosCommit::Instance& in, int acceptors, int ballots) {
  const std::uint32_t phase1a_ok = ((1U << ballots) - 1) & ~1U;  // Ballot \ {0}
  const std::uint32_t phase1b_ok = (1U << ((ballots - 1) * PaxosCommit::kVoteCodes)) - 1;
  const std::uint32_t phase2_ok = (1U << (2 * ballots)) - 1;
  const int votes = 1 + 2 * ballots;
  if ((in.phase1a & ~phase1a_ok) != 0 || (in.phase2a & ~phase2_ok) != 0) return false;
  if (in.reserved != 0) return false;
  for (int ac = 0; ac < PaxosCommit::kMaxAcceptors; ++ac) {
    const std::uint8_t a = in.a_state[ac];
    if (ac >= acceptors) {
      if (a != 0 || in.phase1b[ac] != 0 || in.phase2b[ac] != 0) return false;
      continue;
    }
    if (PaxosCommit::mbal_of(a) >= ballots || PaxosCommit::vote_in(a) >= votes) return false;
    if ((in.phase1b[ac] & ~phase1b_ok) != 0) return false;
    // A phase 1b message's vote is a valid (bal, val) too.
    for (int mb = 1; mb < ballots; ++mb) {
      const std::uint32_t seg = (in.phase1b[ac] >> ((mb - 1) * PaxosCommit::kVoteCodes)) & 0x7F;
      if ((seg >> votes) != 0) return false;
    }
    if ((in.phase2b[ac] & ~phase2_ok) != 0) return false;
  }
  return true;
}

}  // namespace

std::optional<check::Violation> PaxosCommit::check(const State& s) const {
  // PCTypeOK: rmState, aState and msgs within their types; unused instances all zero.
  bool type_ok = (s.msgs_decision & ~(kCommitMsg | kAbortMsg)) == 0 && s.reserved == 0;
  for (int r = 0; r < kMaxRms && type_ok; ++r) {
    type_ok = r < rms_ ? instance_type_ok(s.ins[r], acceptors_, ballots_) : s.ins[r] == Instance{};
  }
  if (!type_ok) return check::Violation{"PCTypeOK", describe_state(s)};
  // TC!TCConsistent: PaxosCommit implements TCommit, so no RM aborted while another committed.
  int aborted = -1;
  int committed = -1;
  for (int r = 0; r < rms_; ++r) {
    if (s.ins[r].rm_state == RmState::aborted && aborted < 0) aborted = r;
    if (s.ins[r].rm_state == RmState::committed && committed < 0) committed = r;
  }
  if (aborted >= 0 && committed >= 0) {
    return check::Violation{
        "TCConsistent", rm_name(aborted) + " aborted while " + rm_name(committed) + " committed"};
  }
  return std::nullopt;
}

}  // namespace txsim::textbook
