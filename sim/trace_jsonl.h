// JsonlTraceWriter: streams a run as JSON Lines (docs/trace-format.md), one object per line,
// keys in a fixed order, integer microseconds. Streaming: nothing is kept in memory, so a long
// run's memory stays flat. The same scenario and seed give a byte-identical file.
#pragma once

#include <cstdio>
#include <string>

#include "sim/trace.h"

namespace txsim {

inline constexpr int kTraceFormatVersion = 1;

class JsonlTraceWriter final : public TraceSink {
 public:
  // Writes to `out` (not owned; the caller closes it). `states`: also write each node's full
  // state after every handler (bigger files, what the GUI's state inspector shows).
  explicit JsonlTraceWriter(std::FILE* out, bool states = false) : out_(out), states_(states) {}

  void begin(const TraceHeader& h) override;
  void event(const TraceEvent& e) override;
  void end(Micros time) override;
  bool wants_payloads() const override { return true; }
  bool wants_states() const override { return states_; }

 private:
  void write(std::string& line);
  std::FILE* out_;
  bool states_;
  const Scenario* sc_ = nullptr;
  std::vector<std::string> phases_;
};

}  // namespace txsim
