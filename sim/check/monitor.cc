// Monitor: resident-set sampling and progress reports; see the header.
#include "sim/check/monitor.h"

#include "sim/check/memory.h"

#if defined(TXSIM_MIMALLOC)
#include <mimalloc.h>
#endif

namespace txsim::check {
namespace {

// Freed memory goes back to the OS at once instead of after mimalloc's delay, so that the
// resident set sampled for the peak figure and the memory limit is the memory in use: two
// threads on TwoPhase, 8 RMs, read 16.3-16.9 B/state with the delay, 15.9-16.1 without; and a
// protocol check ran up to 10 % past --max-memory with it. Set for every search (the CLI, the
// tests, the benchmarks), so that all measure alike.
void return_freed_memory_at_once() {
#if defined(TXSIM_MIMALLOC)
  mi_option_set(mi_option_decommit_delay, 0);
#endif
}

}  // namespace

Monitor::Monitor(const CheckOptions& options)
    : options_(options),
      progress_period_(std::chrono::milliseconds(options.progress_period_ms)),
      start_(Clock::now()),
      sampled_(start_),
      reported_(start_),
      resident_start_((return_freed_memory_at_once(), resident_bytes())) {}

double Monitor::seconds() const {
  return std::chrono::duration<double>(Clock::now() - start_).count();
}

void Monitor::sample_resident() {
  const std::uint64_t resident = resident_bytes();
  resident_growth_ = resident > resident_start_ ? resident - resident_start_ : 0;
}

void Monitor::report(Progress progress, std::uint64_t memory_estimate) {
  progress.seconds = seconds();
  progress.states_per_second =
      progress.seconds > 0 ? double(progress.states_generated) / progress.seconds : 0;
  progress.memory_bytes = std::max(memory_estimate, resident_growth_);
  options_.progress(progress);
}

}  // namespace txsim::check
