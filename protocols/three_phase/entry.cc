// Three-phase commit's registry entry (protocols/registry_entry.h says why it lives here).
#include "protocols/registry_entry.h"
#include "protocols/three_phase/three_phase.h"

namespace txsim {

ProtocolInfo three_phase_entry() {
  return info_of<ThreePhase>(
      "Three-phase commit (Skeen) with an elected termination leader: non-blocking under "
      "crashes, unsafe under partitions.");
}

}  // namespace txsim
