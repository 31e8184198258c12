// Monitor: resident-set sampling and progress reports; see the header.
#include "sim/check/monitor.h"

#include "sim/check/memory.h"

namespace txsim::check {

Monitor::Monitor(const CheckOptions& options)
    : options_(options),
      progress_period_(std::chrono::milliseconds(options.progress_period_ms)),
      start_(Clock::now()),
      sampled_(start_),
      reported_(start_),
      resident_start_(resident_bytes()) {}

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
