// PaxosCommit (protocols/textbook/paxos_commit.h): TLC's counts for PaxosCommit.cfg, agreement
// with a literal transcription of the spec on small configurations (state for state), the
// symmetry reduction, the invariants and the descriptions.
#include "protocols/textbook/paxos_commit.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>
#include <vector>

#include "tests/textbook/paxos_commit_literal.h"
#include "tests/textbook/reference_bfs.h"
#include "tests/textbook/symmetry_check.h"

namespace txsim::textbook {
namespace {

using testing::LitAcc;
using testing::LitMsg;
using testing::LitState;
using testing::reference_bfs;
using State = PaxosCommit::State;
using Majorities = PaxosCommit::MajoritySets;

// PaxosCommit.cfg: RM = {r1, r2}, Acceptor = {a1, a2, a3}, Majority = its 2-subsets,
// Ballot = {0, 1}, INVARIANT PCTypeOK, deadlock checking on.
// TLC (tlaplus/Examples manifest.json): 1321761 distinct, 16959159 generated, depth 28.
TEST(PaxosCommit, TlcConfigTwoRmsThreeAcceptorsTwoBallots) {
  const auto r = reference_bfs(PaxosCommit(2, 3, 2));
  EXPECT_EQ(r.distinct, 1321761U);
  EXPECT_EQ(r.generated, 16959159U);
  EXPECT_EQ(r.depth, 28U);
  EXPECT_FALSE(r.violation.has_value());  // PCTypeOK and TC!TCConsistent
  EXPECT_EQ(r.deadlocks, 0U);
}

// The smaller configuration the fast tests pin: 1 RM, 3 acceptors, Ballot = {0, 1}. The counts
// come from this exploration and agree with the literal transcription below.
TEST(PaxosCommit, OneRmThreeAcceptorsTwoBallots) {
  const auto r = reference_bfs(PaxosCommit(1, 3, 2));
  EXPECT_EQ(r.distinct, 1461U);
  EXPECT_EQ(r.generated, 9936U);
  EXPECT_EQ(r.depth, 15U);
  EXPECT_FALSE(r.violation.has_value());
  EXPECT_EQ(r.deadlocks, 0U);
}

LitState to_literal(const PaxosCommit& m, const State& s) {
  auto val = [](int v) {
    return std::string(v == PaxosCommit::kPrepared ? "prepared" : "aborted");
  };
  auto vote_val = [&](int vote) {
    return vote == 0 ? std::string("none") : val(PaxosCommit::vote_val(vote));
  };
  LitState l;
  for (int r = 0; r < m.rms(); ++r) {
    const PaxosCommit::Instance& in = s.ins[r];
    l.rm_state.emplace_back(rm_state_name(in.rm_state));
    l.a_state.emplace_back();
    for (int ac = 0; ac < m.acceptors(); ++ac) {
      const int vote = PaxosCommit::vote_in(in.a_state[ac]);
      l.a_state.back().push_back(LitAcc{PaxosCommit::mbal_of(in.a_state[ac]),
                                        PaxosCommit::vote_bal(vote), vote_val(vote)});
      for (int bit = 0; bit < 16; ++bit) {
        if (((in.phase1b[ac] >> bit) & 1U) == 0) continue;
        const int v = bit % PaxosCommit::kVoteCodes;
        l.msgs.insert(LitMsg{.type = "phase1b",
                             .ins = r,
                             .bal = PaxosCommit::vote_bal(v),
                             .mbal = 1 + bit / PaxosCommit::kVoteCodes,
                             .acc = ac,
                             .val = vote_val(v)});
      }
      for (int bv = 0; bv < 8; ++bv) {
        if (((in.phase2b[ac] >> bv) & 1U) == 0) continue;
        l.msgs.insert(
            LitMsg{.type = "phase2b", .ins = r, .bal = bv / 2, .acc = ac, .val = val(bv & 1)});
      }
    }
    for (int b = 0; b < 8; ++b) {
      if (((in.phase1a >> b) & 1U) != 0)
        l.msgs.insert(LitMsg{.type = "phase1a", .ins = r, .bal = b});
      if (((in.phase2a >> b) & 1U) != 0) {
        l.msgs.insert(LitMsg{.type = "phase2a", .ins = r, .bal = b / 2, .val = val(b & 1)});
      }
    }
  }
  if ((s.msgs_decision & PaxosCommit::kCommitMsg) != 0) l.msgs.insert(LitMsg{.type = "Commit"});
  if ((s.msgs_decision & PaxosCommit::kAbortMsg) != 0) l.msgs.insert(LitMsg{.type = "Abort"});
  return l;
}

struct LitCounts {
  std::uint64_t distinct = 0, generated = 1, depth = 0;
  std::set<LitState> states;
};
LitCounts literal_bfs(const testing::PaxosCommitLiteral& spec) {
  LitCounts c;
  std::vector<LitState> level{spec.init()};
  c.states.insert(level[0]);
  while (!level.empty()) {
    ++c.depth;
    std::vector<LitState> next_level;
    for (const LitState& s : level) {
      for (LitState& t : spec.next(s)) {
        ++c.generated;
        if (c.states.insert(t).second) next_level.push_back(std::move(t));
      }
    }
    level.swap(next_level);
  }
  c.distinct = c.states.size();
  return c;
}

// The packed model and the literal transcription reach the same states (mapped one to one) with
// the same generated counts and depth: evidence independent of TLC for the configurations TLC's
// figures do not cover, and for the encoding itself.
TEST(PaxosCommit, AgreesWithTheLiteralSpecOnSmallConfigurations) {
  struct Config {
    int rms, acceptors, ballots;
    Majorities majorities;
  };
  for (const Config& cfg :
       {Config{1, 3, 2, Majorities::smallest}, Config{2, 1, 2, Majorities::smallest},
        Config{1, 1, 3, Majorities::smallest}, Config{1, 3, 2, Majorities::every},
        Config{1, 2, 3, Majorities::smallest}, Config{2, 2, 1, Majorities::smallest}}) {
    SCOPED_TRACE(::testing::Message()
                 << cfg.rms << " RMs, " << cfg.acceptors << " acceptors, " << cfg.ballots
                 << " ballots, " << (cfg.majorities == Majorities::every ? "every" : "smallest"));
    const PaxosCommit m(cfg.rms, cfg.acceptors, cfg.ballots, false, cfg.majorities);
    std::vector<std::set<int>> majority;
    for (std::uint8_t mask : m.majorities()) {
      std::set<int> ms;
      for (int ac = 0; ac < cfg.acceptors; ++ac) {
        if (((mask >> ac) & 1U) != 0) ms.insert(ac);
      }
      majority.push_back(ms);
    }
    const auto lit =
        literal_bfs(testing::PaxosCommitLiteral(cfg.rms, cfg.acceptors, cfg.ballots, majority));
    const auto r = reference_bfs(m);
    EXPECT_EQ(r.distinct, lit.distinct);
    EXPECT_EQ(r.generated, lit.generated);
    EXPECT_EQ(r.depth, lit.depth);
    std::set<LitState> mapped;
    for (const State& s : r.states) mapped.insert(to_literal(m, s));
    EXPECT_TRUE(mapped == lit.states);
  }
}

// Majority = every subset of more than half the acceptors adds {a1, a2, a3} to the cfg's
// 2-subsets: the same states (a superset of a majority is never needed as a witness), but more
// bindings of \E MS in Phase2a and Decide, so more generated states than TLC's figure.
TEST(PaxosCommit, LargerMajoritiesChangeOnlyTheGeneratedCount) {
  const PaxosCommit smallest(1, 3, 2);
  const PaxosCommit every(1, 3, 2, false, Majorities::every);
  EXPECT_EQ(smallest.majorities(), (std::vector<std::uint8_t>{0b011, 0b101, 0b110}));
  EXPECT_EQ(every.majorities(), (std::vector<std::uint8_t>{0b011, 0b101, 0b110, 0b111}));
  const auto a = reference_bfs(smallest);
  const auto b = reference_bfs(every);
  EXPECT_EQ(a.distinct, b.distinct);
  EXPECT_EQ(a.depth, b.depth);
  EXPECT_LT(a.generated, b.generated);
}

TEST(PaxosCommit, SymmetryCountsExactlyTheOrbitsOnSmallConfigurations) {
  for (const auto& [rms, acceptors, ballots] :
       {std::tuple{2, 1, 2}, std::tuple{3, 1, 2}, std::tuple{2, 2, 2}, std::tuple{3, 2, 1}}) {
    SCOPED_TRACE(::testing::Message()
                 << rms << " RMs, " << acceptors << " acceptors, " << ballots << " ballots");
    const PaxosCommit plain(rms, acceptors, ballots);
    const PaxosCommit sym(rms, acceptors, ballots, true);
    const auto all = reference_bfs(plain);
    testing::expect_canonical_exact(plain, sym, all.states);
    const auto reduced = reference_bfs(sym);
    EXPECT_EQ(reduced.distinct, testing::count_orbits(plain, all.states));
    EXPECT_EQ(reduced.depth, all.depth);
  }
}

TEST(PaxosCommit, InvariantsCatchInconsistentAndIllTypedStates) {
  const PaxosCommit m(2, 3, 2);
  State s;
  s.ins[0].rm_state = RmState::committed;
  s.ins[1].rm_state = RmState::aborted;
  ASSERT_TRUE(m.check(s).has_value());
  EXPECT_EQ(m.check(s)->invariant, "TCConsistent");
  EXPECT_EQ(m.check(s)->detail, "r2 aborted while r1 committed");
  State bad;
  bad.ins[0].a_state[1] = 2 << 4;  // mbal = 2 is not in Ballot = {0, 1}
  ASSERT_TRUE(m.check(bad).has_value());
  EXPECT_EQ(m.check(bad)->invariant, "PCTypeOK");
  State extra;
  extra.ins[2].phase1a = 2;  // a third instance, but RM = {r1, r2}
  ASSERT_TRUE(m.check(extra).has_value());
}

TEST(PaxosCommit, DescribesActionsWithTheirBindingsAndStatesAsJson) {
  const PaxosCommit m(1, 2, 2);  // Majority = {{a1, a2}}
  State s{};
  std::vector<std::string> names;
  auto record = [&](const State& from) {
    names.clear();
    m.successors(from, [&](const check::Action& a, State&&) {
      names.push_back(m.describe_action(from, a));
    });
  };
  record(s);
  EXPECT_EQ(names,
            (std::vector<std::string>{"RMPrepare(r1)", "RMChooseToAbort(r1)", "Phase1a(1, r1)"}));
  // r1 prepared; a1 and a2 accepted (0, "prepared"); the phase 1a for ballot 1 was sent.
  s.ins[0].rm_state = RmState::prepared;
  s.ins[0].phase2a = 1U << (2 * 0 + PaxosCommit::kPrepared);
  s.ins[0].phase1a = 1U << 1;
  for (int ac = 0; ac < 2; ++ac) {
    s.ins[0].a_state[ac] =
        static_cast<std::uint8_t>(PaxosCommit::vote_of(0, PaxosCommit::kPrepared));
    s.ins[0].phase2b[ac] = 1U << (2 * 0 + PaxosCommit::kPrepared);
  }
  EXPECT_FALSE(m.check(s).has_value());
  record(s);
  EXPECT_EQ(names, (std::vector<std::string>{
                       "Phase1a(1, r1)",
                       "Decide [Commit] with Decided(r1, \"prepared\") by b = 0, MS = {a1, a2}",
                       "Phase1b(a1) with m = [type |-> \"phase1a\", ins |-> r1, bal |-> 1]",
                       "Phase2b(a1) with m = [type |-> \"phase2a\", ins |-> r1, bal |-> 0, val |-> "
                       "\"prepared\"]",
                       "Phase1b(a2) with m = [type |-> \"phase1a\", ins |-> r1, bal |-> 1]",
                       "Phase2b(a2) with m = [type |-> \"phase2a\", ins |-> r1, bal |-> 0, val |-> "
                       "\"prepared\"]"}));
  EXPECT_EQ(
      m.describe_state(s),
      R"({"rmState":{"r1":"prepared"},"aState":{"r1":{)"
      R"("a1":{"mbal":0,"bal":0,"val":"prepared"},"a2":{"mbal":0,"bal":0,"val":"prepared"}}},)"
      R"("msgs":[{"type":"phase1a","ins":"r1","bal":1},)"
      R"({"type":"phase2a","ins":"r1","bal":0,"val":"prepared"},)"
      R"({"type":"phase2b","acc":"a1","ins":"r1","bal":0,"val":"prepared"},)"
      R"({"type":"phase2b","acc":"a2","ins":"r1","bal":0,"val":"prepared"}]})");
}

}  // namespace
}  // namespace txsim::textbook
