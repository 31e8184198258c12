#include "reports/run_capture.h"

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "reports/verdict_text.h"
#include "sim/check/schedule_trace.h"
#include "sim/trace_jsonl.h"

namespace txsim::report {

namespace {

// An in-memory FILE* (open_memstream) whose text is taken once writing is done.
class MemoryFile {
 public:
  MemoryFile() : file_(open_memstream(&data_, &size_)) {}
  ~MemoryFile() {
    if (file_) std::fclose(file_);
    std::free(data_);
  }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  std::FILE* get() const { return file_; }
  std::string take() {
    std::fclose(file_);
    file_ = nullptr;
    return std::string(data_ ? data_ : "", size_);
  }

 private:
  char* data_ = nullptr;
  std::size_t size_ = 0;
  std::FILE* file_;
};

struct Cancelled {};

// Forwards to the trace writer and stops the run when the cancel flag turns true.
class CancellableSink final : public TraceSink {
 public:
  CancellableSink(TraceSink& inner, const std::atomic<bool>* cancel)
      : inner_(inner), cancel_(cancel) {}
  void begin(const TraceHeader& h) override { inner_.begin(h); }
  void event(const TraceEvent& e) override {
    if (cancel_ && cancel_->load(std::memory_order_relaxed)) throw Cancelled{};
    inner_.event(e);
  }
  void end(Micros t) override { inner_.end(t); }
  bool wants_payloads() const override { return inner_.wants_payloads(); }
  bool wants_states() const override { return inner_.wants_states(); }

 private:
  TraceSink& inner_;
  const std::atomic<bool>* cancel_;
};

std::string trace_name(const Scenario& sc, const ProtocolInfo& p, const char* what) {
  return sc.file + " (" + p.name + ", " + what + ")";
}

}  // namespace

Result<CapturedRun> capture_run(const Scenario& sc, const ProtocolInfo& protocol,
                                std::uint64_t seed, const std::atomic<bool>* cancel) {
  MemoryFile file;
  if (!file.get()) return Error{"error: cannot allocate memory for the trace"};
  JsonlTraceWriter writer(file.get(), /*states=*/true);
  CancellableSink sink(writer, cancel);
  Result<RunResult> run = Error{""};
  try {
    run = protocol.run(sc, RunOptions{.seed = seed, .sink = &sink});
  } catch (const Cancelled&) {
    return Error{"cancelled"};
  }
  if (!run) return run.error();
  auto doc = TraceDocument::parse(file.take(), trace_name(sc, protocol, "run"));
  if (!doc) return Error{"internal: the run's own trace does not read back: " +
                         doc.error().message};
  MemoryFile verdict;
  print_verdict(verdict.get(), sc, *run);
  return CapturedRun{std::move(*doc), std::move(*run), verdict.take()};
}

Result<CapturedCheck> capture_check(const Scenario& sc, const ProtocolInfo& protocol,
                                    const check::CheckOptions& options) {
  if (!protocol.check)
    return Error{sc.file + ": error: protocol " + protocol.name + " cannot be model-checked yet"};
  auto r = protocol.check(sc, options);
  if (!r) return r.error();
  CapturedCheck out{std::move(*r), {}, std::nullopt};
  out.report_text = check::format_report(out.report);
  const std::string v = out.report.verdict();
  if (v == "violation" || v == "blocking") {
    auto text = counterexample_trace(sc, protocol, out.report);
    if (!text) return text.error();
    auto doc = TraceDocument::parse(std::move(*text), trace_name(sc, protocol, "counterexample"));
    if (!doc) return Error{"internal: the counterexample trace does not read back: " +
                           doc.error().message};
    out.counterexample = std::move(*doc);
  }
  return out;
}

Result<std::string> counterexample_trace(const Scenario& sc, const ProtocolInfo& p,
                                         const check::CheckReport& r) {
  if (!p.replay) return Error{sc.file + ": error: protocol " + p.name + " cannot be replayed"};
  check::ScheduleTrace trace(/*states=*/true);
  if (trace.sink() == nullptr) return Error{"error: cannot create a temporary file"};
  auto replayed = p.replay(sc, r.schedule, trace.sink());
  if (!replayed) return replayed.error();
  return trace.text(r.schedule);
}

}  // namespace txsim::report
