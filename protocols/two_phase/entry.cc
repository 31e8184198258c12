// Two-phase commit's registry entry (protocols/registry_entry.h says why it lives here).
#include "protocols/registry_entry.h"
#include "protocols/two_phase/two_phase.h"

namespace txsim {

ProtocolInfo two_phase_entry() {
  return info_of<TwoPhase>("Two-phase commit with presumed abort and strict two-phase locking.");
}

}  // namespace txsim
