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

  auto* p = app.add_subcommand("protocols", "list protocols and their options");

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
  if (p->parsed()) return cmd_protocols();
  return kExitBadInput;
}
