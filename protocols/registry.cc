// The protocol registry (see registry.h): one line per protocol.
#include "protocols/registry.h"

#include "protocols/two_phase/two_phase.h"

namespace txsim {
namespace {

template <class P>
ProtocolInfo info_of(std::string summary) {
  ProtocolInfo info{std::string(P::kName), std::move(summary), P::schema(), &run_protocol<P>};
  if constexpr (CheckableProtocol<P>) {
    info.check = &check::check_protocol<P>;
    info.replay = &check::replay_protocol<P>;
  }
  return info;
}

std::vector<ProtocolInfo> make_infos() {
  return {
      info_of<TwoPhase>("Two-phase commit with presumed abort and strict two-phase locking."),
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
