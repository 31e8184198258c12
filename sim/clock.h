// A node's clock: skew (offset) and drift (rate error in parts per million) against true,
// simulated time. Handlers see local time; timers are set in local time and fire in true time,
// so a fast clock fires its timers early. Results are integer microseconds, never negative delays.
#pragma once

#include <algorithm>

#include "sim/scenario.h"
#include "sim/types.h"

namespace txsim {

// local = skew + t * (1 + drift_ppm / 1e6)
inline Micros local_time(const ClockSpec& c, Micros true_now) {
  return c.skew + true_now + static_cast<Micros>(double(true_now) * c.drift_ppm / 1e6);
}

// The true duration of a timer set for `local` microseconds on this clock (rounded).
inline Micros true_duration(const ClockSpec& c, Micros local) {
  const double rate = 1.0 + c.drift_ppm / 1e6;
  return std::max<Micros>(0, static_cast<Micros>(double(local) / rate + 0.5));
}

}  // namespace txsim
