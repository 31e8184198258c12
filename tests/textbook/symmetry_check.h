// Brute-force checks of a model's RM symmetry reduction, for the textbook tests:
//   count_orbits: the number of orbits of a set of states under every permutation of the RMs,
//     found by marking each state's whole orbit (via model.permute) as seen;
//   expect_canonical_exact: canonical() and fingerprint() are constant on every orbit, and
//     canonical(s) lies in the orbit of s.
// Together with "the symmetric exploration finds exactly count_orbits states" these show that
// the canonical form neither splits an orbit nor merges two.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <unordered_set>
#include <vector>

namespace txsim::textbook::testing {

inline std::vector<std::vector<int>> all_permutations(int n) {
  std::vector<int> p(static_cast<std::size_t>(n));
  std::iota(p.begin(), p.end(), 0);
  std::vector<std::vector<int>> out;
  do out.push_back(p);
  while (std::next_permutation(p.begin(), p.end()));
  return out;
}

// `plain` must have symmetry off (its fingerprint hashes the state itself).
template <class M>
std::uint64_t count_orbits(const M& plain, const std::vector<typename M::State>& states) {
  using State = typename M::State;
  struct Hash {
    const M* m;
    std::size_t operator()(const State& s) const { return m->fingerprint(s); }
  };
  const auto perms = all_permutations(plain.rms());
  std::unordered_set<State, Hash> seen(states.size(), Hash{&plain});
  std::uint64_t orbits = 0;
  for (const State& s : states) {
    if (seen.contains(s)) continue;
    ++orbits;
    for (const auto& p : perms) seen.insert(plain.permute(s, p));
  }
  return orbits;
}

template <class M>
void expect_canonical_exact(const M& plain, const M& sym,
                            const std::vector<typename M::State>& states) {
  const auto perms = all_permutations(plain.rms());
  for (const auto& s : states) {
    const auto c = sym.canonical(s);
    const std::uint64_t f = sym.fingerprint(s);
    bool in_orbit = false;
    for (const auto& p : perms) {
      const auto t = plain.permute(s, p);
      ASSERT_EQ(sym.canonical(t), c) << plain.describe_state(s);
      ASSERT_EQ(sym.fingerprint(t), f) << plain.describe_state(s);
      in_orbit = in_orbit || t == c;
    }
    ASSERT_TRUE(in_orbit) << plain.describe_state(s);
  }
}

}  // namespace txsim::textbook::testing
