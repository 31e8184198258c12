// TwoPhaseTla (protocols/textbook/two_phase_tla.h): TLC's counts for TwoPhase.cfg, the
// six-RM figure quoted in TwoPhase.tla, closed forms for every number of RMs, the symmetry
// reduction, the invariants and the descriptions.
#include "protocols/textbook/two_phase_tla.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "tests/textbook/reference_bfs.h"
#include "tests/textbook/symmetry_check.h"

namespace txsim::textbook {
namespace {

using testing::reference_bfs;
using State = TwoPhaseTla::State;

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

// TwoPhase.cfg: RM = {r1, r2, r3}, INVARIANT TPTypeOK, deadlock checking on.
// TLC (tlaplus/Examples manifest.json): 288 distinct states, 1146 generated, depth 11.
TEST(TwoPhaseTla, TlcConfigThreeRms) {
  const auto r = reference_bfs(TwoPhaseTla(3));
  EXPECT_EQ(r.distinct, 288U);
  EXPECT_EQ(r.generated, 1146U);
  EXPECT_EQ(r.depth, 11U);
  EXPECT_FALSE(r.violation.has_value());  // TPTypeOK and TC!TCConsistent
  EXPECT_EQ(r.deadlocks, 0U);             // no state is without successor
}

// Closed forms for n RMs, with proofs. Per RM r, write its tuple as (rmState, r \in tmPrepared,
// Prepared(r) \in msgs); tmPrepared implies Prepared, and no variable relates two RMs.
//  * tmState = "init" (no Commit/Abort message): each RM is one of W = (w,-,-), P0 = (p,-,P),
//    P1 = (p,T,P), A = (a,-,-) (aborted from working: nothing else aborts without an Abort
//    message). RMs move independently, so all 4^n combinations are reachable.
//  * "committed": TMCommit needed tmPrepared = RM, frozen since; each RM is (p|c, T, P): 2^n.
//  * "aborted": TMAbort can fire in any "init" state; afterwards RMs still prepare, abort from
//    working, and receive Abort from any state: W, P0, P1, A, (a,-,P), (a,T,P): 6^n.
// Distinct = 4^n + 2^n + 6^n (n = 6: 50816, the figure quoted at the end of TwoPhase.tla).
//
// Generated = 1 + successors summed over the states. "init": TMAbort always (4^n), TMCommit in
// the all-P1 state (1), and per RM: W 2 (RMPrepare, RMChooseToAbort), P0 and P1 1
// (TMRcvPrepared), A 0, summing to n 4^(n-1) (2+1+1+0) = n 4^n. "committed": RMRcvCommitMsg for
// every RM: n 2^n. "aborted": per RM, RMRcvAbortMsg always plus 2 for W: n 6^(n-1) (3+5) =
// 8 n 6^(n-1). Total 2 + (n + 1) 4^n + n 2^n + 8 n 6^(n-1).
//
// Depth: each RM takes part in at most 3 state changes (prepare, TM receipt, decision receipt)
// and the TM decides once, so every state is within 3n + 1 steps; all-committed needs exactly
// that many. Depth 3n + 2.
//
// Orbits: multisets of per-RM categories in each TM state: C(n+3,3) + (n+1) + C(n+5,5).
TEST(TwoPhaseTla, ClosedFormsForOneToSevenRms) {
  for (int n = 1; n <= 7; ++n) {
    SCOPED_TRACE(n);
    const auto r = reference_bfs(TwoPhaseTla(n));
    EXPECT_EQ(r.distinct, pow_u(4, n) + pow_u(2, n) + pow_u(6, n));
    EXPECT_EQ(r.generated, 2 + (n + 1) * pow_u(4, n) + n * pow_u(2, n) + 8 * n * pow_u(6, n - 1));
    EXPECT_EQ(r.depth, static_cast<std::uint64_t>(3 * n + 2));
    EXPECT_FALSE(r.violation.has_value());
    EXPECT_EQ(r.deadlocks, 0U);
    const auto sym = reference_bfs(TwoPhaseTla(n, /*symmetry=*/true));
    EXPECT_EQ(sym.distinct, binom(n + 3, 3) + (n + 1) + binom(n + 5, 5));
    EXPECT_EQ(sym.depth, r.depth);
  }
  EXPECT_EQ(reference_bfs(TwoPhaseTla(6)).distinct, 50816U);
}

TEST(TwoPhaseTla, SymmetryCountsExactlyTheOrbits) {
  for (int n = 1; n <= 5; ++n) {
    SCOPED_TRACE(n);
    const TwoPhaseTla plain(n);
    const TwoPhaseTla sym(n, true);
    const auto all = reference_bfs(plain);
    testing::expect_canonical_exact(plain, sym, all.states);
    EXPECT_EQ(reference_bfs(sym).distinct, testing::count_orbits(plain, all.states));
  }
}

TEST(TwoPhaseTla, InvariantsCatchInconsistentAndIllTypedStates) {
  const TwoPhaseTla m(3);
  State s;
  s.rm_state = rm_set(rm_set(kAllWorking, 1, RmState::aborted), 2, RmState::committed);
  ASSERT_TRUE(m.check(s).has_value());
  EXPECT_EQ(m.check(s)->invariant, "TCConsistent");
  EXPECT_EQ(m.check(s)->detail, "r2 aborted while r3 committed");
  State bad;
  bad.tm_prepared = 1U << 3;  // r4 is not in RM
  ASSERT_TRUE(m.check(bad).has_value());
  EXPECT_EQ(m.check(bad)->invariant, "TPTypeOK");
}

TEST(TwoPhaseTla, SuccessorsFollowTpNextOrderIncludingStutteringSteps) {
  const TwoPhaseTla m(2);
  State s;  // r1 prepared, its Prepared message received; r2 working
  s.rm_state = rm_set(kAllWorking, 0, RmState::prepared);
  s.tm_prepared = 1;
  s.msgs_prepared = 1;
  std::vector<std::string> names;
  std::vector<State> next;
  m.successors(s, [&](const check::Action& a, State&& t) {
    names.push_back(m.describe_action(s, a));
    next.push_back(t);
  });
  EXPECT_EQ(names, (std::vector<std::string>{"TMAbort", "TMRcvPrepared(r1)", "RMPrepare(r2)",
                                             "RMChooseToAbort(r2)"}));
  EXPECT_EQ(next[1], s);  // receiving r1's Prepared again is a stuttering step, still generated
  EXPECT_EQ(m.describe_state(next[0]),
            R"({"rmState":{"r1":"prepared","r2":"working"},"tmState":"aborted",)"
            R"("tmPrepared":["r1"],"msgs":[{"type":"Prepared","rm":"r1"},{"type":"Abort"}]})");
}

}  // namespace
}  // namespace txsim::textbook
