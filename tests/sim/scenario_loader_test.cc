// The scenario loader: good files load to exact values; every file of the bad corpus fails with
// the error written on its first line; no input makes the loader throw or crash.
//
// The LoadContext is built by hand (fake protocols "two_phase" and "saga"), so these tests do
// not depend on the real protocol registry.
#include "sim/scenario_loader.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace txsim {
namespace {

namespace fs = std::filesystem;

const OptionSchema& two_phase_schema() {
  static const OptionSchema s = {
      {"prepare_timeout", OptionType::duration, "50ms", "Wait this long for votes."},
      {"cooperative_termination", OptionType::boolean, "false", "Ask peers when in doubt."},
      {"random_no_vote", OptionType::boolean, "false", "Vote no at random."},
      {"log_before_send", OptionType::boolean, "true", "Force the log before sending."},
  };
  return s;
}

const OptionSchema& saga_schema() {
  static const OptionSchema s = {
      {"recovery",
       OptionType::choice,
       "backward",
       "Which way to recover.",
       {"backward", "forward"}},
      {"max_retries", OptionType::integer, "5", "Retries of a forward step."},
      {"failure_rate", OptionType::probability, "0", "How often a step fails."},
      {"step_timeout", OptionType::duration, "10ms", "Wait this long for a step."},
  };
  return s;
}

LoadContext test_context() {
  LoadContext ctx;
  ctx.schema = [](std::string_view p) -> const OptionSchema* {
    if (p == "two_phase") return &two_phase_schema();
    if (p == "saga") return &saga_schema();
    return nullptr;
  };
  ctx.known_protocols = {"saga", "two_phase"};
  ctx.invariant_ids = {"AC1",
                       "AC2",
                       "AC3",
                       "AC4",
                       "money",
                       "no_negative",
                       "quiescent_decided",
                       "quiescent_unlocked"};
  return ctx;
}

std::string data_path(const std::string& rel) {
  return std::string(TXSIM_SOURCE_DIR) + "/tests/data/" + rel;
}

Scenario load_good(const std::string& rel) {
  Result<Scenario> r = load_scenario_file(data_path(rel), test_context());
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : Scenario{};
}

std::vector<NodeId> ids(std::initializer_list<NodeId> l) { return l; }

TEST(ScenarioLoaderGood, FullFileHeaderAndNodes) {
  const Scenario s = load_good("good_scenarios/two_phase_full.yaml");
  EXPECT_EQ(s.file, data_path("good_scenarios/two_phase_full.yaml"));
  EXPECT_EQ(s.name, "two-phase-everything");
  EXPECT_EQ(s.explain,
            "Exercises every key of the scenario format: roles, clocks, accounts, votes, "
            "overrides and every kind of fault.");
  EXPECT_EQ(s.protocols, std::vector<std::string>{"two_phase"});
  EXPECT_EQ(s.seed, 42u);
  ASSERT_EQ(s.nodes.size(), 4u);
  const char* names[] = {"C", "P1", "P2", "P3"};
  for (int i = 0; i < 4; ++i) EXPECT_EQ(s.nodes[i].name, names[i]);
  EXPECT_EQ(s.nodes[0].role, Role::coordinator);
  EXPECT_EQ(s.nodes_with_role(Role::participant), ids({1, 2, 3}));
  EXPECT_EQ(s.nodes[0].clock, (ClockSpec{1500, 0}));
  EXPECT_EQ(s.nodes[1].clock, (ClockSpec{-2000, 50}));
  EXPECT_EQ(s.nodes[2].clock, ClockSpec{});
  EXPECT_EQ(s.node_by_name("P2"), NodeId{2});
  EXPECT_EQ(s.node_by_name("Q"), std::nullopt);
}

TEST(ScenarioLoaderGood, FullFileAccountsAndTransactions) {
  const Scenario s = load_good("good_scenarios/two_phase_full.yaml");
  ASSERT_EQ(s.accounts.size(), 4u);
  EXPECT_EQ(s.account_label(0), "P1.a");
  EXPECT_EQ(s.account_label(1), "P1.x");
  EXPECT_EQ(s.account_label(2), "P2.b");
  EXPECT_EQ(s.account_label(3), "P3.c");
  EXPECT_EQ(s.accounts[0].initial, 100);
  EXPECT_EQ(s.accounts[1].initial, 7);
  EXPECT_EQ(s.accounts[3].owner, NodeId{3});
  ASSERT_EQ(s.transactions.size(), 2u);
  const TxSpec& t1 = s.transactions[0];
  EXPECT_EQ(t1.name, "t1");
  EXPECT_EQ(t1.at, 0);
  ASSERT_EQ(t1.transfers.size(), 2u);
  EXPECT_EQ(t1.transfers[0].at, NodeId{1});
  EXPECT_EQ(t1.transfers[0].account, AccountId{0});
  EXPECT_EQ(t1.transfers[0].amount, -10);
  EXPECT_EQ(t1.transfers[1].account, AccountId{2});
  EXPECT_EQ(t1.participants, ids({1, 2}));
  EXPECT_EQ(t1.vote_no, ids({2}));
  const TxSpec& t2 = s.transactions[1];
  EXPECT_EQ(t2.at, 2500);
  EXPECT_EQ(t2.participants, ids({1, 3}));
  EXPECT_EQ(t2.vote_no, ids({1, 3}));
  EXPECT_EQ(s.tx_by_name("t2"), TxId{1});
}

TEST(ScenarioLoaderGood, FullFileNetwork) {
  const Scenario s = load_good("good_scenarios/two_phase_full.yaml");
  EXPECT_EQ(s.network.latency, Distribution::uniform(ms(1), ms(5)));
  EXPECT_DOUBLE_EQ(s.network.loss, 0.01);
  EXPECT_DOUBLE_EQ(s.network.duplicate, 0.5);
  EXPECT_FALSE(s.network.fifo);
  ASSERT_EQ(s.network.links.size(), 3u);
  const LinkSpec& a = s.network.links[0];
  EXPECT_EQ(a.from, NodeId{0});
  EXPECT_EQ(a.to, NodeId{1});
  EXPECT_EQ(a.latency, Distribution::fixed(ms(10)));
  EXPECT_EQ(a.loss, 0.5);
  EXPECT_EQ(a.duplicate, std::nullopt);
  const LinkSpec& b = s.network.links[1];
  EXPECT_EQ(b.from, kNoNode);
  EXPECT_EQ(b.to, NodeId{3});
  EXPECT_EQ(b.latency, std::nullopt);
  EXPECT_EQ(b.duplicate, 1.0);
  EXPECT_EQ(s.network.links[2].latency, Distribution::normal(ms(3), us(500)));
}

TEST(ScenarioLoaderGood, FullFileTriggers) {
  const Scenario s = load_good("good_scenarios/two_phase_full.yaml");
  ASSERT_EQ(s.faults.size(), 9u);
  using K = TriggerSpec::Kind;
  EXPECT_EQ(s.faults[0].when.kind, K::at_time);
  EXPECT_EQ(s.faults[0].when.at, ms(10));
  EXPECT_EQ(s.faults[0].line, 42);
  const TriggerSpec& sent = s.faults[1].when;
  EXPECT_EQ(sent.kind, K::sent);
  EXPECT_EQ(sent.from, NodeId{0});
  EXPECT_EQ(sent.to, kNoNode);
  EXPECT_EQ(sent.msg_type, "Commit");
  EXPECT_EQ(sent.tx, kNoTx);
  EXPECT_EQ(sent.count, 2u);
  const TriggerSpec& delivered = s.faults[2].when;
  EXPECT_EQ(delivered.kind, K::delivered);
  EXPECT_EQ(delivered.to, NodeId{1});
  EXPECT_EQ(delivered.tx, TxId{1});
  EXPECT_EQ(delivered.count, 1u);
  const TriggerSpec& state = s.faults[6].when;
  EXPECT_EQ(state.kind, K::state);
  EXPECT_EQ(state.node, NodeId{1});
  EXPECT_EQ(state.phase, "prepared");
  EXPECT_EQ(state.tx, TxId{0});
  EXPECT_EQ(state.count, 3u);
  EXPECT_EQ(s.faults[7].when.at, sec(60));
  EXPECT_EQ(s.faults[8].line, 59);
}

TEST(ScenarioLoaderGood, FullFileActions) {
  const Scenario s = load_good("good_scenarios/two_phase_full.yaml");
  ASSERT_EQ(s.faults.size(), 9u);
  using K = FaultAction::Kind;
  EXPECT_EQ(s.faults[0].action.kind, K::crash);
  EXPECT_EQ(s.faults[0].action.node, NodeId{0});
  EXPECT_EQ(s.faults[0].action.recover_after, ms(100));
  EXPECT_EQ(s.faults[1].action.recover_after, -1);
  const FaultAction& partition = s.faults[2].action;
  EXPECT_EQ(partition.kind, K::partition);
  EXPECT_EQ(partition.groups, (std::vector<std::vector<NodeId>>{{1}, {0, 2}, {3}}));
  EXPECT_TRUE(partition.cut_from.empty());
  EXPECT_EQ(s.faults[3].action.kind, K::heal);
  EXPECT_EQ(s.faults[4].action.kind, K::drop);
  EXPECT_EQ(s.faults[5].action.kind, K::delay);
  EXPECT_EQ(s.faults[5].action.delay, ms(100));
  EXPECT_EQ(s.faults[6].action.kind, K::crash_during);
  EXPECT_EQ(s.faults[6].action.node, NodeId{0});
  EXPECT_EQ(s.faults[6].action.after_effects, 2u);
  EXPECT_EQ(s.faults[7].action.kind, K::recover);
  const FaultAction& cut = s.faults[8].action;
  EXPECT_EQ(cut.kind, K::partition);
  EXPECT_TRUE(cut.groups.empty());
  EXPECT_EQ(cut.cut_from, ids({1, 2}));
  EXPECT_EQ(cut.cut_to, ids({0}));
}

TEST(ScenarioLoaderGood, FullFileRunOptionsExpect) {
  const Scenario s = load_good("good_scenarios/two_phase_full.yaml");
  EXPECT_EQ(s.limits.time_limit, sec(120));
  EXPECT_EQ(s.limits.max_events, 5000u);
  EXPECT_TRUE(s.limits.stop_on_violation);
  ASSERT_EQ(s.options.size(), 1u);
  const OptionValues& o = s.options.at("two_phase");
  EXPECT_EQ(o.get_duration("prepare_timeout"), ms(75));
  EXPECT_TRUE(o.get_bool("cooperative_termination"));
  EXPECT_FALSE(o.get_bool("random_no_vote"));
  EXPECT_TRUE(o.get_bool("log_before_send"));
  EXPECT_EQ(s.expect.outcome, Outcome::abort);
  EXPECT_EQ(s.expect.outcomes,
            (std::map<TxId, Outcome>{{0, Outcome::abort}, {1, Outcome::undecided}}));
  EXPECT_EQ(s.expect.violation, "AC1");
  EXPECT_EQ(s.expect.blocked, true);
}

TEST(ScenarioLoaderGood, OtherRolesAndDefaults) {
  const Scenario s = load_good("good_scenarios/saga_roles.yaml");
  ASSERT_EQ(s.nodes.size(), 5u);
  const char* names[] = {"TM", "O", "A1", "S1", "S2"};
  const Role roles[] = {Role::coordinator, Role::orchestrator, Role::acceptor, Role::service,
                        Role::service};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(s.nodes[i].name, names[i]);
    EXPECT_EQ(s.nodes[i].role, roles[i]);
  }
  EXPECT_EQ(s.account_label(0), "S2.y");
  EXPECT_EQ(s.account_label(1), "S1.x");
  EXPECT_EQ(s.accounts[1].initial, -1);
  EXPECT_EQ(s.transactions[0].participants, ids({3, 4}));
  EXPECT_EQ(s.transactions[0].transfers[0].account, AccountId{0});
  EXPECT_EQ(s.explain, "");
  EXPECT_EQ(s.seed, 1u);
  EXPECT_EQ(s.network.latency, Distribution::lognormal(ms(2), 0.5));
  EXPECT_EQ(s.network.loss, 0.0);
  EXPECT_TRUE(s.network.fifo);
  EXPECT_TRUE(s.network.links.empty());
  EXPECT_EQ(s.limits.time_limit, sec(60));
  EXPECT_EQ(s.limits.max_events, 10'000'000u);
  EXPECT_FALSE(s.limits.stop_on_violation);
  EXPECT_TRUE(s.expect.empty());
}

TEST(ScenarioLoaderGood, OtherRolesFaultsAndOptions) {
  const Scenario s = load_good("good_scenarios/saga_roles.yaml");
  ASSERT_EQ(s.faults.size(), 3u);
  EXPECT_EQ(s.faults[0].when.kind, TriggerSpec::Kind::state);
  EXPECT_EQ(s.faults[0].when.node, kNoNode);
  EXPECT_EQ(s.faults[0].when.phase, "compensating");
  EXPECT_EQ(s.faults[0].action.node, NodeId{1});
  EXPECT_EQ(s.faults[1].when.kind, TriggerSpec::Kind::sent);
  EXPECT_EQ(s.faults[1].when.msg_type, "");
  EXPECT_EQ(s.faults[2].action.groups, (std::vector<std::vector<NodeId>>{{2, 3}, {0, 1, 4}}));
  ASSERT_EQ(s.options.size(), 2u);
  const OptionValues& saga = s.options.at("saga");
  EXPECT_EQ(saga.get_choice("recovery"), "forward");
  EXPECT_EQ(saga.get_int("max_retries"), 3);
  EXPECT_DOUBLE_EQ(saga.get_probability("failure_rate"), 0.25);
  EXPECT_EQ(saga.get_duration("step_timeout"), ms(10));
  const OptionValues& two_phase = s.options.at("two_phase");
  EXPECT_EQ(two_phase.get_duration("prepare_timeout"), ms(50));
  EXPECT_FALSE(two_phase.get_bool("cooperative_termination"));
}

const char* kMinimal = R"(name: minimal
protocols: [two_phase]
nodes: {coordinator: C, participants: P1}
accounts: {P1: {a: 1}}
workload: {transactions: [{id: t1, transfers: [{at: P1, account: a, amount: 1}]}]}
)";

Result<Scenario> load_text(const std::string& text) {
  return load_scenario_text(text, "inline.yaml", test_context());
}

TEST(ScenarioLoaderText, MinimalFileGetsEveryDefault) {
  Result<Scenario> r = load_text(kMinimal);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->file, "inline.yaml");
  EXPECT_EQ(r->network.latency, Distribution::uniform(ms(1), ms(5)));
  EXPECT_TRUE(r->faults.empty());
  EXPECT_EQ(r->options.at("two_phase").get_duration("prepare_timeout"), ms(50));
  EXPECT_TRUE(r->options.at("two_phase").get_bool("log_before_send"));
  EXPECT_EQ(r->nodes_with_role(Role::participant), ids({1}));
}

TEST(ScenarioLoaderText, EveryLatencyLaw) {
  const std::pair<const char*, Distribution> laws[] = {
      {"{fixed: 2ms}", Distribution::fixed(ms(2))},
      {"{uniform: [0us, 1s]}", Distribution::uniform(0, sec(1))},
      {"{normal: {mean: 3ms, stddev: 1ms}}", Distribution::normal(ms(3), ms(1))},
      {"{exponential: {mean: 1.5ms}}", Distribution::exponential(1500)},
      {"{lognormal: {median: 2ms, sigma: 1}}", Distribution::lognormal(ms(2), 1.0)},
  };
  for (const auto& [text, law] : laws) {
    Result<Scenario> r = load_text(std::string(kMinimal) + "network: {latency: " + text + "}\n");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->network.latency, law) << text;
  }
}

TEST(ScenarioLoaderText, WithoutASchemaFunctionKnownProtocolsDecide) {
  LoadContext ctx;
  ctx.known_protocols = {"two_phase"};
  Result<Scenario> r = load_scenario_text(kMinimal, "inline.yaml", ctx);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->options.count("two_phase"), 1u);
  ctx.known_protocols = {"saga"};
  r = load_scenario_text(kMinimal, "inline.yaml", ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            "inline.yaml:2:13: error: key 'protocols[0]': unknown protocol 'two_phase'; "
            "expected one of saga");
}

TEST(ScenarioLoaderText, ExpansiveAliasesAreBounded) {
  std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i <= 7; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [";
    for (int k = 0; k < 10; ++k) text += (k ? ", " : "") + prev;
    text += "]\n";
  }
  Result<Scenario> r = load_text(text);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("the document is too large"), std::string::npos)
      << r.error().message;
}

// Many prefixes and single-character corruptions of a valid file: the loader must return
// (a scenario or an error), never throw or crash.
TEST(ScenarioLoaderText, TruncatedAndCorruptedInputNeverEscapes) {
  std::ifstream in(data_path("good_scenarios/two_phase_full.yaml"));
  std::stringstream buf;
  buf << in.rdbuf();
  const std::string full = buf.str();
  ASSERT_GT(full.size(), 1000u);
  int errors = 0;
  for (std::size_t n = 0; n <= full.size(); ++n) {
    const bool line_end = n == full.size() || full[n] == '\n';
    if (!line_end && n % 5 != 0) continue;  // every line end, and every fifth byte
    Result<Scenario> r = load_text(full.substr(0, n));
    if (!r.ok()) {
      ++errors;
      EXPECT_EQ(r.error().message.rfind("inline.yaml:", 0), 0u) << r.error().message;
    }
  }
  EXPECT_GT(errors, 0);
  const char junk[] = {'[', ']', '{', '}', ':', '-', ',', '"', '\'', '&', '*', '!', '\t', 'x'};
  for (std::size_t n = 0; n < full.size(); n += 7) {
    std::string broken = full;
    broken[n] = junk[n % sizeof junk];
    (void)load_text(broken);
  }
}

struct BadCase {
  std::string path;
  std::string location;  // "7:12"
  std::string message;   // what follows the location
};

// The first line of a bad scenario: "# expect: LINE:COL: text".
BadCase read_bad_case(const fs::path& file) {
  std::ifstream in(file);
  std::string first;
  std::getline(in, first);
  const std::string tag = "# expect: ";
  EXPECT_EQ(first.rfind(tag, 0), 0u) << file << " must start with '" << tag << "'";
  const std::string rest = first.size() > tag.size() ? first.substr(tag.size()) : "";
  const std::size_t colon = rest.find(": ");
  return {file.string(), rest.substr(0, colon),
          colon == std::string::npos ? "" : rest.substr(colon + 2)};
}

TEST(ScenarioLoaderBad, EveryCorpusFileFailsWithItsExpectedError) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(data_path("bad_scenarios"))) {
    if (e.path().extension() == ".yaml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  EXPECT_GE(files.size(), 35u);
  for (const fs::path& f : files) {
    const BadCase c = read_bad_case(f);
    SCOPED_TRACE(f.filename().string());
    ASSERT_FALSE(c.location.empty());
    ASSERT_FALSE(c.message.empty());
    Result<Scenario> r = load_scenario_file(c.path, test_context());
    ASSERT_FALSE(r.ok()) << "loaded without error";
    const std::string& m = r.error().message;
    const std::string prefix = c.path + ":" + c.location + ": error: ";
    EXPECT_EQ(m.rfind(prefix, 0), 0u) << "expected prefix " << prefix << "\n  got " << m;
    EXPECT_NE(m.find(c.message, prefix.size()), std::string::npos)
        << "expected " << c.message << "\n  got " << m;
    EXPECT_EQ(m.find('\n'), std::string::npos) << "one line, one error: " << m;
  }
}

TEST(ScenarioLoaderBad, MissingFile) {
  const std::string path = data_path("bad_scenarios/no_such_file.yaml");
  Result<Scenario> r = load_scenario_file(path, test_context());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message,
            path + ": error: cannot open scenario file: No such file or directory");
}

TEST(ScenarioLoaderBad, DirectoryIsNotAFile) {
  const std::string path = data_path("bad_scenarios");
  Result<Scenario> r = load_scenario_file(path, test_context());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, path + ": error: cannot open scenario file: Is a directory");
}

}  // namespace
}  // namespace txsim

namespace txsim {
namespace {

const char* kSideBySide = R"(name: side-by-side
protocols: [two_phase, saga]
nodes: {coordinator: C, participants: P1}
accounts: {P1: {a: 1}}
workload: {transactions: [{id: t1, transfers: [{at: P1, account: a, amount: 1}]}]}
faults:
  - when: {sent: {from: C, class: decision}}
    crash: C
expect:
  outcome: commit
  violation: none
  saga: {outcome: abort, blocked: true}
)";

TEST(ScenarioLoaderText, PerProtocolExpectationsOverrideTheCommonOnes) {
  Result<Scenario> r = load_scenario_text(kSideBySide, "inline.yaml", test_context());
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->faults[0].when.msg_class.has_value());
  EXPECT_EQ(*r->faults[0].when.msg_class, MsgClass::decision);
  const Expectation two = r->expect.for_protocol("two_phase");
  EXPECT_EQ(two.outcome, Outcome::commit);
  EXPECT_FALSE(two.blocked.has_value());
  const Expectation saga = r->expect.for_protocol("saga");
  EXPECT_EQ(saga.outcome, Outcome::abort);
  EXPECT_EQ(saga.blocked, true);
  EXPECT_EQ(saga.violation, "none") << "kept from the common block";
}

TEST(ScenarioLoaderText, PerProtocolExpectationMustNameAListedProtocol) {
  std::string text = kSideBySide;
  text.replace(text.find("protocols: [two_phase, saga]"), 28, "protocols: [two_phase]");
  Result<Scenario> r = load_scenario_text(text, "inline.yaml", test_context());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("inline.yaml:12:3: error: key 'expect.saga'"),
            std::string::npos)
      << r.error().message;
}

}  // namespace
}  // namespace txsim
