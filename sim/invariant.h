// Invariants: named properties over the Ledger, each with a paragraph written for a student.
//
// Both engines run the same objects. Kinds:
//  - always:    must hold after every step; checked on what the step touched (Ledger::touched_*),
//               or on everything when `scope_all` is set (the checker, and the final check).
//  - quiescent: must hold once nothing is in flight and no timer is armed (the run settled).
//  - final:     judged once at the end of a run (AC4 needs the whole run to know "no faults").
// check() returns a human-readable detail when violated, std::nullopt when it holds.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/ledger.h"
#include "sim/scenario.h"

namespace txsim {

enum class InvariantKind : std::uint8_t { always, quiescent, final };
std::string_view to_string(InvariantKind kind);

struct InvariantInfo {
  std::string_view id;           // "AC1": what scenarios write in expect.violation
  std::string_view title;        // "agreement"
  std::string_view explanation;  // one paragraph for a student
  InvariantKind kind;
};

class Invariant {
 public:
  virtual ~Invariant() = default;
  virtual const InvariantInfo& info() const = 0;
  virtual std::optional<std::string> check(const Scenario& sc, const Ledger& ledger,
                                           bool scope_all) const = 0;
};

// The standard set, in a fixed order (the order of reports).
const std::vector<std::unique_ptr<Invariant>>& standard_invariants();
std::vector<std::string> standard_invariant_ids();

}  // namespace txsim
