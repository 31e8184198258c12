// The protocol registry: every protocol txsim knows, by the name scenarios use, with a one-line
// summary and its option schema, so the CLI and the scenario loader can list and validate
// protocols without including them. Adding a protocol adds one line to registry.cc.
//
// Invariant: names are unique and the list is in registration order (stable output).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/options.h"
#include "sim/check/protocol_check.h"
#include "sim/check/protocol_replay.h"
#include "sim/runner.h"

namespace txsim {

struct ProtocolInfo {
  std::string name;     // as in a scenario's `protocols:` list
  std::string summary;  // one sentence for `txsim protocols`
  OptionSchema schema;  // what `options: {<name>: {...}}` may set
  RunFn run = nullptr;  // one simulated run of a scenario with this protocol
  check::CheckFn check = nullptr;  // exhaustive check of a scenario; null if not checkable
  check::ReplayFn replay = nullptr;  // re-run a check schedule as trace events; null likewise
};

// Every registered protocol, in registration order.
const std::vector<ProtocolInfo>& protocol_infos();

// The option schema of the protocol called `name`, or nullptr if there is none.
const OptionSchema* protocol_schema(std::string_view name);

// The protocol called `name`, or nullptr if there is none.
const ProtocolInfo* find_protocol(std::string_view name);

}  // namespace txsim
