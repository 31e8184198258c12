// The model checker on Paxos Commit: ProtocolModel<PaxosCommit> runs the protocol's own
// handlers, so what it proves is about the code `txsim run` executes. Counts are pinned, like
// Stateright's examples pin theirs (see docs/checker.md#pinned-counts): a change means the
// protocol or the model's transitions changed, and must be explained. The same counts must
// come out with 1 and 2 threads.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "protocols/paxos_commit/paxos_commit.h"
#include "protocols/registry.h"
#include "sim/check/explore.h"
#include "sim/check/protocol_check.h"
#include "sim/check/protocol_model.h"
#include "sim/invariant.h"
#include "sim/scenario_loader.h"

namespace txsim::check {
namespace {

using PaxosModel = ProtocolModel<PaxosCommit>;
static_assert(Model<PaxosModel>);

Scenario load_file(const std::string& relative) {
  LoadContext ctx;
  ctx.schema = [](std::string_view name) { return protocol_schema(name); };
  for (const ProtocolInfo& p : protocol_infos()) ctx.known_protocols.push_back(p.name);
  ctx.invariant_ids = standard_invariant_ids();
  std::string path = TXSIM_SOURCE_DIR;
  path += '/';
  path += relative;
  Result<Scenario> sc = load_scenario_file(path, ctx);
  if (!sc) throw std::runtime_error(sc.error().message);
  return std::move(*sc);
}

// Explores the scenario's own `check:` budget with 1 and 2 threads.
void expect_counts(const std::string& file, std::uint64_t distinct, std::uint64_t generated) {
  const Scenario sc = load_file(file);
  Result<CheckSpec> spec = check_spec_of(sc);
  ASSERT_TRUE(spec.ok());
  const PaxosModel m(sc, PaxosCommit(sc, sc.options.at("paxos_commit")), *spec,
                     ProtocolModelOptions{.check_blocking = sc.check.blocking});
  for (unsigned threads : {1u, 2u}) {
    CheckOptions opt;
    opt.threads = threads;
    const CheckResult<PaxosModel> r = explore(m, opt);
    EXPECT_EQ(r.verdict, Verdict::ok) << file << ", " << threads << " threads";
    EXPECT_EQ(r.distinct_states, distinct) << file << ", " << threads << " threads";
    EXPECT_EQ(r.states_generated, generated) << file << ", " << threads << " threads";
  }
}

// The fast path alone, every interleaving and premature timeout: one outcome, nobody in doubt.
TEST(PaxosCommitCheck, FastPathIsSafeAndNeverBlocks) {
  expect_counts("scenarios/paxos_commit/check-fast-path.yaml", 7184, 36260);
}

// One crash anywhere (F = 1 acceptor, the leader, or an RM), synchronous timing, two rounds
// per leader: safe, and no RM that is up stays in doubt -- where 2PC blocks.
TEST(PaxosCommitCheck, OneCrashIsSafeAndDoesNotBlock) {
  expect_counts("scenarios/paxos_commit/check-sync-one-crash.yaml", 44721, 172353);
}

}  // namespace
}  // namespace txsim::check
