#include "protocols/scenario_files.h"

#include "protocols/registry.h"
#include "sim/invariant.h"

namespace txsim {

LoadContext registry_load_context() {
  LoadContext ctx;
  ctx.schema = [](std::string_view name) { return protocol_schema(name); };
  for (const ProtocolInfo& p : protocol_infos()) ctx.known_protocols.push_back(p.name);
  ctx.invariant_ids = standard_invariant_ids();
  return ctx;
}

Result<Scenario> load_scenario(const std::string& path) {
  return load_scenario_file(path, registry_load_context());
}

}  // namespace txsim
