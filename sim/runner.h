// run_protocol<P>: the type-erased entry point a protocol registers (protocols/registry.cc), so
// the CLI, sweeps and the GUI can run any protocol by name without knowing its types.
#pragma once

#include <string>

#include "sim/simulator.h"

namespace txsim {

using RunFn = Result<RunResult> (*)(const Scenario&, const RunOptions&);

template <Protocol P>
Result<RunResult> run_protocol(const Scenario& sc, const RunOptions& opt) {
  if constexpr (requires { P::check_scenario(sc); }) {
    // A protocol may refuse a scenario it cannot run (say, no coordinator): an input error.
    if (std::string why = P::check_scenario(sc); !why.empty())
      return Error{sc.file + ": error: protocol " + std::string(P::kName) + ": " + why};
  }
  auto it = sc.options.find(std::string(P::kName));
  OptionValues defaults;
  if (it == sc.options.end()) defaults.fill_defaults(P::schema());
  const P proto(sc, it == sc.options.end() ? defaults : it->second);
  return Simulator<P>::run(sc, proto, opt);
}

}  // namespace txsim
