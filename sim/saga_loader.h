// Internal to the scenario loader: the reader of the top-level `saga:` block
// (sim/scenario_saga.cc). It runs after `workload` (steps name services and accounts, `runs:`
// names transactions) and records its first error in the FieldReader, like every other reader.
#pragma once

#include "sim/scenario.h"
#include "sim/yaml_fields.h"
#include "sim/yaml_tree.h"

namespace txsim::loader {

// `n` is the value of `saga:`; `root` is the whole document (to point at a transaction's
// transfers when they disagree with the saga's actions).
bool read_saga(FieldReader& r, const YamlNode& n, const YamlNode& root, Scenario& s);

}  // namespace txsim::loader
