// run_protocol<P>: the type-erased entry point a protocol registers (protocols/registry.cc), so
// the CLI, sweeps and the GUI can run any protocol by name without knowing its types.
#pragma once

#include <string>

#include "sim/simulator.h"

namespace txsim {

using RunFn = Result<RunResult> (*)(const Scenario&, const RunOptions&);

// The protocol built for a scenario: its options (the scenario's, defaults filled in), after
// the protocol's own check_scenario() refused nothing. Shared by run and check.
template <Protocol P>
Result<P> protocol_for(const Scenario& sc) {
  if constexpr (requires { P::check_scenario(sc); }) {
    // A protocol may refuse a scenario it cannot run (say, no coordinator): an input error.
    if (std::string why = P::check_scenario(sc); !why.empty())
      return Error{sc.file + ": error: protocol " + std::string(P::kName) + ": " + why};
  }
  if (auto it = sc.options.find(std::string(P::kName)); it != sc.options.end())
    return P(sc, it->second);
  OptionValues defaults;
  defaults.fill_defaults(P::schema());
  return P(sc, defaults);
}

template <Protocol P>
Result<RunResult> run_protocol(const Scenario& sc, const RunOptions& opt) {
  auto proto = protocol_for<P>(sc);
  if (!proto) return proto.error();
  return Simulator<P>::run(sc, *proto, opt);
}

}  // namespace txsim
