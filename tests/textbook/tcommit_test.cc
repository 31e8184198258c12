// TCommit (protocols/textbook/tcommit.h): TLC's counts for TCommit.cfg, closed forms for every
// number of RMs, the symmetry reduction, the invariants and the descriptions.
#include "protocols/textbook/tcommit.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "tests/textbook/reference_bfs.h"
#include "tests/textbook/symmetry_check.h"

namespace txsim::textbook {
namespace {

using testing::reference_bfs;

std::uint64_t pow_u(std::uint64_t b, int e) {
  std::uint64_t r = 1;
  while (e-- > 0) r *= b;
  return r;
}
std::uint64_t binom(int n, int k) {
  std::uint64_t r = 1;
  for (int i = 1; i <= k; ++i) r = r * static_cast<std::uint64_t>(n - k + i) / i;
  return r;
}

// TCommit.cfg: RM = {r1, r2, r3}, INVARIANTS TCTypeOK TCConsistent, CHECK_DEADLOCK FALSE.
// TLC (tlaplus/Examples manifest.json): 34 distinct states, 94 generated, depth 7.
TEST(TCommit, TlcConfigThreeRms) {
  const auto r = reference_bfs(TCommit(3));
  EXPECT_EQ(r.distinct, 34U);
  EXPECT_EQ(r.generated, 94U);
  EXPECT_EQ(r.depth, 7U);
  EXPECT_FALSE(r.violation.has_value());
  EXPECT_EQ(r.deadlocks, 0U);  // terminal states exist, but CHECK_DEADLOCK is FALSE
}

// Closed forms for n RMs, with proofs.
//
// Reachable states R = A u C with A = {w,p,a}^n and C = {p,c}^n minus {p}^n.
//  * R is closed under TCNext and contains TCInit: from A, Prepare stays in A, abort stays in A,
//    commit needs every RM in {p,c} (so the state is all-p) and lands in C; from C, only commit
//    of a "p" is enabled (abort needs notCommitted, Prepare needs a "w"), and it stays in C.
//  * Everything in R is reachable: any s in A by preparing its p's and its a's, then aborting
//    its a's (notCommitted holds throughout); any s in C from all-p by committing its c's.
// Hence distinct = 3^n + 2^n - 1.
//
// Generated = 1 + sum over R of the enabled (r, disjunct) pairs. In A, each w enables Prepare
// and abort (2), each p enables abort (1), and the all-p state also enables n commits: summing
// over A gives 2 n 3^(n-1) + n 3^(n-1) + n = n 3^n + n. In C, a state with k >= 1 c's enables
// n - k commits: sum_k C(n,k)(n-k) - n = n 2^(n-1) - n. Total 1 + n 3^n + n 2^(n-1).
//
// Depth: a step changes one RM, and each RM changes at most twice on any path (w->p->c, w->a,
// w->p->a), so no state is farther than 2n steps; all-committed needs exactly 2n. Depth 2n + 1.
//
// Orbits under RM permutations: multisets of size n over {w,p,a} plus, over {p,c}, those with
// at least one c: C(n+2, 2) + n.
TEST(TCommit, ClosedFormsForOneToSixRms) {
  for (int n = 1; n <= 6; ++n) {
    SCOPED_TRACE(n);
    const auto r = reference_bfs(TCommit(n));
    EXPECT_EQ(r.distinct, pow_u(3, n) + pow_u(2, n) - 1);
    EXPECT_EQ(r.generated, 1 + n * pow_u(3, n) + n * pow_u(2, n - 1));
    EXPECT_EQ(r.depth, static_cast<std::uint64_t>(2 * n + 1));
    EXPECT_FALSE(r.violation.has_value());
    const auto sym = reference_bfs(TCommit(n, /*symmetry=*/true));
    EXPECT_EQ(sym.distinct, binom(n + 2, 2) + n);
    EXPECT_EQ(sym.depth, r.depth);  // a permutation preserves distances from the initial state
  }
}

TEST(TCommit, SymmetryCountsExactlyTheOrbits) {
  for (int n = 1; n <= 5; ++n) {
    SCOPED_TRACE(n);
    const TCommit plain(n);
    const TCommit sym(n, true);
    const auto all = reference_bfs(plain);
    testing::expect_canonical_exact(plain, sym, all.states);
    EXPECT_EQ(reference_bfs(sym).distinct, testing::count_orbits(plain, all.states));
  }
}

TEST(TCommit, InvariantsCatchInconsistentAndIllTypedStates) {
  const TCommit m(3);
  TCommit::State s;
  s.rm_state = rm_set(rm_set(kAllWorking, 0, RmState::committed), 2, RmState::aborted);
  const auto v = m.check(s);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->invariant, "TCConsistent");
  EXPECT_EQ(v->detail, "r3 aborted while r1 committed");
  s.rm_state = rm_set(kAllWorking, 3, RmState::prepared);  // a fourth RM
  ASSERT_TRUE(m.check(s).has_value());
  EXPECT_EQ(m.check(s)->invariant, "TCTypeOK");
}

TEST(TCommit, SuccessorsFollowTcNextOrderWithTlaNames) {
  const TCommit m(2);
  TCommit::State all_prepared;
  all_prepared.rm_state = rm_set(rm_set(kAllWorking, 0, RmState::prepared), 1, RmState::prepared);
  std::vector<std::string> names;
  m.successors(all_prepared, [&](const check::Action& a, TCommit::State&&) {
    names.push_back(m.describe_action(all_prepared, a));
  });
  EXPECT_EQ(names, (std::vector<std::string>{"Decide(r1) [commit]", "Decide(r1) [abort]",
                                             "Decide(r2) [commit]", "Decide(r2) [abort]"}));
  EXPECT_EQ(m.describe_state(all_prepared), R"({"rmState":{"r1":"prepared","r2":"prepared"}})");
}

}  // namespace
}  // namespace txsim::textbook
