// RngChooser: how the simulator answers a handler's fx.choose(n): a uniform draw from the run's
// seeded choice stream (the checker instead branches on every value).
#pragma once

#include <cstdint>

#include "sim/effects.h"
#include "sim/rng.h"

namespace txsim {

class RngChooser final : public Chooser {
 public:
  explicit RngChooser(Rng& rng) : rng_(rng) {}
  std::uint32_t choose(std::uint32_t n) override {
    return static_cast<std::uint32_t>(rng_.below(n));
  }

 private:
  Rng& rng_;
};

}  // namespace txsim
