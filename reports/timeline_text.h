// TimelineText: renders a run as the readable timeline `txsim run` prints, one line per event:
// virtual time, node, an arrow for messages, the message or fact, and the state change.
// Crashes, recoveries, partitions and violations stand out so a student's eye finds them.
//
// It is a TraceSink, so it renders runs and replayed counterexamples alike, while they happen.
#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "sim/trace.h"

namespace txsim {

struct TimelineStyle {
  bool show_locks = false;     // lock / unlock lines (noisy with many transactions)
  bool show_balances = true;   // balance changes
  bool color = false;          // ANSI colours (only on a terminal)
};

class TimelineText final : public TraceSink {
 public:
  TimelineText(std::FILE* out, TimelineStyle style) : out_(out), style_(style) {}

  void begin(const TraceHeader& h) override;
  void event(const TraceEvent& e) override;
  void end(Micros time) override;
  bool wants_payloads() const override { return true; }

  // The text for one event (empty when the style hides it). Public for tests.
  std::string line(const TraceEvent& e) const;

 private:
  std::string observation(const TraceEvent& e) const;
  std::string paint(const std::string& s, const char* ansi) const;
  const std::string& name(NodeId n) const { return sc_->nodes[n].name; }
  std::string tx(TxId t) const { return t == kNoTx ? "" : " " + sc_->transactions[t].name; }

  std::FILE* out_;
  TimelineStyle style_;
  const Scenario* sc_ = nullptr;
  std::vector<std::string> phases_;
  std::size_t width_ = 2;  // widest node name
};

}  // namespace txsim
