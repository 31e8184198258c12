// ScriptStep<Msg>: one step of a schedule the simulator executes in scripted mode, instead of
// popping its own agenda (sim/simulator_script.h). A schedule comes from outside the engine -
// the model checker's counterexample (sim/check/protocol_replay.h) - and names everything in
// the simulator's own terms: a message by its link and value, a timer by node and id, a
// partition by its groups, a handler's choices by the values fx.choose() must return.
//
// ScriptChooser answers a handler's fx.choose(n) with the scripted values, in order, and
// records any mismatch (a call more than scripted, or a range other than the one the schedule
// was recorded with) instead of asserting: a schedule is input, and a wrong one is reported.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/effects.h"
#include "sim/scenario.h"
#include "sim/types.h"

namespace txsim {

enum class ScriptKind : std::uint8_t {
  submit,     // tx: the client's request reaches its target
  deliver,    // from, to, msg: the oldest identical copy in flight arrives (or is lost)
  fire,       // node, timer: an armed timer fires
  recover,    // node: restart from disk, on_recover
  crash,      // node: a plain crash, between handlers
  drop,       // from, to, msg: the network loses a copy in flight
  duplicate,  // from, to, msg: the network copies a message in flight
  partition,  // partition: the groups to apply
  heal,       // every partition healed
};

template <class Msg>
struct ScriptStep {
  ScriptKind kind = ScriptKind::heal;
  NodeId node = kNoNode;              // fire, recover, crash
  TxId tx = kNoTx;                    // submit
  NodeId from = kNoNode, to = kNoNode;  // deliver, drop, duplicate
  const Msg* msg = nullptr;           // deliver, drop, duplicate: compared by value
  TimerId timer = 0;                  // fire
  const FaultAction* partition = nullptr;  // partition
  std::vector<std::uint32_t> choices;  // handler steps: what fx.choose() returns, in order
  std::vector<std::uint32_t> choice_ranges;  // the n of each of those calls (may be empty)
  std::int32_t crash_after = -1;       // handler steps: crash after this many effects; -1 none
  bool timing_fault = false;  // fire: the timeout came before messages still in flight (a
                              // premature timeout, as the asynchronous timing model allows)
};

class ScriptChooser final : public Chooser {
 public:
  // `choices` and `ranges` (may be null) must outlive the handler call.
  void start(const std::vector<std::uint32_t>* choices, const std::vector<std::uint32_t>* ranges) {
    values_ = choices;
    ranges_ = ranges;
    used_ = 0;
  }
  std::uint32_t choose(std::uint32_t n) override {
    const std::size_t i = used_++;
    if (values_ == nullptr || i >= values_->size()) {
      mismatch_ = "the handler made more choices than the schedule recorded";
      return 0;
    }
    if (ranges_ != nullptr && i < ranges_->size() && (*ranges_)[i] != n) {
      mismatch_ = "choice " + std::to_string(i + 1) + " has " + std::to_string(n) +
                  " values, the schedule recorded " + std::to_string((*ranges_)[i]);
    }
    const std::uint32_t v = (*values_)[i];
    if (v >= n) {
      mismatch_ = "choice " + std::to_string(i + 1) + ": value " + std::to_string(v) +
                  " out of range " + std::to_string(n);
      return 0;
    }
    return v;
  }
  // After the handler: fewer choices made than scripted is a mismatch too.
  void finish() {
    if (mismatch_.empty() && values_ != nullptr && used_ < values_->size())
      mismatch_ = "the handler made fewer choices than the schedule recorded";
    values_ = nullptr;
    ranges_ = nullptr;
  }
  // Empty while every choice matched; cleared by take_mismatch().
  std::string take_mismatch() { return std::exchange(mismatch_, std::string()); }

 private:
  const std::vector<std::uint32_t>* values_ = nullptr;
  const std::vector<std::uint32_t>* ranges_ = nullptr;
  std::size_t used_ = 0;
  std::string mismatch_;
};

}  // namespace txsim
