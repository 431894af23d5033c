// The `selfplay` binary, as a user runs it: bad input gets one line and exit
// code 2, output is the same for any thread count.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace selfplay {
namespace {

using ::testing::HasSubstr;

struct CliRun {
  int exit_code;
  std::string out;
  std::string err;
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ =
        std::filesystem::temp_directory_path() /
        ("selfplay_cli_test_" + std::to_string(::getpid()) + "_" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  CliRun run(const std::string& arguments) {
    const std::filesystem::path out = directory_ / "stdout";
    const std::filesystem::path err = directory_ / "stderr";
    const std::string command = std::string(SELFPLAY_CLI_PATH) + " " +
                                arguments + " >" + out.string() + " 2>" +
                                err.string();
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out),
            read_file(err)};
  }

  // A usage error: exit code 2 and exactly one line on stderr.
  void expect_usage_error(const std::string& arguments,
                          const std::string& message) {
    const CliRun result = run(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments;
    EXPECT_THAT(result.err, HasSubstr(message)) << arguments;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << arguments << ": " << result.err;
  }

  std::filesystem::path directory_;
};

TEST_F(Cli, AnUnknownGameListsTheKnownOnes) {
  expect_usage_error("simulate --game chess", "known games: ");
  EXPECT_THAT(run("simulate --game chess").err, HasSubstr("checkers"));
}

TEST_F(Cli, NonNumericAndOutOfRangeNumbersAreUsageErrors) {
  expect_usage_error("simulate --games abc", "--games");
  expect_usage_error("simulate --games 0", "--games: must be");
  expect_usage_error("simulate --threads -1", "--threads: must be");
  expect_usage_error("simulate --max-actions 0", "--max-actions: must be");
  expect_usage_error("simulate --timeout-ms -5", "--timeout-ms");
  expect_usage_error("simulate --game checkers --players 3", "--players 3");
  expect_usage_error("perft --game checkers --depth 0", "--depth");
  expect_usage_error("simulate --no-such-flag 1", "not expected");
  expect_usage_error("simulate --games", "required");
  expect_usage_error("frobnicate", "unknown command");
}

TEST_F(Cli, AnUnwritableOutputPathFailsBeforeTheRunAndWritesNothing) {
  const std::filesystem::path missing = directory_ / "missing" / "out.json";
  expect_usage_error("simulate --games 10 --json " + missing.string(),
                     "cannot write");
  EXPECT_FALSE(std::filesystem::exists(missing));
  expect_usage_error("simulate --games 10 --json " + directory_.string(),
                     "is a directory");
}

TEST_F(Cli, EverySubcommandHasHelp) {
  for (const char* command : {"games", "features", "perft", "simulate"}) {
    const CliRun result = run(std::string(command) + " --help");
    EXPECT_EQ(result.exit_code, 0) << command;
    EXPECT_THAT(result.out, HasSubstr("Usage: selfplay ")) << command;
  }
}

TEST_F(Cli, GamesListsTheBundledGames) {
  const CliRun result = run("games");
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_THAT(result.out, HasSubstr("checkers"));
}

TEST_F(Cli, JsonIsIdenticalForOneAndTwoThreadsApartFromTiming) {
  auto json_for = [&](int threads) {
    const std::filesystem::path path =
        directory_ / absl::StrCat("t", threads, ".json");
    const CliRun result =
        run(absl::StrCat("simulate --game checkers --games 400 --seed 9 ",
                         "--threads ", threads, " --json ", path.string()));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    nlohmann::json json = nlohmann::json::parse(read_file(path));
    json.erase("timing");
    return json;
  };
  const nlohmann::json one = json_for(1);
  EXPECT_EQ(one, json_for(2));
  EXPECT_EQ(one["games"], 400);
  EXPECT_EQ(one["completed"].get<int>() + one["truncated"].get<int>(), 400);
  for (const char* key :
       {"game", "players", "completed", "truncated", "failed", "cancelled",
        "total_states", "mean_actions", "seat_results", "length", "features",
        "actions", "failures"}) {
    EXPECT_TRUE(one.contains(key)) << key;
  }
  const nlohmann::json& feature = one["features"][0];
  for (const char* key :
       {"id", "description", "category", "true_won", "true_lost", "false_won",
        "false_lost", "win_rate_true", "win_rate_false", "phi", "p_value",
        "p_value_decisions", "win_rate_difference", "ci_low", "ci_high",
        "q_value", "games_true", "constant"}) {
    EXPECT_TRUE(feature.contains(key)) << key;
  }
  const nlohmann::json& action = one["actions"][0];
  for (const char* key :
       {"kind", "taken_won", "taken_lost", "not_taken_won", "not_taken_lost",
        "win_rate_taken", "win_rate_not_taken", "p_value", "p_value_decisions",
        "win_rate_difference", "ci_low", "ci_high", "q_value", "games_taken",
        "constant"}) {
    EXPECT_TRUE(action.contains(key)) << key;
  }
  EXPECT_EQ(one["schema_version"], 2);
}

// --policy puts a player in each seat. MCTS beats uniform random at
// connect-four in nearly every game, whichever seat it takes, so the seat
// results say which seat had it; the run is the same for any thread count;
// the game that a seat's policy plays is recorded in a records file, and a
// resume with other players is refused.
TEST_F(Cli, SimulatePlaysThePoliciesGivenPerSeat) {
  auto json_for = [&](const std::string& policy, int threads) {
    const std::filesystem::path path =
        directory_ / absl::StrCat("p", threads, ".json");
    const CliRun result = run(absl::StrCat(
        "simulate --game connect-four --games 200 --seed 4 --policy ", policy,
        " --threads ", threads, " --noprogress --json ", path.string()));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    nlohmann::json json = nlohmann::json::parse(read_file(path));
    json.erase("timing");
    return json;
  };
  const nlohmann::json first = json_for("mcts:30,random", 2);
  EXPECT_EQ(first, json_for("mcts:30,random", 1));
  EXPECT_GT(first["seat_results"][0]["wins"].get<int>(), 170);
  const nlohmann::json second = json_for("random,mcts:30", 2);
  EXPECT_GT(second["seat_results"][1]["wins"].get<int>(), 170);
  // One spec for every seat is the same as repeating it.
  EXPECT_EQ(json_for("mcts:5", 2), json_for("mcts:5,mcts:5", 2));
  EXPECT_EQ(json_for("random", 2), json_for("random,random", 2));

  const std::filesystem::path records = directory_ / "p.sprec";
  const std::filesystem::path checkpoint = directory_ / "p.ckpt";
  ASSERT_EQ(
      run(absl::StrCat("simulate --game connect-four --games 50 "
                       "--policy mcts:5,random --noprogress --records ",
                       records.string(), " --checkpoint ", checkpoint.string()))
          .exit_code,
      0);
  const CliRun refused = run(absl::StrCat(
      "simulate --game connect-four --games 50 --policy random --resume ",
      checkpoint.string(), " --records ", records.string()));
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("mcts:5,random"));
}

TEST_F(Cli, ABadPolicyIsAUsageError) {
  expect_usage_error(
      "simulate --game connect-four --policy mcts:3,random,random",
      "--policy: 3 players named for 2 seats");
  expect_usage_error("simulate --game connect-four --policy mcts:x",
                     "--policy: unknown player 'mcts:x'");
  expect_usage_error("simulate --game connect-four --policy greedy",
                     "give --policy-model");
  expect_usage_error(
      "simulate --game connect-four --policy mcts:5 --isolate 2 --games 10",
      "policies cannot reach them");
}

TEST_F(Cli, TheSummaryShowsTheJsonsSeatsAndStrongestFeatures) {
  const std::filesystem::path json_path = directory_ / "out.json";
  const CliRun result =
      run(absl::StrCat("simulate --game checkers --games 200 --top 5 --json ",
                       json_path.string()));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json json = nlohmann::json::parse(read_file(json_path));
  for (const nlohmann::json& seat : json["seat_results"]) {
    EXPECT_THAT(result.out,
                HasSubstr(absl::StrCat("seat ", seat["seat"].get<int>(), ": ",
                                       seat["wins"].get<int>(), " wins, ",
                                       seat["losses"].get<int>(), " losses, ",
                                       seat["draws"].get<int>(), " draws\n")));
  }
  // The five largest |phi| of the JSON, recomputed, in that order (ties
  // keep feature-set order).
  std::vector<nlohmann::json> features(json["features"].begin(),
                                       json["features"].end());
  std::stable_sort(features.begin(), features.end(),
                   [](const nlohmann::json& a, const nlohmann::json& b) {
                     return std::abs(a["phi"].get<double>()) >
                            std::abs(b["phi"].get<double>());
                   });
  std::size_t at = result.out.find("top 5 features by |phi|");
  ASSERT_NE(at, std::string::npos) << result.out;
  for (int i = 0; i < 5; ++i) {
    const std::string id = features[i]["id"];
    const std::size_t next = result.out.find("\n  " + id + " ", at);
    ASSERT_NE(next, std::string::npos) << id << " after " << at;
    at = next + 1;
  }
  EXPECT_LT(at, result.out.find("action kinds:"));
}

TEST_F(Cli, PerftPrintsTheKnownCheckersCounts) {
  const CliRun result = run("perft --game checkers --depth 4");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("1469"));
}

}  // namespace
}  // namespace selfplay
