// The saga protocol's registry entry (protocols/registry_entry.h says why it lives here).
#include "protocols/registry_entry.h"
#include "protocols/saga/saga.h"

namespace txsim {

ProtocolInfo saga_entry() {
  return info_of<Saga>(
      "Orchestrated saga: a durable saga log, parallel steps, backward recovery by "
      "compensation, forward recovery of retriable steps, manual intervention when a "
      "compensation keeps failing.");
}

}  // namespace txsim
