// Toy models for the checker's tests: small enough to count states by hand, or to compare with
// a few-line reference BFS.
//
// Grid: a walker on the (n+1) x (n+1) grid starting at (0, 0), moving right (x+1) or up (y+1).
//   distinct = (n+1)^2; generated = 1 + 2 n (n+1) (each cell emits one successor per open
//   side; + (n+1)^2 with self_loop); depth = 2n + 1 (level k+1 holds the cells with x+y = k).
// HyperGrid: a walker on a 4-D grid, n + 1 cells a side; levels of over ten thousand states.
// HeapGrid: the same with states that own heap memory.
// Tangle: states are integers mod m with four wrapping actions, one of them a self-loop; a
//   dense graph with cycles and many duplicates, and two invariants that fail at the same
//   depth on several states, to test thread-independence.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "sim/check/hash.h"
#include "sim/check/model.h"

namespace txsim::check::toy {

struct Cell {
  std::uint32_t x = 0, y = 0;
  bool operator==(const Cell&) const = default;
};

struct Grid {
  using State = Cell;
  enum Kind : std::uint32_t { kRight = 1, kUp = 2, kStay = 3 };

  std::uint32_t n = 3;
  bool self_loop = false;
  std::optional<Cell> bad;        // check() fails here ("Bad")
  std::optional<Cell> dead_end;   // no successor here
  bool corner_terminal = true;    // terminal_ok at (n, n)
  bool weak_fingerprint = false;  // fingerprint = x + y: collisions on purpose
  // Sets *stop once successors() has run `stop_after` times (the stop-flag test).
  std::atomic<bool>* stop = nullptr;
  std::uint64_t stop_after = 0;
  mutable std::atomic<std::uint64_t> expansions{0};

  std::vector<Cell> initial_states() const { return {Cell{0, 0}}; }

  template <class Emit>
  void successors(const Cell& c, Emit&& emit) const {
    if (stop != nullptr && ++expansions >= stop_after) stop->store(true);
    if (dead_end && c == *dead_end) return;
    if (c.x < n) emit(Action{kRight}, Cell{c.x + 1, c.y});
    if (c.y < n) emit(Action{kUp}, Cell{c.x, c.y + 1});
    if (self_loop) emit(Action{kStay}, Cell{c});
  }

  std::uint64_t fingerprint(const Cell& c) const {
    if (weak_fingerprint) return c.x + c.y;
    return hash_words({c.x, c.y});
  }

  std::optional<Violation> check(const Cell& c) const {
    if (bad && c == *bad) return Violation{"Bad", "reached the bad cell"};
    return std::nullopt;
  }

  bool terminal_ok(const Cell& c) const {
    if (dead_end && c == *dead_end) return false;
    return corner_terminal || !(c == Cell{n, n});
  }

  std::string describe_action(const Cell&, const Action& a) const {
    return a.kind == kRight ? "right" : a.kind == kUp ? "up" : "stay";
  }
  std::string describe_state(const Cell& c) const {
    return "{\"x\":" + std::to_string(c.x) + ",\"y\":" + std::to_string(c.y) + "}";
  }
};

// A 4-dimensional grid [0, n]^4, one step up in one coordinate at a time: levels of over
// ten thousand states for n = 24 (the middle level of the 390 625 cells), where BFS keeps and
// reuses whole chunks of a level's storage.
struct HyperGrid {
  struct State {
    std::uint8_t c[4] = {};
    bool operator==(const State&) const = default;
  };
  std::uint8_t n = 24;
  std::optional<State> bad;

  std::vector<State> initial_states() const { return {State{}}; }
  template <class Emit>
  void successors(const State& s, Emit&& emit) const {
    for (std::uint32_t d = 0; d < 4; ++d) {
      if (s.c[d] == n) continue;
      State next = s;
      ++next.c[d];
      emit(Action{d + 1}, std::move(next));
    }
  }
  std::uint64_t fingerprint(const State& s) const {
    return hash_words({s.c[0], s.c[1], s.c[2], s.c[3]});
  }
  std::optional<Violation> check(const State& s) const {
    if (bad && s == *bad) return Violation{"Bad", "reached the bad cell"};
    return std::nullopt;
  }
  bool terminal_ok(const State&) const { return true; }
  std::string describe_action(const State&, const Action& a) const {
    return "up " + std::to_string(a.kind);
  }
  std::string describe_state(const State& s) const {
    return std::to_string(s.c[0]) + "," + std::to_string(s.c[1]) + "," + std::to_string(s.c[2]) +
           "," + std::to_string(s.c[3]);
  }
};

// HeapGrid: HyperGrid with states that own heap memory (their coordinates in a std::vector),
// like ProtocolModel's worlds, so that BFS moves and destroys them itself. Every State alive is
// counted in `live`: a search must leave it as it found it.
struct HeapGrid {
  struct Counted {
    static inline std::atomic<long> live{0};
    Counted() { live.fetch_add(1, std::memory_order_relaxed); }
    Counted(const Counted&) : Counted() {}
    Counted& operator=(const Counted&) = default;
    ~Counted() { live.fetch_sub(1, std::memory_order_relaxed); }
    bool operator==(const Counted&) const { return true; }
  };
  struct State {
    std::vector<std::uint8_t> c = std::vector<std::uint8_t>(4);
    Counted counted;
    bool operator==(const State&) const = default;
  };
  HyperGrid grid;  // the same graph

  static HyperGrid::State plain(const State& s) { return {{s.c[0], s.c[1], s.c[2], s.c[3]}}; }
  static State owning(const HyperGrid::State& s) {
    State out;
    out.c.assign(s.c, s.c + 4);
    return out;
  }
  std::vector<State> initial_states() const { return {State{}}; }
  template <class Emit>
  void successors(const State& s, Emit&& emit) const {
    grid.successors(plain(s), [&](const Action& a, HyperGrid::State&& next) {
      emit(a, owning(next));
    });
  }
  std::uint64_t fingerprint(const State& s) const { return grid.fingerprint(plain(s)); }
  std::optional<Violation> check(const State& s) const { return grid.check(plain(s)); }
  bool terminal_ok(const State&) const { return true; }
  std::size_t state_heap_bytes(const State& s) const { return s.c.capacity(); }
  std::string describe_action(const State& s, const Action& a) const {
    return grid.describe_action(plain(s), a);
  }
  std::string describe_state(const State& s) const { return grid.describe_state(plain(s)); }
};

struct Tangle {
  using State = std::uint64_t;

  std::uint64_t m = 100'003;
  bool invariants = false;

  std::vector<State> initial_states() const { return {0, 5, 0}; }  // a duplicate on purpose

  template <class Emit>
  void successors(State s, Emit&& emit) const {
    emit(Action{1}, (s * 3 + 1) % m);
    emit(Action{2}, (s * 7 + 2) % m);
    emit(Action{3}, State{s});  // self-loop
    if (s % 5 != 0) emit(Action{4}, s / 2);
  }

  std::uint64_t fingerprint(State s) const { return hash_words({s}); }

  std::optional<Violation> check(State s) const {
    if (!invariants) return std::nullopt;
    if (s % 1009 == 17) return Violation{"InvA", std::to_string(s)};
    if (s % 1013 == 29) return Violation{"InvB", std::to_string(s)};
    return std::nullopt;
  }

  bool terminal_ok(State) const { return true; }
  std::string describe_action(State, const Action& a) const { return std::to_string(a.kind); }
  std::string describe_state(State s) const { return std::to_string(s); }
};

struct ReferenceCounts {
  std::uint64_t distinct = 0, generated = 0, depth = 0;
};

// The textbook BFS, for comparison: a queue of (state, depth) and a set of fingerprints.
template <Model M>
ReferenceCounts reference_bfs(const M& model) {
  ReferenceCounts counts;
  std::unordered_set<std::uint64_t> seen;
  std::deque<std::pair<typename M::State, std::uint64_t>> queue;
  for (auto& s : model.initial_states()) {
    ++counts.generated;
    if (seen.insert(model.fingerprint(s)).second) queue.emplace_back(s, 1);
  }
  while (!queue.empty()) {
    auto [s, depth] = queue.front();
    queue.pop_front();
    counts.depth = std::max(counts.depth, depth);
    model.successors(s, [&](const Action&, typename M::State&& next) {
      ++counts.generated;
      if (seen.insert(model.fingerprint(next)).second) queue.emplace_back(next, depth + 1);
    });
  }
  counts.distinct = seen.size();
  return counts;
}

// True when every step of the path is a successor of the state before it, by its action.
template <Model M, class Path>
bool is_valid_path(const M& model, const Path& path) {
  auto from = path.initial;
  for (const auto& step : path.steps) {
    bool found = false;
    model.successors(from, [&](const Action& a, typename M::State&& next) {
      if (a == step.action && next == step.state) found = true;
    });
    if (!found) return false;
    from = step.state;
  }
  return true;
}

}  // namespace txsim::check::toy
