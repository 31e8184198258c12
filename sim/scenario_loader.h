// The scenario loader: reads a scenario YAML file (docs/scenarios.md) into a validated
// Scenario, or returns one error message that a student can act on.
//
// Guarantees:
// - never throws, never crashes on any input, never fills in a silent default for a value that
//   is present but wrong;
// - every error has the shape
//     FILE:LINE:COL: error: key 'dotted.path': what was expected, and what was found
//   (1-based positions), except "FILE:LINE:COL: error: malformed YAML: ..." for syntax errors
//   and "FILE: error: cannot open scenario file: ..." for I/O errors;
// - on success every id is dense and in declaration order, and Scenario::options holds, for
//   every listed protocol, a value for every key of its schema.
// The loader does not know the protocol registry: the caller passes it in a LoadContext.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/options.h"
#include "sim/scenario.h"
#include "sim/types.h"

namespace txsim {

struct LoadContext {
  // Option schema of a protocol by name, nullptr if no such protocol.
  std::function<const OptionSchema*(std::string_view protocol)> schema;
  std::vector<std::string> known_protocols;  // for the "expected one of" message
  std::vector<std::string> invariant_ids;    // valid values of expect.violation (besides "none")
};

Result<Scenario> load_scenario_file(const std::string& path, const LoadContext& ctx);
Result<Scenario> load_scenario_text(const std::string& text, const std::string& file_label,
                                    const LoadContext& ctx);

}  // namespace txsim
