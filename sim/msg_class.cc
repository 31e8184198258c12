// Names of the protocol-neutral message classes (sim/protocol.h), as scenarios write them.
#include <array>

#include "sim/msg_class.h"

namespace txsim {
namespace {

constexpr std::array<std::string_view, 7> kNames = {"prepare", "vote",      "decision", "ack",
                                                    "query",   "consensus", "other"};

}  // namespace

std::string_view to_string(MsgClass c) { return kNames[static_cast<std::size_t>(c)]; }

bool msg_class_from_string(std::string_view text, MsgClass& out) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == text) {
      out = static_cast<MsgClass>(i);
      return true;
    }
  }
  return false;
}

}  // namespace txsim
