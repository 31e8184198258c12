// The real checker (sim/check/explore.h) on the textbook models: with one and two threads, with
// fingerprints only and with stored states, with and without symmetry, it reports TLC's counts
// and the reference BFS's (tests/textbook/reference_bfs.h), and no violation or deadlock.
#include <gtest/gtest.h>

#include <cstdint>

#include "protocols/textbook/textbook.h"
#include "sim/check/explore.h"
#include "tests/textbook/reference_bfs.h"

namespace txsim::textbook {
namespace {

struct Counts {
  std::uint64_t distinct, generated, depth;
};

template <class M>
void expect_checker_counts(const M& model, Counts want) {
  for (unsigned threads : {1U, 2U}) {
    for (bool store_states : {false, true}) {
      // With symmetry, store_states compares canonical forms (the model's canonical()), so
      // both modes must count the same orbits.
      SCOPED_TRACE(::testing::Message() << threads << " threads, store_states " << store_states);
      check::CheckOptions options;
      options.threads = threads;
      options.store_states = store_states;
      const auto r = check::explore(model, options);
      EXPECT_EQ(r.verdict, check::Verdict::ok);
      EXPECT_EQ(r.distinct_states, want.distinct);
      EXPECT_EQ(r.states_generated, want.generated);
      EXPECT_EQ(r.depth, want.depth);
    }
  }
}

template <class M>
void expect_checker_matches_reference(const M& model) {
  const auto ref = testing::reference_bfs(model);
  expect_checker_counts(model, Counts{ref.distinct, ref.generated, ref.depth});
}

TEST(TextbookChecker, TlcConfigsOfTCommitAndTwoPhase) {
  expect_checker_counts(TCommit(3), {34, 94, 7});
  expect_checker_counts(TwoPhaseTla(3), {288, 1146, 11});
  expect_checker_counts(TwoPhaseTla(6), {50816, 402306, 20});
}

TEST(TextbookChecker, AgreesWithTheReferenceBfsWithAndWithoutSymmetry) {
  for (bool symmetry : {false, true}) {
    SCOPED_TRACE(symmetry ? "symmetry" : "no symmetry");
    expect_checker_matches_reference(TCommit(5, symmetry));
    expect_checker_matches_reference(TwoPhaseTla(5, symmetry));
    expect_checker_matches_reference(PaxosCommit(1, 3, 2, symmetry));
    expect_checker_matches_reference(PaxosCommit(3, 1, 2, symmetry));
  }
  expect_checker_counts(TwoPhaseTla(3, true), {80, 318, 11});
}

}  // namespace
}  // namespace txsim::textbook
