// Names, the collision estimate and the TLC-style summary of a search.
#include "sim/check/check_result.h"

#include <cstdio>

namespace txsim::check {

const char* strategy_name(Strategy strategy) {
  switch (strategy) {
    case Strategy::bfs:
      return "bfs";
    case Strategy::dfs:
      return "dfs";
    case Strategy::random_walk:
      return "random-walk";
  }
  return "?";
}

const char* verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::ok:
      return "ok";
    case Verdict::violation:
      return "violation";
    case Verdict::blocking:
      return "blocking";
    case Verdict::incomplete:
      return "incomplete";
  }
  return "?";
}

const char* stop_reason_name(StopReason reason) {
  switch (reason) {
    case StopReason::none:
      return "none";
    case StopReason::states_max:
      return "states_max";
    case StopReason::depth_max:
      return "depth_max";
    case StopReason::memory_max:
      return "memory_max";
    case StopReason::stopped:
      return "stopped";
  }
  return "?";
}

double collision_probability(std::uint64_t distinct, std::uint64_t generated) {
  if (generated <= distinct) return 0;
  constexpr double kTwoTo64 = 18446744073709551616.0;
  return double(distinct) * double(generated - distinct) / kTwoTo64;
}

namespace {

std::string format(const char* fmt, auto... args) {
  char buffer[256];
  std::snprintf(buffer, sizeof buffer, fmt, args...);
  return buffer;
}

using ull = unsigned long long;

std::string verdict_line(const CheckStats& s) {
  switch (s.verdict) {
    case Verdict::ok:
      return "No error found.\n";
    case Verdict::violation:
      return "Invariant " + (s.violation ? s.violation->invariant : std::string("?")) +
             " is violated" +
             (s.violation && !s.violation->detail.empty() ? ": " + s.violation->detail
                                                          : std::string()) +
             ".\n";
    case Verdict::blocking:
      return "Blocking state reached: no successor, and the model does not accept it as "
             "terminal.\n";
    case Verdict::incomplete:
      return std::string("Search incomplete: stopped by ") + stop_reason_name(s.stop_reason) +
             ".\n";
  }
  return "?\n";
}

}  // namespace

std::string format_summary(const CheckStats& s) {
  std::string text = verdict_line(s);
  text += format(
      "%llu states generated, %llu distinct states found, %llu states left on "
      "queue.\n",
      ull(s.states_generated), ull(s.distinct_states), ull(s.frontier_left));
  const char* what = s.strategy == Strategy::bfs && s.verdict == Verdict::ok
                         ? "The depth of the complete state graph search is"
                         : "The depth reached is";
  text += format("%s %llu.\n", what, ull(s.depth));
  if (s.store_states) {
    text += "States stored in full: no fingerprint collision possible.\n";
  } else {
    text += format("Calculated (optimistic): the probability of a collision: %.1E\n",
                   s.collision_probability);
  }
  text +=
      format("Strategy %s, %u thread(s), %.2f s, peak memory %.1f MB.\n", strategy_name(s.strategy),
             s.threads, s.seconds, double(s.peak_memory_bytes) / 1e6);
  return text;
}

}  // namespace txsim::check
