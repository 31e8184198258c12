// txsim: the command-line entry point. Parses arguments (CLI11) and dispatches to the
// subcommands in cli/cmd_*.cc. Usage errors exit 2, like bad input.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/commands.h"
#include "cli/scenario_input.h"

int main(int argc, char** argv) {
  using namespace txsim::cli;
  CLI::App app{"txsim: see distributed transactions fail, deterministically"};
  app.require_subcommand(1);

  RunArgs run;
  auto* r = app.add_subcommand("run", "run a scenario once per protocol; print timeline + verdict");
  r->add_option("scenario", run.scenario, "scenario YAML file")->required();
  r->add_option("--seed", run.seed, "seed (default: the scenario's)")
      ->each([&](const std::string&) { run.seed_given = true; });
  r->add_option("--trace", run.trace_file, "write the trace as JSON Lines to FILE");
  r->add_flag("--trace-states", run.trace_states, "include each node's state after each handler");
  r->add_option("--protocol", run.protocol, "run only this protocol of the scenario");
  r->add_flag("--json", run.json, "print a machine-readable summary instead");
  r->add_flag("--quiet", run.quiet, "print only whether the expectation was met");
  r->add_flag("--locks", run.locks, "show lock and unlock events in the timeline");

  SweepArgs sw;
  auto* s = app.add_subcommand("sweep", "run a scenario for every seed of a range");
  s->add_option("scenario", sw.scenario, "scenario YAML file")->required();
  s->add_option("--seeds", sw.seeds, "seed range A..B")->required();
  s->add_option("--threads", sw.threads, "worker threads (default: all cores)");
  s->add_option("--protocol", sw.protocol, "sweep only this protocol of the scenario");
  s->add_flag("--json", sw.json, "print one JSON object per protocol");

  CheckArgs ck;
  auto* c = app.add_subcommand("check", "explore every behaviour within the scenario's budget");
  c->add_option("scenario", ck.scenario, "scenario YAML file (or use --textbook)");
  c->add_option("--textbook", ck.textbook, "a TLA+ model: tcommit, twophase or paxoscommit");
  c->add_option("--rms", ck.rms, "textbook: resource managers");
  c->add_option("--acceptors", ck.acceptors, "textbook paxoscommit: acceptors");
  c->add_option("--ballots", ck.ballots, "textbook paxoscommit: ballots 0..N-1");
  c->add_flag("--symmetry", ck.symmetry, "textbook: reduce over renamings of resource managers");
  c->add_flag_callback("--bfs", [&] { ck.strategy = "bfs"; }, "breadth-first (default)");
  c->add_flag_callback("--dfs", [&] { ck.strategy = "dfs"; }, "depth-first, low memory");
  c->add_flag_callback("--random-walk", [&] { ck.strategy = "random-walk"; },
                       "random walks (swarm) for spaces too large to finish");
  c->add_option("--threads", ck.threads, "worker threads (default: all cores)");
  c->add_option("--max-memory", ck.max_memory, "stop cleanly (exit 3) past SIZE, e.g. 2GiB");
  c->add_option("--max-states", ck.max_states, "stop cleanly (exit 3) past N distinct states");
  c->add_option("--max-depth", ck.max_depth, "explore paths of at most N states");
  c->add_option("--seed", ck.seed, "random walk: seed");
  c->add_option("--walks", ck.walks, "random walk: number of walks");
  c->add_flag("--store-states", ck.store_states, "keep full states: no fingerprint collisions");
  c->add_option("--protocol", ck.protocol, "check only this protocol of the scenario");
  c->add_flag("--json", ck.json, "print one JSON object per model");
  c->add_option("--trace", ck.trace_file,
                "write a counterexample as a JSON Lines trace to FILE (for txsim replay)");

  ReplayArgs rp;
  auto* rpl = app.add_subcommand("replay", "re-execute a counterexample trace from txsim check");
  rpl->add_option("file", rp.file, "trace file written by txsim check --trace")->required();
  rpl->add_flag("--locks", rp.locks, "show lock and unlock events in the timeline");
  rpl->add_option("--trace", rp.trace_file,
                  "also write the replayed run as a JSON Lines trace to FILE (replayable)");

  auto* p = app.add_subcommand("protocols", "list protocols and their options");

  SagaGraphArgs sg;
  auto* g = app.add_subcommand("saga-graph", "explore every failure point and compensation path");
  g->add_option("scenario", sg.scenario, "scenario YAML file with a saga: block")->required();
  g->add_option("--dot", sg.dot_file, "write Graphviz (step DAG and execution graph) to FILE");
  g->add_flag("--paths", sg.paths, "print every path of the execution graph");
  g->add_flag("--json", sg.json, "print a machine-readable summary instead");
  g->add_flag_callback("--compensate-failed", [&] { sg.compensate_failed = 1; },
                       "also compensate the failed step (default: the scenario's saga option)");

  ReportArgs rep;
  auto* rp_cmd = app.add_subcommand("report", "render a trace as an HTML page or an SVG timeline");
  rp_cmd->add_option("trace", rep.trace, "a trace from txsim run --trace or txsim check --trace")
      ->required();
  rp_cmd->add_option("--html", rep.html_file, "write a self-contained HTML report to FILE");
  rp_cmd->add_option("--svg", rep.svg_file, "write the space-time timeline as SVG to FILE");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;
  }
  if (r->parsed()) return cmd_run(run);
  if (s->parsed()) return cmd_sweep(sw);
  if (c->parsed()) {
    if (ck.scenario.empty() == ck.textbook.empty()) {
      std::fprintf(stderr, "error: txsim check needs a SCENARIO or --textbook MODEL (not both)\n");
      return kExitBadInput;
    }
    if (!ck.trace_file.empty() && ck.scenario.empty()) {
      std::fprintf(stderr, "error: --trace needs a SCENARIO (textbook models have no trace)\n");
      return kExitBadInput;
    }
    return cmd_check(ck);
  }
  if (rpl->parsed()) return cmd_replay(rp);
  if (p->parsed()) return cmd_protocols();
  if (g->parsed()) return cmd_saga_graph(sg);
  if (rp_cmd->parsed()) return cmd_report(rep);
  return kExitBadInput;
}
