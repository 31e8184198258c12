// TCC's registry entry (protocols/registry_entry.h says why it lives here).
#include "protocols/registry_entry.h"
#include "protocols/tcc/tcc.h"

namespace txsim {

ProtocolInfo tcc_entry() {
  return info_of<Tcc>(
      "Try-Confirm-Cancel with a durable TM and the sub-transaction barrier (idempotency, null "
      "compensation, anti-hanging).");
}

}  // namespace txsim
