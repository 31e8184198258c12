// The phase-name table behind PhasePalette (see phase_palette.h).
#include "reports/phase_palette.h"

#include <cstdio>
#include <utility>

namespace txsim::report {
namespace {

// Every phase name a protocol of txsim observes, by family. Names not listed are neutral.
constexpr std::pair<std::string_view, PhaseFamily> kPhases[] = {
    {"working", PhaseFamily::neutral},          {"trying", PhaseFamily::neutral},
    {"executing", PhaseFamily::neutral},        {"collecting", PhaseFamily::neutral},
    {"compensating", PhaseFamily::neutral},     {"cancelling", PhaseFamily::neutral},
    {"prepared", PhaseFamily::uncertain},       {"uncertain", PhaseFamily::uncertain},
    {"tried", PhaseFamily::uncertain},          {"terminating", PhaseFamily::uncertain},
    {"querying", PhaseFamily::uncertain},       {"takeover", PhaseFamily::uncertain},
    {"promised", PhaseFamily::uncertain},       {"accepted", PhaseFamily::uncertain},
    {"precommitting", PhaseFamily::almost},     {"precommitted", PhaseFamily::almost},
    {"confirming", PhaseFamily::almost},        {"committed", PhaseFamily::committed},
    {"confirmed", PhaseFamily::committed},      {"done", PhaseFamily::committed},
    {"step-done", PhaseFamily::committed},      {"finished", PhaseFamily::committed},
    {"aborted", PhaseFamily::aborted},          {"cancelled", PhaseFamily::aborted},
    {"compensated", PhaseFamily::aborted},      {"failed", PhaseFamily::aborted},
    {"step-failed", PhaseFamily::aborted},      {"refused", PhaseFamily::aborted},
    {"null-cancelled", PhaseFamily::degenerate}, {"null-compensated", PhaseFamily::degenerate},
    {"manual", PhaseFamily::degenerate},        {"compensation-failed", PhaseFamily::degenerate},
};

}  // namespace

PhaseFamily phase_family(std::string_view phase) {
  for (const auto& [name, family] : kPhases)
    if (name == phase) return family;
  return PhaseFamily::neutral;
}

PhaseColors family_colors(PhaseFamily family) {
  switch (family) {
    case PhaseFamily::neutral: return {{225, 225, 225}, {90, 90, 90}};
    case PhaseFamily::uncertain: return {{255, 205, 110}, {150, 95, 0}};
    case PhaseFamily::almost: return {{140, 185, 255}, {20, 70, 160}};
    case PhaseFamily::committed: return {{130, 210, 130}, {20, 110, 30}};
    case PhaseFamily::aborted: return {{245, 140, 140}, {160, 20, 20}};
    case PhaseFamily::degenerate: return {{205, 165, 225}, {100, 40, 130}};
  }
  return {{225, 225, 225}, {90, 90, 90}};
}

std::string_view family_name(PhaseFamily family) {
  switch (family) {
    case PhaseFamily::neutral: return "working";
    case PhaseFamily::uncertain: return "in doubt";
    case PhaseFamily::almost: return "pre-committed";
    case PhaseFamily::committed: return "committed";
    case PhaseFamily::aborted: return "aborted";
    case PhaseFamily::degenerate: return "null / manual";
  }
  return "working";
}

std::string to_hex(Rgb color) {
  char text[8];
  std::snprintf(text, sizeof text, "#%02x%02x%02x", color.r, color.g, color.b);
  return text;
}

}  // namespace txsim::report
