// Distribution: a latency (or any non-negative duration) law, as scenarios write it:
//   fixed: 2ms | uniform: [1ms, 5ms] | normal: {mean: 3ms, stddev: 1ms}
//   exponential: {mean: 2ms} | lognormal: {median: 2ms, sigma: 0.5}
// Samples are integer microseconds, never negative (a normal draw below zero is clamped to 0).
#pragma once

#include <string>

#include "sim/rng.h"
#include "sim/types.h"

namespace txsim {

struct Distribution {
  enum class Kind : std::uint8_t { fixed, uniform, normal, exponential, lognormal };
  Kind kind = Kind::fixed;
  double a = 0;  // fixed: value; uniform: low; normal: mean; exponential: mean; lognormal: median
  double b = 0;  // uniform: high; normal: stddev; lognormal: sigma

  static Distribution fixed(Micros v) { return {Kind::fixed, double(v), 0}; }
  static Distribution uniform(Micros lo, Micros hi) { return {Kind::uniform, double(lo), double(hi)}; }
  static Distribution normal(Micros mean, Micros sd) { return {Kind::normal, double(mean), double(sd)}; }
  static Distribution exponential(Micros mean) { return {Kind::exponential, double(mean), 0}; }
  static Distribution lognormal(Micros median, double sigma) {
    return {Kind::lognormal, double(median), sigma};
  }

  Micros sample(Rng& rng) const;
  double mean() const;          // analytic mean (normal: before clamping), for tests and docs
  std::string describe() const; // "uniform[1ms, 5ms]"
  bool operator==(const Distribution&) const = default;
};

}  // namespace txsim
