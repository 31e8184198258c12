// info_of<P>: a protocol's registry entry (registry.h), built in the protocol's own folder.
//
// Why its own header: an entry instantiates the simulator, the checker and the replayer for P,
// which are the heaviest templates in txsim. Each protocol builds its entry in one translation
// unit of its own (protocols/<name>/entry.cc), so adding or editing a protocol recompiles only
// that protocol, and registry.cc stays a list of declarations.
#pragma once

#include <string>
#include <utility>

#include "protocols/registry.h"

namespace txsim {

template <class P>
ProtocolInfo info_of(std::string summary) {
  ProtocolInfo info{std::string(P::kName), std::move(summary), P::schema(), &run_protocol<P>};
  if constexpr (CheckableProtocol<P>) {
    info.check = &check::check_protocol<P>;
    info.replay = &check::replay_protocol<P>;
  }
  return info;
}

}  // namespace txsim
