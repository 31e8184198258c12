// The contract between the model checker and what it explores, as a C++20 concept.
//
// A Model is behaviour only (immutable after construction); its State is a plain value. The
// checker knows nothing else: textbook TLA+ ports (protocols/textbook/) implement it directly,
// and ProtocolModel<P> (sim/check/protocol_model.h) implements it over the *same* protocol
// handlers the simulator runs.
//
//   struct MyModel {
//     using State = ...;                       // ==, copyable, no pointers
//     std::vector<State> initial_states() const;
//     // Every enabled action binding, in a deterministic order, each as emit(action, next).
//     // Self-loops and duplicates are emitted too: TLC counts them in "states generated".
//     template <class Emit> void successors(const State&, Emit&& emit) const;
//     std::uint64_t fingerprint(const State&) const;   // of the canonical form (symmetry)
//     std::optional<Violation> check(const State&) const;  // invariants on this state
//     bool terminal_ok(const State&) const;    // a state with no successor is fine (not a
//                                              // deadlock / blocking state)
//     std::string describe_action(const State& from, const Action&) const;
//     std::string describe_state(const State&) const;      // JSON object, for reports
//   };
//
// Action is a small value naming the step (so a counterexample can be printed and replayed);
// its meaning belongs to the model. Invariants: successors() is a pure function of the state;
// fingerprint(a) == fingerprint(b) whenever a and b are equal up to the model's symmetry.
#pragma once

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace txsim::check {

struct Violation {
  std::string invariant;  // id, e.g. "AC1", "TCConsistent"
  std::string detail;
};

// A step of a model: kind plus up to three small operands, enough for every model here.
struct Action {
  std::uint32_t kind = 0;
  std::uint32_t a = 0, b = 0, c = 0;
  bool operator==(const Action&) const = default;
};

template <class M>
concept Model = requires(const M& m, const typename M::State& s, const Action& act) {
  typename M::State;
  { m.initial_states() } -> std::same_as<std::vector<typename M::State>>;
  m.successors(s, [](const Action&, typename M::State&&) {});
  { m.fingerprint(s) } -> std::same_as<std::uint64_t>;
  { m.check(s) } -> std::same_as<std::optional<Violation>>;
  { m.terminal_ok(s) } -> std::same_as<bool>;
  { m.describe_action(s, act) } -> std::same_as<std::string>;
  { m.describe_state(s) } -> std::same_as<std::string>;
  { s == s } -> std::convertible_to<bool>;
};

}  // namespace txsim::check
