// Game plugins (include/selfplay/plugin.h) through the `selfplay` binary: a
// plugin's games join the bundled ones and play exactly like a game linked
// in (the same tallies, for any thread count, exceptions contained to their
// game), and each way a library can fail to load is one line on stderr and
// exit code 2. The plugins are built in tests/plugins/.
#include "selfplay/plugin.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "cli_runner.h"
#include "nlohmann/json.hpp"
#include "selfplay/features.h"
#include "selfplay/random.h"
#include "selfplay/simulation.h"
#include "selfplay/statistics.h"
#include "test_games.h"

namespace selfplay {
namespace {

using testing::CliRun;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kTakeAwayPlugin = SELFPLAY_TAKE_AWAY_PLUGIN_PATH;
const std::string kFaultyGamePlugin = SELFPLAY_FAULTY_GAME_PLUGIN_PATH;
const std::string kNoEntryPlugin = SELFPLAY_NO_ENTRY_PLUGIN_PATH;
const std::string kWrongVersionPlugin = SELFPLAY_WRONG_VERSION_PLUGIN_PATH;
const std::string kThrowingRegistrationPlugin =
    SELFPLAY_THROWING_REGISTRATION_PLUGIN_PATH;
const std::string kEmptyPlugin = SELFPLAY_EMPTY_PLUGIN_PATH;
const std::string kNimPlugin = SELFPLAY_NIM_PLUGIN_PATH;

class Plugins : public ::testing::Test {
 protected:
  CliRun run(const std::string& arguments) {
    return testing::run_cli(scratch_.path(), arguments);
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

  // The JSON of `selfplay simulate <flags>`, less timing.
  nlohmann::json simulate_json(const std::string& flags) {
    const std::filesystem::path path = scratch_.path() / "out.json";
    const CliRun result = run(absl::StrCat(
        "simulate ", flags, " --noprogress --json ", path.string()));
    EXPECT_EQ(result.exit_code, 0) << flags << "\n" << result.err;
    nlohmann::json json =
        nlohmann::json::parse(testing::read_text_file(path), nullptr,
                              /*allow_exceptions=*/false);
    json.erase("timing");
    return json;
  }

  testing::ScratchDirectory scratch_{
      ::testing::UnitTest::GetInstance()->current_test_info()->name()};
};

TEST_F(Plugins, GamesListsThePluginGamesWithTheBundledOnes) {
  const CliRun result = run("games --game-lib " + kTakeAwayPlugin);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("take-away"));
  EXPECT_THAT(result.out, HasSubstr("checkers"));
  EXPECT_THAT(run("games").out, Not(HasSubstr("take-away")));
}

TEST_F(Plugins, SeveralLibrariesLoadFromOneCommaSeparatedFlag) {
  const CliRun result =
      run(absl::StrCat("games --game-lib ", kTakeAwayPlugin, ",", kNimPlugin));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("take-away"));
  EXPECT_THAT(result.out, HasSubstr("nim "));
}

TEST_F(Plugins, WithoutGameThePluginsOneGameRunsAndSeveralNeedGame) {
  const CliRun one = run(absl::StrCat("simulate --game-lib ", kNimPlugin,
                                      " --games 300 --noprogress"));
  EXPECT_EQ(one.exit_code, 0) << one.err;
  EXPECT_THAT(one.out, HasSubstr("nim, 2 players: 300 games"));
  const CliRun several = run(absl::StrCat(
      "features --game-lib ", kTakeAwayPlugin, " --game-lib ", kNimPlugin));
  EXPECT_EQ(several.exit_code, 2);
  EXPECT_THAT(several.err, HasSubstr("choose one with --game"));
  EXPECT_THAT(several.err, HasSubstr("take-away"));
  EXPECT_THAT(several.err, HasSubstr("nim"));
  // Without --game-lib, the default game.
  EXPECT_THAT(run("features").out, HasSubstr("for checkers"));
}

TEST_F(Plugins, APluginGameTalliesLikeTheSameGameLinkedIn) {
  const nlohmann::json json = simulate_json(
      absl::StrCat("--game-lib ", kTakeAwayPlugin,
                   " --game take-away --games 3000 --seed 5 --threads 2"));

  const testing::TakeAwayGame game;
  SimulationOptions options;
  options.games = 3000;
  options.seed = 5;
  options.threads = 1;
  const absl::StatusOr<SimulationResult> linked_in = run_simulations(
      game, *generate_candidate_features(game.structure()), options);
  ASSERT_TRUE(linked_in.ok()) << linked_in.status();
  const SimulationCounts& counts = linked_in->counts;
  EXPECT_EQ(json["completed"], counts.completed);
  EXPECT_EQ(json["failed"], 0);
  EXPECT_EQ(json["total_states"], counts.states);
  ASSERT_EQ(json["seat_results"].size(), counts.seats.size());
  for (std::size_t seat = 0; seat < counts.seats.size(); ++seat) {
    EXPECT_EQ(json["seat_results"][seat]["wins"], counts.seats[seat].wins);
    EXPECT_EQ(json["seat_results"][seat]["losses"], counts.seats[seat].losses);
  }
  const std::vector<ActionStatistics> actions = action_statistics(*linked_in);
  ASSERT_EQ(json["actions"].size(), actions.size());
  for (std::size_t kind = 0; kind < actions.size(); ++kind) {
    EXPECT_EQ(json["actions"][kind]["kind"], actions[kind].kind);
    EXPECT_EQ(json["actions"][kind]["taken_won"], actions[kind].taken_won);
    EXPECT_EQ(json["actions"][kind]["not_taken_lost"],
              actions[kind].not_taken_lost);
  }
}

TEST_F(Plugins, APluginGameGivesTheSameJsonForOneAndTwoThreads) {
  const std::string flags =
      absl::StrCat("--game-lib ", kNimPlugin, " --game nim --games 4000");
  const nlohmann::json one = simulate_json(flags + " --threads 1");
  EXPECT_EQ(one, simulate_json(flags + " --threads 2"));
  EXPECT_EQ(one["completed"], 4000);
  // Nim's declared player property yields candidate features.
  EXPECT_FALSE(one["features"].empty());
}

TEST_F(Plugins, PerftCountsAPluginGamesMoves) {
  // Nim from heaps 3, 4, 5: 3 + 4 + 5 = 12 first moves; after taking c
  // tokens, 12 - c replies: (11+10+9) + (11+..+8) + (11+..+7) = 113.
  const CliRun result = run(
      absl::StrCat("perft --game-lib ", kNimPlugin, " --game nim --depth 2"));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr(" 12 "));
  EXPECT_THAT(result.out, HasSubstr(" 113 "));
}

TEST_F(Plugins, ExceptionsFromPluginGameCodeFailOnlyThoseGames) {
  const nlohmann::json json = simulate_json(
      absl::StrCat("--game-lib ", kFaultyGamePlugin,
                   " --game take-away --games 50 --seed 7 --threads 2"));
  EXPECT_EQ(json["failed"], 2);
  EXPECT_EQ(json["completed"], 48);
  ASSERT_EQ(json["failures"].size(), 2u);
  EXPECT_EQ(json["failures"][0]["game_index"], 3);
  EXPECT_EQ(json["failures"][0]["seed"], seed_for(7, 3));
  EXPECT_THAT(json["failures"][0]["error"].get<std::string>(),
              HasSubstr("planted failure"));
  EXPECT_EQ(json["failures"][1]["game_index"], 10);
  EXPECT_EQ(json["failures"][1]["seed"], seed_for(7, 10));
}

TEST_F(Plugins, IsolatedWorkersLoadThePluginAndGiveTheSameJson) {
  const std::string flags =
      absl::StrCat("--game-lib ", kFaultyGamePlugin,
                   " --game take-away --games 50 --seed 7 --threads 1");
  const nlohmann::json in_process = simulate_json(flags);
  EXPECT_EQ(in_process["failed"], 2);
  EXPECT_EQ(in_process, simulate_json(flags + " --isolate 2"));
}

TEST_F(Plugins, AMissingFileIsAUsageErrorInEveryCommand) {
  const std::string missing = (scratch_.path() / "libmissing.so").string();
  for (const char* command : {"games", "features", "perft", "simulate"}) {
    expect_usage_error(
        absl::StrCat(command, " --game-lib ", missing),
        absl::StrCat("game library ", missing, ": no such file"));
  }
  expect_usage_error("simulate --game-lib " + scratch_.path().string(),
                     "not a regular file");
}

TEST_F(Plugins, AFileThatIsNotASharedLibraryIsRefused) {
  const std::filesystem::path text = scratch_.path() / "libtext.so";
  std::ofstream(text) << std::string(200, 'x') << "\n";
  expect_usage_error("games --game-lib " + text.string(),
                     "game library " + text.string() + ": ");
}

TEST_F(Plugins, ALibraryWithoutTheEntryPointIsRefused) {
  expect_usage_error(
      "games --game-lib " + kNoEntryPlugin,
      "not a selfplay plugin: it does not define selfplay_register_games");
}

TEST_F(Plugins, AnotherPluginApiVersionIsRefusedNamingBothBeforeRegistering) {
  const std::string arguments = "games --game-lib " + kWrongVersionPlugin;
  expect_usage_error(arguments,
                     absl::StrCat("built against selfplay plugin API version ",
                                  SELFPLAY_PLUGIN_API_VERSION + 1,
                                  ", but this selfplay loads version ",
                                  SELFPLAY_PLUGIN_API_VERSION));
  EXPECT_THAT(run(arguments).err, Not(HasSubstr("registration")));
}

TEST_F(Plugins, ARegistrationThatThrowsIsRefusedWithItsMessage) {
  expect_usage_error(
      "simulate --game take-away --game-lib " + kThrowingRegistrationPlugin,
      "registration threw: cannot open the opening book");
}

TEST_F(Plugins, APluginThatRegistersNoGameIsRefused) {
  expect_usage_error("games --game-lib " + kEmptyPlugin, "registered no games");
}

TEST_F(Plugins, AGameNamedLikeAKnownOneIsRefused) {
  expect_usage_error(absl::StrCat("games --game-lib ", kTakeAwayPlugin, ",",
                                  kFaultyGamePlugin),
                     "game 'take-away' is already registered");
}

TEST_F(Plugins, AnUnknownGameNameListsThePluginGames) {
  expect_usage_error(
      absl::StrCat("simulate --game-lib ", kTakeAwayPlugin, " --game chess"),
      "unknown game 'chess'");
  EXPECT_THAT(run(absl::StrCat("simulate --game-lib ", kTakeAwayPlugin,
                               " --game chess"))
                  .err,
              HasSubstr("take-away"));
}

}  // namespace
}  // namespace selfplay
