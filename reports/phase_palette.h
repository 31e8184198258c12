// PhasePalette: the one colour scheme every picture of a run uses (the Qt timeline, the SVG
// report, the legends), so a phase reads the same everywhere. Phases are grouped into a few
// families by what they mean to a reader, not by protocol: still working, waiting in doubt,
// almost decided, committed, aborted. Protocols share the families, so 2PC's `prepared` and
// TCC's `tried` are both amber.
//
// Invariant: every phase name maps to exactly one family; unknown names map to `neutral`.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace txsim::report {

enum class PhaseFamily : std::uint8_t {
  neutral,    // working, trying, executing, collecting: the transaction is under way
  uncertain,  // prepared, uncertain, tried, takeover...: a node waits for the outcome
  almost,     // precommitted, confirming: the decision is known to be commit, not yet applied
  committed,  // committed, confirmed, done, finished, step-done
  aborted,    // aborted, cancelled, compensated, failed, refused
  degenerate, // null-cancelled, null-compensated, manual, compensation-failed: needs a human eye
};
inline constexpr int kPhaseFamilyCount = 6;

struct Rgb {
  std::uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb&) const = default;
};

struct PhaseColors {
  Rgb fill;    // the segment's body
  Rgb stroke;  // its outline and text
};

PhaseFamily phase_family(std::string_view phase);
PhaseColors family_colors(PhaseFamily family);
std::string_view family_name(PhaseFamily family);  // for legends: "in doubt", "committed"...
inline PhaseColors phase_colors(std::string_view phase) {
  return family_colors(phase_family(phase));
}
// "#rrggbb", for SVG and CSS.
std::string to_hex(Rgb color);

// Marks that are not phases, shared by the widget and the SVG.
namespace mark_colors {
inline constexpr Rgb kLane{150, 150, 150};
inline constexpr Rgb kArrow{60, 60, 70};
inline constexpr Rgb kDuplicate{120, 60, 160};
inline constexpr Rgb kDrop{200, 30, 30};
inline constexpr Rgb kCrash{120, 120, 120};
inline constexpr Rgb kTimer{130, 80, 20};
inline constexpr Rgb kRequest{20, 90, 170};
inline constexpr Rgb kViolation{210, 0, 0};
inline constexpr Rgb kCursor{0, 110, 220};
inline constexpr std::array<Rgb, 4> kPartitionSides{
    Rgb{200, 215, 255}, Rgb{255, 220, 190}, Rgb{210, 245, 210}, Rgb{240, 210, 240}};
}  // namespace mark_colors

}  // namespace txsim::report
