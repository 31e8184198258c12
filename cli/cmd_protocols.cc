// `txsim protocols`: every registered protocol with its options, defaults and documentation.
#include <cstdio>

#include "cli/commands.h"
#include "cli/scenario_input.h"

namespace txsim::cli {

int cmd_protocols() {
  for (const ProtocolInfo& p : protocol_infos()) {
    std::printf("%s: %s\n", p.name.c_str(), p.summary.c_str());
    for (const OptionSpec& o : p.schema)
      std::printf("  %-26s default %-8s %s\n", o.key.c_str(), o.default_value.c_str(),
                  o.doc.c_str());
  }
  return kExitOk;
}

}  // namespace txsim::cli
