// The choreographed saga's registry entry (protocols/registry_entry.h says why it lives here).
#include "protocols/registry_entry.h"
#include "protocols/saga_choreography/choreography.h"

namespace txsim {

ProtocolInfo saga_choreography_entry() {
  return info_of<Choreography>(
      "Choreographed saga: no orchestrator; services react to each other's events on an "
      "at-least-once bus (a transactional outbox per service) and compensate backwards.");
}

}  // namespace txsim
