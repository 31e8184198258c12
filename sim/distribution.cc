#include "sim/distribution.h"

#include <cmath>

namespace txsim {

Micros Distribution::sample(Rng& rng) const {
  double v = 0;
  switch (kind) {
    case Kind::fixed:
      return static_cast<Micros>(a);
    case Kind::uniform: {
      const auto lo = static_cast<std::uint64_t>(a), hi = static_cast<std::uint64_t>(b);
      return static_cast<Micros>(lo + rng.below(hi - lo + 1));
    }
    case Kind::normal:
      v = a + b * rng.normal();
      break;
    case Kind::exponential:
      v = -a * std::log1p(-rng.unit());
      break;
    case Kind::lognormal:
      v = a * std::exp(b * rng.normal());
      break;
  }
  if (!(v > 0)) return 0;
  return static_cast<Micros>(std::llround(v));
}

double Distribution::mean() const {
  switch (kind) {
    case Kind::fixed: return a;
    case Kind::uniform: return (a + b) / 2;
    case Kind::normal: return a;
    case Kind::exponential: return a;
    case Kind::lognormal: return a * std::exp(b * b / 2);
  }
  return 0;
}

std::string Distribution::describe() const {
  auto d = [](double x) { return format_duration(static_cast<Micros>(x)); };
  switch (kind) {
    case Kind::fixed: return "fixed " + d(a);
    case Kind::uniform: return "uniform[" + d(a) + ", " + d(b) + "]";
    case Kind::normal: return "normal(mean " + d(a) + ", stddev " + d(b) + ")";
    case Kind::exponential: return "exponential(mean " + d(a) + ")";
    case Kind::lognormal: return "lognormal(median " + d(a) + ", sigma " + std::to_string(b) + ")";
  }
  return "?";
}

}  // namespace txsim
