// ScheduleTrace: writes a replayed counterexample as a trace file (docs/trace-format.md) whose
// header also carries the schedule - the checker's actions - so `txsim replay` can re-execute
// it, and a replay can write a trace that replays again.
//
// Why buffered: the header is written first by JsonlTraceWriter, but the schedule is known
// only to the caller; the events go to a temporary file and are copied out behind a header
// with the schedule inserted, so a failed replay never leaves half a file behind.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "sim/check/model.h"
#include "sim/trace_jsonl.h"
#include "sim/types.h"

namespace txsim::check {

class ScheduleTrace {
 public:
  // `states`: also write each node's state after every handler (what the GUI inspects).
  explicit ScheduleTrace(bool states = false);
  ~ScheduleTrace();
  ScheduleTrace(const ScheduleTrace&) = delete;
  ScheduleTrace& operator=(const ScheduleTrace&) = delete;

  // Where the replay streams its events (null if the temporary file could not be made).
  TraceSink* sink() { return writer_.get(); }
  // The trace with `schedule` in its header.
  Result<std::string> text(const std::vector<Action>& schedule);
  // Writes text(schedule) to `path`; an error says why it could not.
  Result<bool> write(const std::string& path, const std::vector<Action>& schedule);

 private:
  std::FILE* buffer_ = nullptr;
  std::unique_ptr<JsonlTraceWriter> writer_;
};

}  // namespace txsim::check
