// Loading a scenario for a command: the protocol registry supplies option schemas and names,
// the standard invariants supply the ids `expect.violation` may name. Errors are printed to
// stderr as the loader formats them (file:line:col, key, what was expected).
#pragma once

#include <optional>
#include <string>

#include "protocols/registry.h"
#include "sim/scenario.h"
#include "sim/scenario_loader.h"

namespace txsim::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;     // an invariant broke or an expectation was missed
inline constexpr int kExitBadInput = 2;   // bad input or usage
inline constexpr int kExitLimit = 3;      // a resource limit stopped the work

LoadContext load_context();
std::optional<Scenario> load_or_report(const std::string& path);
// The protocols to run: --protocol if given (must be listed by the scenario), else all listed.
std::optional<std::vector<const ProtocolInfo*>> select_protocols(const Scenario& sc,
                                                                 const std::string& only);
// The trace file for one protocol: FILE as given, or FILE with ".<protocol>" before the
// extension when the scenario lists several protocols (run --trace, check --trace).
std::string trace_path(const std::string& file, const std::string& protocol, bool several);
bool stdout_is_terminal();
bool stderr_is_terminal();

}  // namespace txsim::cli
