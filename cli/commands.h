// The `txsim` subcommands. Each returns the process exit code (cli/scenario_input.h).
#pragma once

#include <cstdint>
#include <string>

namespace txsim::cli {

struct RunArgs {
  std::string scenario;
  std::uint64_t seed = 0;
  bool seed_given = false;
  std::string trace_file;
  bool trace_states = false;
  std::string protocol;
  bool json = false;
  bool quiet = false;
  bool locks = false;
};
int cmd_run(const RunArgs& args);

struct SweepArgs {
  std::string scenario;
  std::string seeds;  // "A..B"
  unsigned threads = 0;  // 0: all cores
  std::string protocol;
  bool json = false;
};
int cmd_sweep(const SweepArgs& args);

struct CheckArgs {
  std::string scenario;            // or a textbook model:
  std::string textbook;            // tcommit | twophase | paxoscommit
  int rms = 3, acceptors = 3, ballots = 2;
  bool symmetry = false;
  std::string strategy = "bfs";    // bfs | dfs | random-walk
  unsigned threads = 0;            // 0: all cores
  std::string max_memory;          // "2GiB"
  std::uint64_t max_states = 0;    // 0: no limit
  std::uint64_t max_depth = 0;
  std::uint64_t seed = 1, walks = 1000;
  bool store_states = false;
  std::string protocol;
  bool json = false;
  std::string trace_file;          // write a counterexample as a JSON Lines trace
};
int cmd_check(const CheckArgs& args);

struct ReplayArgs {
  std::string file;  // a trace written by `txsim check --trace`
  bool locks = false;
  std::string trace_file;  // also write the replayed run as a JSON Lines trace
};
int cmd_replay(const ReplayArgs& args);

int cmd_protocols();

struct SagaGraphArgs {
  std::string scenario;
  std::string dot_file;            // Graphviz of the step DAG and the execution graph
  bool paths = false;              // print every path
  bool json = false;
  int compensate_failed = -1;      // -1: the scenario's saga option; 0 / 1: forced
};
int cmd_saga_graph(const SagaGraphArgs& args);

struct ReportArgs {
  std::string trace;      // a JSON Lines trace
  std::string html_file;  // a self-contained HTML page
  std::string svg_file;   // the timeline alone
};
int cmd_report(const ReportArgs& args);

}  // namespace txsim::cli
