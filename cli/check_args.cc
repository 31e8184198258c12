#include "cli/check_args.h"

#include <charconv>
#include <cstdio>
#include <thread>

namespace txsim::cli {

std::string parse_size(std::string_view t, std::uint64_t& bytes) {
  std::uint64_t n = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
  if (ec != std::errc() || p == t.data()) return "expected a size such as 512MB or 2GiB";
  const std::string_view unit(p, t.data() + t.size() - p);
  struct U { std::string_view name; std::uint64_t factor; };
  static constexpr U units[] = {{"", 1},          {"B", 1},         {"kB", 1000},
                                {"K", 1024},      {"KiB", 1024},    {"MB", 1000000},
                                {"M", 1 << 20},   {"MiB", 1 << 20}, {"GB", 1000000000},
                                {"G", 1ull << 30}, {"GiB", 1ull << 30}};
  for (const U& u : units) {
    if (unit != u.name) continue;
    if (n > UINT64_MAX / u.factor) return "size too large";
    bytes = n * u.factor;
    return bytes == 0 ? "expected a size above zero" : "";
  }
  return "unknown unit '" + std::string(unit) + "'; expected B, kB, MB, GB, KiB, MiB or GiB";
}

Result<check::CheckOptions> check_options_of(const CheckArgs& a) {
  check::CheckOptions o;
  if (a.strategy == "bfs") o.strategy = check::Strategy::bfs;
  else if (a.strategy == "dfs") o.strategy = check::Strategy::dfs;
  else if (a.strategy == "random-walk") o.strategy = check::Strategy::random_walk;
  else return Error{"error: unknown strategy " + a.strategy};
  o.threads = a.threads ? a.threads : std::max(1u, std::thread::hardware_concurrency());
  if (!a.max_memory.empty()) {
    if (std::string e = parse_size(a.max_memory, o.memory_max_bytes); !e.empty())
      return Error{"error: --max-memory " + a.max_memory + ": " + e};
  }
  if (a.max_states) o.states_max = a.max_states;
  if (a.max_depth) o.depth_max = a.max_depth;
  o.store_states = a.store_states;
  o.seed = a.seed;
  o.walks = a.walks;
  return o;
}

void print_progress(const check::Progress& p) {
  std::fprintf(stderr,
               "\r%llu distinct, %llu generated, %llu on the frontier, depth %llu, %.0f states/s, "
               "%.1f MiB  ",
               (unsigned long long)p.distinct_states, (unsigned long long)p.states_generated,
               (unsigned long long)p.frontier, (unsigned long long)p.depth, p.states_per_second,
               double(p.memory_bytes) / (1 << 20));
}

}  // namespace txsim::cli
