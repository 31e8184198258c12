// The hand-built scenario of the 2PC and 3PC handler tests: coordinator C, participants
// P1..P3, four accounts and four transactions chosen so that the tests meet a commit, a lock
// conflict, a no vote forced by a balance and a scripted no vote. Both protocols are atomic
// commitment protocols over the same roles, so their tests share it (names and effect strings
// such as "obs lock t1 P1.a" then read the same in both suites).
#pragma once

#include <string>

#include "sim/scenario.h"
#include "sim/types.h"
#include "tests/protocols/handler_harness.h"

namespace txsim::protocol_testing::atomic_commit {

inline constexpr NodeId C = 0, P1 = 1, P2 = 2, P3 = 3;
// t1: P1.a -30, P2.b +10, P3.c +20      (all three participants)
// t2: P1.a -80, P3.c +80                (conflicts with t1 on P1.a and P3.c)
// t3: P1.d -10, P2.b +10                (P1.d holds 5: P1 must vote no)
// t4: P1.a -1, P2.b +1, P2 scripted no
inline constexpr TxId T1 = 0, T2 = 1, T3 = 2, T4 = 3;
inline constexpr AccountId A = 0, B = 1, Cacc = 2, D = 3;

// `name` and `protocol` as in a scenario file ("two-phase-unit", "two_phase").
inline Scenario make_scenario(std::string name, std::string protocol) {
  Scenario sc;
  sc.name = std::move(name);
  sc.protocols = {std::move(protocol)};
  sc.nodes = {{"C", Role::coordinator, {}},
              {"P1", Role::participant, {}},
              {"P2", Role::participant, {}},
              {"P3", Role::participant, {}}};
  sc.accounts = {{"a", P1, 100}, {"b", P2, 50}, {"c", P3, 0}, {"d", P1, 5}};
  sc.transactions = {
      make_tx("t1", {{P1, A, -30}, {P2, B, 10}, {P3, Cacc, 20}}),
      make_tx("t2", {{P1, A, -80}, {P3, Cacc, 80}}),
      make_tx("t3", {{P1, D, -10}, {P2, B, 10}}),
      make_tx("t4", {{P1, A, -1}, {P2, B, 1}}, {P2}),
  };
  return sc;
}

}  // namespace txsim::protocol_testing::atomic_commit
