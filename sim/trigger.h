// TriggerMatcher: turns trace events into fault firings ("after C sends its 1st Commit",
// "when P2 enters prepared", "after 3 Votes are delivered"). Triggers are how a teacher
// reproduces an exact textbook interleaving without hunting for seeds.
//
// Invariant: each event-triggered fault fires at most once, on exactly the count-th matching
// event; faults are reported in scenario order. Time triggers are scheduled by the engine and
// never matched here.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "sim/scenario.h"
#include "sim/trace.h"
#include "sim/types.h"

namespace txsim {

class TriggerMatcher {
 public:
  // Resolves phase names; an unknown phase is an input error naming the fault's line.
  static Result<TriggerMatcher> make(const Scenario& sc, std::string_view protocol,
                                     std::span<const std::string_view> phase_names);

  bool active() const { return !watch_.empty(); }
  // Appends the indexes (into sc.faults) of the faults this event fires.
  void match(const TraceEvent& e, std::vector<std::uint32_t>& fired);

 private:
  struct Watch {
    std::uint32_t fault;
    TriggerSpec::Kind kind;
    NodeId from, to, node;
    std::string_view type;
    std::optional<MsgClass> cls;
    TxId tx;
    std::int32_t phase;
    std::uint32_t remaining;
  };
  std::vector<Watch> watch_;
};

}  // namespace txsim
