// The brute-force side of the symmetry tests (tests/check/symmetry*_test.cc), for any protocol
// with renaming hooks: every reachable world compared in full, the orbits among them, and the
// check that successors of a renamed world are the renamed successors (the contract of
// sim/protocol.h, RenamesNodes).
//
// Why brute force: the reduction (sim/check/symmetry.h) claims its distinct-state count is the
// number of orbits of the unreduced reachable space. These helpers compute both without
// fingerprint shortcuts (worlds and representatives are compared with operator==), so a hook
// that forgets an id, or a container left unsorted, shows up as a count that differs.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "protocols/registry.h"
#include "sim/check/explore.h"
#include "sim/check/protocol_model.h"
#include "sim/invariant.h"
#include "sim/scenario_loader.h"
#include "tests/sim/sim_test_support.h"

namespace txsim::check::symmetry_test {

using test::registry_context;

// A scenario of `protocol` (its options `opts`): coordinator C and `n` participants P1..Pn with
// an account `a` of 100 each; t1 takes 10 from each. `extra` is appended.
inline std::string withdraw_all_text(const std::string& protocol, int n, const std::string& opts,
                                     const std::string& extra) {
  std::string names, accounts, transfers;
  for (int i = 1; i <= n; ++i) {
    const std::string p = "P" + std::to_string(i);
    names += (i > 1 ? ", " : "") + p;
    accounts += (i > 1 ? ", " : "") + p + ": {a: 100}";
    transfers += "        - {at: " + p + ", account: a, amount: -10}\n";
  }
  return "name: sym\nprotocols: [" + protocol + "]\nnodes: {coordinator: C, participants: [" +
         names + "]}\naccounts: {" + accounts + "}\nworkload:\n  transactions:\n    - id: t1\n" +
         "      transfers:\n" + transfers + "options: {" + protocol + ": " + opts + "}\n" + extra;
}

inline Scenario load(const std::string& text, const std::string& file = "sym.yaml") {
  Result<Scenario> sc = load_scenario_text(text, file, registry_context());
  if (!sc) throw std::runtime_error(sc.error().message);
  return std::move(*sc);
}

inline Scenario load_file(const std::string& relative) {
  const std::string path = std::string(TXSIM_SOURCE_DIR) + "/" + relative;
  Result<Scenario> sc = load_scenario_file(path, registry_context());
  if (!sc) throw std::runtime_error(sc.error().message);
  return std::move(*sc);
}

inline CheckSpec spec_of(std::uint32_t crashes, bool symmetry) {
  CheckSpec s;
  s.crashes = crashes;
  s.symmetry = symmetry;
  return s;
}

// Every reachable world, compared in full (no fingerprint shortcuts): the brute-force side.
template <class P>
std::vector<World<P>> reachable(const ProtocolModel<P>& m) {
  std::vector<World<P>> all;
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_fp;
  auto add = [&](World<P>&& w) {
    auto& bucket = by_fp[world_fingerprint(m.protocol(), w)];
    for (std::size_t i : bucket)
      if (all[i] == w) return;
    bucket.push_back(all.size());
    all.push_back(std::move(w));
  };
  for (auto& w : m.initial_states()) add(std::move(w));
  for (std::size_t i = 0; i < all.size(); ++i) {
    const World<P> w = all[i];
    m.successors(w, [&](const Action&, World<P>&& next) { add(std::move(next)); });
  }
  return all;
}

// The worlds along `walks` random paths of at most `steps` steps from an initial world (a fixed
// seed: the same worlds every run). For spaces too large to enumerate: deep worlds, sampled.
template <class P>
std::vector<World<P>> walk(const ProtocolModel<P>& m, std::size_t walks, std::size_t steps) {
  std::mt19937_64 rng(20061);  // any fixed seed
  const std::vector<World<P>> starts = m.initial_states();
  std::vector<World<P>> out;
  for (std::size_t i = 0; i < walks; ++i) {
    World<P> w = starts[i % starts.size()];
    for (std::size_t k = 0; k < steps; ++k) {
      std::vector<World<P>> next;
      m.successors(w, [&](const Action&, World<P>&& x) { next.push_back(std::move(x)); });
      if (next.empty()) break;
      w = std::move(next[rng() % next.size()]);
      out.push_back(w);
    }
  }
  return out;
}

// Distinct canonical worlds among `worlds`, compared in full.
template <class P>
std::size_t orbits(const ProtocolModel<P>& sym, const std::vector<World<P>>& worlds) {
  std::vector<World<P>> reps;
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> by_fp;
  for (const auto& w : worlds) {
    World<P> c = sym.canonical(w);
    auto& bucket = by_fp[world_fingerprint(sym.protocol(), c)];
    if (std::none_of(bucket.begin(), bucket.end(), [&](std::size_t i) { return reps[i] == c; })) {
      bucket.push_back(reps.size());
      reps.push_back(std::move(c));
    }
  }
  return reps.size();
}

template <class M>
CheckResult<M> run(const M& m, unsigned threads = 1, bool store = false) {
  CheckOptions opt;
  opt.threads = threads;
  opt.store_states = store;
  return explore(m, opt);
}

// The reduction is exact on `plain`'s space: the unreduced search finds every reachable world
// and the reduced one exactly one world per orbit, both with verdict ok. Returns the two
// distinct-state counts, {worlds, orbits}, for the callers' pins.
template <class P>
std::pair<std::uint64_t, std::uint64_t> expect_exact_orbits(const ProtocolModel<P>& plain,
                                                            const ProtocolModel<P>& sym,
                                                            const std::string& what = "") {
  const auto all = reachable(plain);
  const std::size_t orbit_count = orbits(sym, all);
  const auto full = run(plain);
  const auto reduced = run(sym);
  EXPECT_EQ(full.verdict, Verdict::ok) << what;
  EXPECT_EQ(reduced.verdict, Verdict::ok) << what;
  EXPECT_EQ(full.distinct_states, all.size()) << what;
  EXPECT_EQ(reduced.distinct_states, orbit_count) << what;
  return {full.distinct_states, reduced.distinct_states};
}

// For every `stride`-th world of `worlds` and every renaming r of `m`'s classes: r(w) has the
// fingerprint of w, and the successors of r(w) are the r-images of w's successors (compared by
// full-world fingerprint), with the same invariant verdict. Returns how many renamed worlds
// differed from their original (a test that never moves a world proves nothing).
template <class P>
std::size_t expect_successors_commute(const ProtocolModel<P>& m,
                                      const std::vector<World<P>>& worlds, std::size_t stride) {
  const P& p = m.protocol();
  std::size_t moved = 0;
  for (std::size_t i = 0; i < worlds.size(); i += stride) {
    const World<P>& w = worlds[i];
    for (const NodeRenaming& r : m.symmetry().renamings()) {
      const World<P> rw = m.symmetry().renamed(p, w, r);
      if (!(rw == w)) ++moved;
      EXPECT_EQ(m.fingerprint(rw), m.fingerprint(w));
      EXPECT_EQ(world_fingerprint(p, m.canonical(w)), m.fingerprint(w));
      std::vector<std::uint64_t> a, b;
      m.successors(rw, [&](const Action&, World<P>&& x) { a.push_back(world_fingerprint(p, x)); });
      m.successors(w, [&](const Action&, World<P>&& x) {
        b.push_back(world_fingerprint(p, m.symmetry().renamed(p, x, r)));
      });
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      EXPECT_EQ(a, b) << "world " << i << ": " << m.describe_state(w);
      EXPECT_EQ(m.check_invariants(rw).has_value(), m.check_invariants(w).has_value());
      if (a != b) return moved;  // one counterexample is enough to read
    }
  }
  return moved;
}

}  // namespace txsim::check::symmetry_test
