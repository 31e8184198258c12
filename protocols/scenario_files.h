// Loading a scenario file with everything registered: the protocols' option schemas and names,
// and the standard invariant ids `expect.violation` may name. The CLI, the GUI and tests all
// load scenarios this way, so a scenario means the same thing everywhere.
#pragma once

#include <string>

#include "sim/scenario.h"
#include "sim/scenario_loader.h"

namespace txsim {

LoadContext registry_load_context();
// Errors are formatted for a person: file:line:col, the key, what was expected.
Result<Scenario> load_scenario(const std::string& path);

}  // namespace txsim
