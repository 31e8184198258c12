// The protocol registry (see registry.h): one line per protocol.
#include "protocols/registry.h"

namespace txsim {

// One entry per protocol, each defined in protocols/<name>/entry.cc (registry_entry.h).
ProtocolInfo two_phase_entry();
ProtocolInfo three_phase_entry();
ProtocolInfo paxos_commit_entry();
ProtocolInfo tcc_entry();
ProtocolInfo saga_entry();
ProtocolInfo saga_choreography_entry();

namespace {

std::vector<ProtocolInfo> make_infos() {
  return {
      two_phase_entry(),
      three_phase_entry(),
      paxos_commit_entry(),
      tcc_entry(),
      saga_entry(),
      saga_choreography_entry(),
  };
}

}  // namespace

const std::vector<ProtocolInfo>& protocol_infos() {
  static const std::vector<ProtocolInfo> infos = make_infos();  // built once, never changed
  return infos;
}

const ProtocolInfo* find_protocol(std::string_view name) {
  for (const ProtocolInfo& info : protocol_infos()) {
    if (info.name == name) return &info;
  }
  return nullptr;
}

const OptionSchema* protocol_schema(std::string_view name) {
  const ProtocolInfo* info = find_protocol(name);
  return info ? &info->schema : nullptr;
}

}  // namespace txsim
