// PaxosCommitSlow: the RM symmetry reduction on the full PaxosCommit.cfg state space (1.3 million
// states, explored twice and every state permuted). Suite named *Slow so ctest can label it.
#include <gtest/gtest.h>

#include <cstdint>

#include "protocols/textbook/paxos_commit.h"
#include "sim/check/explore.h"
#include "tests/textbook/reference_bfs.h"
#include "tests/textbook/symmetry_check.h"

namespace txsim::textbook {
namespace {

using testing::reference_bfs;

// With two RMs the group is {identity, swap}. Burnside's lemma gives the number of orbits as
// (|states| + |states fixed by the swap|) / 2; a state is fixed iff its two instances are
// equal. Three independent counts must agree: Burnside, brute force, and the symmetric run.
TEST(PaxosCommitSlow, SymmetryCountsExactlyTheOrbitsOfTheTlcConfig) {
  const PaxosCommit plain(2, 3, 2);
  const PaxosCommit sym(2, 3, 2, true);
  const auto all = reference_bfs(plain);
  ASSERT_EQ(all.distinct, 1321761U);
  std::uint64_t fixed = 0;
  for (const auto& s : all.states) fixed += s.ins[0] == s.ins[1];
  const std::uint64_t burnside = (all.distinct + fixed) / 2;
  EXPECT_EQ(burnside, testing::count_orbits(plain, all.states));
  testing::expect_canonical_exact(plain, sym, all.states);
  const auto reduced = reference_bfs(sym);
  EXPECT_EQ(reduced.distinct, burnside);
  EXPECT_EQ(reduced.distinct, 661611U);
  EXPECT_EQ(reduced.depth, 28U);
  EXPECT_FALSE(reduced.violation.has_value());
}

// The real checker on PaxosCommit.cfg, two threads, fingerprints only: TLC's figures.
TEST(PaxosCommitSlow, CheckerReportsTlcCountsForTheTlcConfig) {
  check::CheckOptions options;
  options.threads = 2;
  const auto r = check::explore(PaxosCommit(2, 3, 2), options);
  EXPECT_EQ(r.verdict, check::Verdict::ok);
  EXPECT_EQ(r.distinct_states, 1321761U);
  EXPECT_EQ(r.states_generated, 16959159U);
  EXPECT_EQ(r.depth, 28U);
  const auto reduced = check::explore(PaxosCommit(2, 3, 2, /*symmetry=*/true), options);
  EXPECT_EQ(reduced.distinct_states, 661611U);
  EXPECT_EQ(reduced.depth, 28U);
}

}  // namespace
}  // namespace txsim::textbook
