// `selfplay train` and `selfplay play` as a user runs them: a progress line
// per stage, a model file that is the same for any thread count, an
// evaluation that reads it back, and one line with exit code 2 for bad input.
// A training stopped by SIGINT or SIGTERM once an iteration is saved exits
// 128 + the signal, says where it stopped and how to resume, and the resumed
// training writes the uninterrupted model; a checkpoint of other settings,
// a corrupt one or one of `simulate` is refused in one line.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "cli_runner.h"
#include "nlohmann/json.hpp"

namespace selfplay {
namespace {

using ::selfplay::testing::CliRun;
using ::selfplay::testing::read_text_file;
using ::selfplay::testing::run_cli;
using ::selfplay::testing::ScratchDirectory;
using ::testing::HasSubstr;
using ::testing::Not;

// A training of seconds: tic-tac-toe, 2 iterations of 150 games.
constexpr const char* kTinyTraining =
    "train --game tic-tac-toe --iterations 2 --games-per-iteration 150 "
    "--oracle mcts:8 --evaluation-games 40 --seed 5 --noprogress";

// Three iterations of it, for interrupting after the first or second.
constexpr const char* kThreeIterations =
    "train --game tic-tac-toe --iterations 3 --games-per-iteration 150 "
    "--oracle mcts:8 --evaluation-games 40 --seed 5 --noprogress";

// A model file without its "run" record, the only part that differs between
// runs of the same training.
std::string without_run(const std::string& path) {
  nlohmann::json json = nlohmann::json::parse(read_text_file(path));
  json.erase("run");
  return json.dump();
}

class TrainCli : public ::selfplay::testing::CliTest {
 protected:
  // Trains the tiny model into `name` and returns its path.
  std::string train_model(const std::string& name, int threads = 1) {
    const CliRun result = run(absl::StrCat(kTinyTraining, " --threads ",
                                           threads, " --out ", path(name)));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return path(name);
  }
  void expect_usage_error(const std::string& arguments,
                          const std::string& message) {
    const CliRun result = run(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments << "\n" << result.out;
    EXPECT_THAT(result.err, HasSubstr(message)) << arguments;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1)
        << arguments << ": " << result.err;
  }
  // The tiny model's JSON with `edit` applied, written to `name`.
  std::string edited_model(const std::string& name,
                           void (*edit)(nlohmann::json&)) {
    nlohmann::json json =
        nlohmann::json::parse(read_text_file(train_model("base.json")));
    edit(json);
    std::ofstream(path(name)) << json.dump(2);
    return path(name);
  }

  // `arguments` with the test hook that raises `signal` once iteration
  // `iteration` is saved: an interruption at a known point, not a time.
  CliRun run_signalled(const std::string& arguments, int iteration,
                       int signal) {
    ::setenv("SELFPLAY_TEST_SIGNAL_AFTER_ITERATION",
             absl::StrCat(iteration, ",", signal).c_str(), 1);
    CliRun result = run(arguments);
    ::unsetenv("SELFPLAY_TEST_SIGNAL_AFTER_ITERATION");
    return result;
  }
  // kThreeIterations interrupted by `signal` after `iteration` with
  // --checkpoint run.ckpt: the exit code and report it gives, and the
  // command it says resumes it (without "selfplay ").
  std::string interrupt(int iteration, int signal, int threads) {
    const CliRun stopped = run_signalled(
        absl::StrCat(kThreeIterations, " --threads ", threads, " --checkpoint ",
                     path("run.ckpt"), " --out ", path("part.json")),
        iteration, signal);
    EXPECT_EQ(stopped.exit_code, 128 + signal) << stopped.err;
    EXPECT_THAT(stopped.out, HasSubstr(absl::StrCat(
                                 "[", iteration, "/3] save     iterations 1..",
                                 iteration, " saved to ", path("run.ckpt"))));
    EXPECT_THAT(stopped.err,
                HasSubstr(absl::StrCat("selfplay train: training interrupted "
                                       "after iteration ",
                                       iteration, " of 3; no model written")));
    EXPECT_THAT(stopped.err,
                HasSubstr(absl::StrCat("iterations 1..", iteration,
                                       " (of 3 iterations) saved in ",
                                       path("run.ckpt"), "; resume with")));
    EXPECT_FALSE(std::filesystem::exists(path("part.json")));
    const std::vector<std::string> lines = absl::StrSplit(stopped.err, '\n');
    std::string command;
    for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
      if (absl::EndsWith(lines[i], "; resume with")) command = lines[i + 1];
    }
    EXPECT_THAT(command, HasSubstr("--resume " + path("run.ckpt")));
    return std::string(absl::StripPrefix(command, "  selfplay "));
  }
};

TEST_F(TrainCli, SigintAfterAnIterationResumesToTheUninterruptedModel) {
  ASSERT_EQ(run(absl::StrCat(kThreeIterations, " --out ", path("whole.json")))
                .exit_code,
            0);
  const std::string whole = without_run(path("whole.json"));
  for (int threads : {1, 2}) {
    SCOPED_TRACE(absl::StrCat(threads, " threads"));
    const CliRun resumed = run(interrupt(1, SIGINT, threads));
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_THAT(resumed.err, HasSubstr(absl::StrCat(
                                 "selfplay train: resuming ", path("run.ckpt"),
                                 " after iterations 1..1 (of 3 iterations)")));
    // The saved iteration is not played again.
    EXPECT_THAT(resumed.out, Not(HasSubstr("[1/3] simulate")));
    EXPECT_THAT(resumed.out, HasSubstr("[2/3] simulate"));
    EXPECT_EQ(without_run(path("part.json")), whole);
    std::filesystem::remove(path("part.json"));
  }
}

TEST_F(TrainCli, SigtermExitsWith143AndResumesToTheUninterruptedModel) {
  ASSERT_EQ(run(absl::StrCat(kThreeIterations, " --threads 2 --out ",
                             path("whole.json")))
                .exit_code,
            0);
  const CliRun resumed = run(interrupt(2, SIGTERM, 1));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_THAT(resumed.out, HasSubstr("[3/3] simulate"));
  EXPECT_EQ(without_run(path("part.json")), without_run(path("whole.json")));
}

TEST_F(TrainCli, ResumingWithOtherSettingsIsRefusedNamingTheFirst) {
  interrupt(1, SIGINT, 2);
  const auto resume = [&](const std::string& changes) {
    return absl::StrCat(kThreeIterations, " ", changes, " --out ",
                        path("m.json"), " --resume ", path("run.ckpt"));
  };
  for (const char* flag :
       {"--seed 6", "--iterations 4", "--games-per-iteration 151",
        "--oracle random", "--weights phi", "--max-features 5",
        "--min-correlation 0.02", "--l2 2", "--max-actions 100",
        "--evaluation-games 41", "--evolve"}) {
    const std::string name =
        std::string(flag).substr(0, std::string(flag).find(' '));
    expect_usage_error(resume(flag),
                       absl::StrCat(name, ": the checkpoint's run used "));
  }
  expect_usage_error(resume("--oracle mcts:8 --search-threads 2"),
                     "--oracle: the checkpoint's run used mcts:8, this "
                     "command mcts:8/2");
  expect_usage_error(
      absl::StrCat("train --game connect-four --iterations 3 "
                   "--games-per-iteration 150 --oracle mcts:8 "
                   "--evaluation-games 40 --seed 5 --out ",
                   path("m.json"), " --resume ", path("run.ckpt")),
      "--game: the checkpoint's run used tic-tac-toe, this "
      "command connect-four");
  EXPECT_FALSE(std::filesystem::exists(path("m.json")));
  // The thread count is not a setting of the model.
  EXPECT_EQ(run(resume("--threads 1")).exit_code, 0);
}

TEST_F(TrainCli, ACorruptTruncatedOrForeignCheckpointIsRefusedInOneLine) {
  interrupt(1, SIGINT, 1);
  std::ifstream in(path("run.ckpt"), std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)),
                          std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 100u);
  const auto resume_from = [&](const std::string& contents) {
    std::ofstream(path("bad.ckpt"), std::ios::binary) << contents;
    return absl::StrCat(kThreeIterations, " --out ", path("m.json"),
                        " --resume ", path("bad.ckpt"));
  };
  for (std::size_t size :
       {std::size_t{0}, std::size_t{7}, std::size_t{23}, std::size_t{24},
        bytes.size() / 2, bytes.size() - 1}) {
    expect_usage_error(resume_from(bytes.substr(0, size)),
                       absl::StrCat("checkpoint '", path("bad.ckpt"), "': "));
  }
  for (std::size_t at : {std::size_t{0}, std::size_t{9}, std::size_t{13},
                         std::size_t{40}, bytes.size() / 2, bytes.size() - 1}) {
    std::string flipped = bytes;
    flipped[at] ^= 0x01;
    expect_usage_error(resume_from(flipped),
                       absl::StrCat("checkpoint '", path("bad.ckpt"), "': "));
  }
  expect_usage_error(resume_from(bytes + "x"), "truncated or extended");
  EXPECT_FALSE(std::filesystem::exists(path("m.json")));
  expect_usage_error(absl::StrCat(kThreeIterations, " --out ", path("m.json"),
                                  " --resume ", path("absent.ckpt")),
                     "cannot read checkpoint");
  // Neither command takes the other's checkpoint.
  expect_usage_error(
      absl::StrCat("simulate --game tic-tac-toe --games 100 --resume ",
                   path("run.ckpt")),
      "a checkpoint of selfplay train, not of selfplay simulate");
  ASSERT_EQ(run(absl::StrCat("simulate --game tic-tac-toe --games 100 "
                             "--progress=false --checkpoint ",
                             path("simulate.ckpt")))
                .exit_code,
            0);
  expect_usage_error(absl::StrCat(kThreeIterations, " --out ", path("m.json"),
                                  " --resume ", path("simulate.ckpt")),
                     "a checkpoint of selfplay simulate, not of selfplay "
                     "train: resume it with selfplay simulate --resume");
}

TEST_F(TrainCli, TheCheckpointIsNeverTheModelFileOrAStream) {
  expect_usage_error(absl::StrCat(kTinyTraining, " --out ", path("m.json"),
                                  " --checkpoint ", path("m.json")),
                     "are the same file");
  std::ofstream(path("a.json")) << "{}";
  std::filesystem::create_hard_link(path("a.json"), path("b.ckpt"));
  expect_usage_error(absl::StrCat(kTinyTraining, " --out ", path("a.json"),
                                  " --checkpoint ", path("b.ckpt")),
                     "are the same file");
  expect_usage_error(absl::StrCat(kTinyTraining, " --out ", path("a.json"),
                                  " --resume ", path("b.ckpt")),
                     "are the same file");
  expect_usage_error(absl::StrCat(kTinyTraining, " --out ", path("m.json"),
                                  " --checkpoint /dev/null"),
                     "/dev/null");
  EXPECT_EQ(read_text_file(path("a.json")), "{}");
}

TEST_F(TrainCli, PrintsAProgressLinePerStageAndASummary) {
  const CliRun result =
      run(absl::StrCat(kTinyTraining, " --out ", path("model.json")));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  for (const char* line :
       {"[1/2] simulate", "[1/2] analyse", "[1/2] evaluate", "[2/2] simulate",
        "[2/2] analyse", "[2/2] evaluate", "greedy vs random",
        "objective-mcts:8:4 vs mcts:8", "model written to"}) {
    EXPECT_THAT(result.out, HasSubstr(line));
  }
  const nlohmann::json model =
      nlohmann::json::parse(read_text_file(path("model.json")));
  EXPECT_EQ(model["game"], "tic-tac-toe");
  EXPECT_EQ(model["training"]["games"], 300);
  EXPECT_EQ(model["training"]["oracle"], "mcts:8");
  EXPECT_EQ(model["evaluations"].size(), 4u);
  const std::string command_line = model["run"]["command_line"];
  EXPECT_THAT(command_line, HasSubstr("selfplay train --game tic-tac-toe"));
  EXPECT_THAT(command_line, HasSubstr("--games-per-iteration 150"));
  EXPECT_THAT(command_line, HasSubstr("--noprogress"));
  EXPECT_THAT(command_line, HasSubstr("--out "));
}

TEST_F(TrainCli, TheModelIsTheSameForOneAndTwoThreadsApartFromTheRun) {
  nlohmann::json one =
      nlohmann::json::parse(read_text_file(train_model("one.json", 1)));
  nlohmann::json two =
      nlohmann::json::parse(read_text_file(train_model("two.json", 2)));
  EXPECT_EQ(one["run"]["threads"], 1);
  EXPECT_EQ(two["run"]["threads"], 2);
  one.erase("run");
  two.erase("run");
  EXPECT_EQ(one.dump(), two.dump());
}

TEST_F(TrainCli, EvolveAddsTheFitnessHistory) {
  const CliRun result = run(absl::StrCat(
      kTinyTraining,
      " --evolve --evolve-mu 2 --evolve-lambda 3 --evolve-generations 1 "
      "--evolve-games 10 --out ",
      path("model.json")));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("[final] evolve"));
  const nlohmann::json model =
      nlohmann::json::parse(read_text_file(path("model.json")));
  EXPECT_EQ(model["evolution"]["best_fitness"].size(), 2u);
  EXPECT_EQ(model["evaluations"].back()["stage"], "evolution");
}

TEST_F(TrainCli, BadTrainingFlagsAreUsageErrors) {
  expect_usage_error("train --game tic-tac-toe --iterations 0",
                     "--iterations: must be");
  expect_usage_error("train --game tic-tac-toe --oracle greedy",
                     "--oracle must be random or mcts:N");
  expect_usage_error("train --game tic-tac-toe --oracle alphazero",
                     "--oracle: unknown player 'alphazero'");
  expect_usage_error("train --game tic-tac-toe --min-correlation 2",
                     "--min-correlation");
  expect_usage_error("train --game tic-tac-toe --vs random", "not expected");
  expect_usage_error("train --game tic-tac-toe --evolve --evolve-player random",
                     "--evolve-player must use the model");
  expect_usage_error(
      absl::StrCat("train --game tic-tac-toe --out ", path("no/such/dir/m")),
      "no/such/dir");
}

TEST_F(TrainCli, PlayReportsRatesWithIntervalsAndElo) {
  const std::string model = train_model("model.json");
  const CliRun result = run(absl::StrCat("play --game tic-tac-toe --model ",
                                         model, " --vs random --games 200"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out,
              HasSubstr("tic-tac-toe: greedy vs random, 200 games"));
  EXPECT_THAT(result.out, HasSubstr("Wilson 95% interval"));
  EXPECT_THAT(result.out, HasSubstr("Elo "));
  // The three counts add up to the games played.
  std::uint64_t total = 0;
  for (const char* label : {"won", "drew", "lost"}) {
    const std::size_t at = result.out.find(absl::StrCat("  ", label, " "));
    ASSERT_NE(at, std::string::npos) << label;
    total += std::stoull(result.out.substr(at + 9));
  }
  EXPECT_EQ(total, 200u);
  // The same games for another thread count.
  const CliRun again =
      run(absl::StrCat("play --game tic-tac-toe --model ", model,
                       " --vs random --games 200 --threads 2"));
  EXPECT_EQ(again.out, result.out);
}

TEST_F(TrainCli, SearchThreadsSplitEveryMctsPlayerIntoTrees) {
  const std::string model = train_model("m.json");
  const CliRun trees =
      run(absl::StrCat("play --game tic-tac-toe --model ", model,
                       " --player objective-mcts:8:2 --vs mcts:8 --games 20 "
                       "--search-threads 2"));
  ASSERT_EQ(trees.exit_code, 0) << trees.err;
  EXPECT_THAT(trees.out,
              HasSubstr("objective-mcts:8:2/2 vs mcts:8/2, 20 games"));
  // The same as writing the trees into the specs.
  const CliRun written = run(
      absl::StrCat("play --game tic-tac-toe --model ", model,
                   " --player objective-mcts:8:2/2 --vs mcts:8/2 --games 20"));
  EXPECT_EQ(written.out, trees.out);
  const CliRun too_many =
      run(absl::StrCat("play --game tic-tac-toe --model ", model,
                       " --vs mcts:8 --games 20 --search-threads 9"));
  EXPECT_EQ(too_many.exit_code, 2);
  EXPECT_THAT(too_many.err, HasSubstr("--search-threads must be 1..8"));
}

TEST_F(TrainCli, PlayTakesAnObjectiveMctsPlayer) {
  const CliRun result = run(
      absl::StrCat("play --game tic-tac-toe --model ", train_model("m.json"),
                   " --player objective-mcts:8:2 --vs mcts:8 --games 20"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("objective-mcts:8:2 vs mcts:8, 20 games"));
}

TEST_F(TrainCli, PlayWithTheTrainingSeedReplaysTheTrainingsEvaluation) {
  const CliRun training = run(
      absl::StrCat(kTinyTraining, " --threads 2 --out ", path("model.json")));
  ASSERT_EQ(training.exit_code, 0) << training.err;
  const nlohmann::json model =
      nlohmann::json::parse(read_text_file(path("model.json")));
  int replayed = 0;
  for (const nlohmann::json& record : model["evaluations"]) {
    if (record["iteration"] != 2) continue;  // the final model's
    const std::string player = record["player"];
    const std::string opponent = record["opponent"];
    const CliRun play =
        run(absl::StrCat("play --game tic-tac-toe --model ", path("model.json"),
                         " --player ", player, " --vs ", opponent,
                         " --games 40 --training-seed 5 --threads 1 --json ",
                         path("play.json")));
    ASSERT_EQ(play.exit_code, 0) << play.err;
    const nlohmann::json match =
        nlohmann::json::parse(read_text_file(path("play.json")))["match"];
    EXPECT_EQ(match["wins"], record["wins"]) << player;
    EXPECT_EQ(match["draws"], record["draws"]) << player;
    EXPECT_EQ(match["losses"], record["losses"]) << player;
    // As the training's summary line says it.
    EXPECT_THAT(training.out, HasSubstr(absl::StrFormat(
                                  "%s vs %s: won %.1f%%", player, opponent,
                                  100.0 * match["wins"].get<double>() / 40)));
    ++replayed;
  }
  EXPECT_EQ(replayed, 2) << "greedy vs random, objective-mcts vs mcts";
  expect_usage_error(
      absl::StrCat("play --game tic-tac-toe --model ", path("model.json"),
                   " --training-seed 5 --seed 3"),
      "excludes");
}

TEST_F(TrainCli, PlayJsonHoldsTheSummarysNumbers) {
  const std::string model = train_model("model.json");
  const CliRun result =
      run(absl::StrCat("play --game tic-tac-toe --model ", model,
                       " --vs mcts:4 --games 100 --json ", path("out.json")));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json json =
      nlohmann::json::parse(read_text_file(path("out.json")));
  EXPECT_EQ(json["format"], "selfplay-play");
  EXPECT_EQ(json["game"], "tic-tac-toe");
  EXPECT_EQ(json["max_games"], 100);
  const nlohmann::json& match = json["match"];
  EXPECT_EQ(match["player"], "greedy");
  EXPECT_EQ(match["opponent"], "mcts:4");
  EXPECT_TRUE(match["sprt"].is_null());
  // Each count as the summary prints it ("  won      37  37.0%  [...]").
  for (const char* label : {"won", "drew", "lost"}) {
    const std::size_t at = result.out.find(absl::StrCat("  ", label, " "));
    ASSERT_NE(at, std::string::npos) << label;
    const char* key = label[0] == 'w'   ? "wins"
                      : label[0] == 'd' ? "draws"
                                        : "losses";
    EXPECT_EQ(std::stoull(result.out.substr(at + 9)),
              match[key].get<std::uint64_t>())
        << label;
  }
  EXPECT_THAT(result.out,
              HasSubstr(absl::StrFormat("Elo %+.0f [%+.0f, %+.0f]",
                                        match["elo"]["value"].get<double>(),
                                        match["elo"]["low"].get<double>(),
                                        match["elo"]["high"].get<double>())));
}

TEST_F(TrainCli, PlayStopsBySequentialTestAtTheSameGameForAnyThreadCount) {
  std::string outputs[2];
  for (int threads : {1, 2}) {
    const CliRun result = run(absl::StrCat(
        "play --game tic-tac-toe --player mcts:30 --vs random --games 3000 "
        "--sprt elo0=0,elo1=150 --threads ",
        threads, " --json ", path("sprt.json")));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_THAT(result.out, HasSubstr("H1 accepted"));
    outputs[threads - 1] = read_text_file(path("sprt.json"));
  }
  EXPECT_EQ(outputs[0], outputs[1]);
  const nlohmann::json match = nlohmann::json::parse(outputs[0])["match"];
  EXPECT_EQ(match["sprt"]["decision"], "H1");
  EXPECT_LT(match["games"].get<int>(), 3000);
  expect_usage_error("play --game tic-tac-toe --player mcts:4 --sprt elo0=5",
                     "--sprt 'elo0=5': elo0 and elo1 are required");
}

// The sequential comparison of iterations: 2 iterations, at most 60 games.
constexpr const char* kComparedTraining =
    "train --game tic-tac-toe --iterations 2 --games-per-iteration 150 "
    "--oracle mcts:8 --evaluation-games 60 --seed 5 --noprogress "
    "--compare-iterations elo0=0,elo1=30";

TEST_F(TrainCli, EachIterationIsComparedWithThePreviousAsPlayWouldCompareThem) {
  std::string models[2];
  CliRun training;
  for (int threads : {1, 2}) {
    training = run(absl::StrCat(kComparedTraining, " --threads ", threads,
                                " --out ", path("final.json")));
    ASSERT_EQ(training.exit_code, 0) << training.err;
    models[threads - 1] = without_run(path("final.json"));
  }
  EXPECT_EQ(models[0], models[1]);
  // The first iteration's model: a one-iteration training of the same seed
  // plays the same games and so fits the same objectives.
  const CliRun first =
      run("train --game tic-tac-toe --iterations 1 --games-per-iteration 150 "
          "--oracle mcts:8 --evaluation-games 0 --seed 5 --noprogress --out " +
          path("first.json"));
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const nlohmann::json model =
      nlohmann::json::parse(read_text_file(path("final.json")));
  int compared = 0;
  for (const nlohmann::json& record : model["evaluations"]) {
    if (record["stage"] != "previous-iteration") continue;
    EXPECT_EQ(record["iteration"], 2);
    const std::string player = record["player"];
    ASSERT_TRUE(absl::EndsWith(player, "@2")) << player;
    const std::string spec = player.substr(0, player.size() - 2);
    EXPECT_EQ(record["opponent"], spec + "@1");
    const CliRun play = run(absl::StrCat(
        "play --game tic-tac-toe --model ", path("final.json"), " --vs-model ",
        path("first.json"), " --player ", spec, " --vs ", spec,
        " --games 60 --training-seed 5 --sprt elo0=0,elo1=30 --threads 2 "
        "--json ",
        path("play.json")));
    ASSERT_EQ(play.exit_code, 0) << play.err;
    const nlohmann::json match =
        nlohmann::json::parse(read_text_file(path("play.json")))["match"];
    for (const char* key : {"games", "wins", "draws", "losses", "sprt"}) {
      EXPECT_EQ(match[key], record[key]) << spec << " " << key;
    }
    const std::string decision = record["sprt"]["decision"];
    EXPECT_THAT(training.out,
                HasSubstr(absl::StrFormat(
                    "previous-iteration %s vs %s@1: won %.1f%%", player, spec,
                    100.0 * record["wins"].get<double>() /
                        record["games"].get<double>())));
    EXPECT_THAT(training.out,
                HasSubstr(decision == "H1"   ? "H1, better"
                          : decision == "H0" ? "H0, not better"
                                             : "undecided at the game cap"));
    ++compared;
  }
  EXPECT_EQ(compared, 2) << "greedy and objective-mcts:8";
}

TEST_F(TrainCli, ComparedIterationsResumeToTheUninterruptedModel) {
  const std::string three =
      absl::StrCat(kThreeIterations, " --compare-iterations elo0=0,elo1=30 ");
  ASSERT_EQ(run(three + "--out " + path("whole.json")).exit_code, 0);
  // The first iteration's model, for --equal-time, is kept in the checkpoint.
  const CliRun stopped = run_signalled(
      absl::StrCat(three, "--equal-time 1ms --checkpoint ", path("run.ckpt"),
                   " --out ", path("part.json")),
      2, SIGINT);
  ASSERT_EQ(stopped.exit_code, 128 + SIGINT) << stopped.err;
  const CliRun resumed =
      run(absl::StrCat(three, "--equal-time 1ms --resume ", path("run.ckpt"),
                       " --out ", path("part.json")));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(without_run(path("part.json")), without_run(path("whole.json")));
  EXPECT_EQ(nlohmann::json::parse(
                read_text_file(path("part.json")))["run"]["equal_time"]
                .size(),
            2u);
  // Resuming without the comparison is another training.
  const CliRun other =
      run(absl::StrCat(kThreeIterations, " --resume ", path("run.ckpt"),
                       " --out ", path("other.json")));
  EXPECT_EQ(other.exit_code, 2) << other.out;
  // A checkpoint saved without --equal-time lacks the first model.
  ASSERT_EQ(run_signalled(absl::StrCat(three, "--checkpoint ", path("b.ckpt"),
                                       " --out ", path("b.json")),
                          2, SIGINT)
                .exit_code,
            128 + SIGINT);
  const CliRun refused =
      run(absl::StrCat(three, "--equal-time 1ms --resume ", path("b.ckpt"),
                       " --out ", path("b.json")));
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("holds no first-iteration model for the "
                                     "equal-time comparison"));
}

TEST_F(TrainCli, EqualTimeGoesInTheRunRecordAndLeavesTheModelAsItWas) {
  const std::string plain = train_model("plain.json");
  const CliRun timed = run(absl::StrCat(
      kTinyTraining, " --equal-time 1ms --out ", path("timed.json")));
  ASSERT_EQ(timed.exit_code, 0) << timed.err;
  EXPECT_EQ(without_run(path("timed.json")), without_run(plain));
  const nlohmann::json run_record =
      nlohmann::json::parse(read_text_file(path("timed.json")))["run"];
  ASSERT_EQ(run_record["equal_time"].size(), 2u);
  const nlohmann::json& first = run_record["equal_time"][0];
  const nlohmann::json& mcts = run_record["equal_time"][1];
  EXPECT_EQ(first["player"], "objective-mcts:1ms:4@final");
  EXPECT_EQ(first["opponent"], "objective-mcts:1ms:4@1");
  EXPECT_EQ(mcts["player"], "objective-mcts:1ms:4");
  EXPECT_EQ(mcts["opponent"], "mcts:1ms");
  for (const nlohmann::json* record : {&first, &mcts}) {
    EXPECT_EQ((*record)["stage"], "equal-time");
    EXPECT_EQ((*record)["games"], 40);
    EXPECT_THAT(
        timed.out,
        HasSubstr(absl::StrCat(
            "equal-time ", (*record)["player"].get<std::string>(), " vs ",
            (*record)["opponent"].get<std::string>(), ": won ")));
  }
  // The loaded model keeps the records: play's --json reads it back.
  EXPECT_EQ(run(absl::StrCat("play --game tic-tac-toe --model ",
                             path("timed.json"), " --games 2"))
                .exit_code,
            0);
}

TEST_F(TrainCli, BadComparisonFlagsAreUsageErrors) {
  expect_usage_error(
      "train --game tic-tac-toe --compare-iterations elo0=5",
      "--compare-iterations 'elo0=5': elo0 and elo1 are required");
  expect_usage_error(
      "train --game tic-tac-toe --compare-iterations elo0=30,elo1=0",
      "--compare-iterations");
  expect_usage_error("train --game tic-tac-toe --equal-time fast",
                     "--equal-time must be a time per move in (0, 1m] such as "
                     "5ms, not 'fast'");
  expect_usage_error("train --game tic-tac-toe --equal-time 0s",
                     "--equal-time must be a time per move");
  expect_usage_error("train --game tic-tac-toe --equal-time 2m",
                     "--equal-time must be a time per move");
  expect_usage_error(
      "train --game tic-tac-toe --equal-time 5ms --evaluation-games 0",
      "--equal-time plays evaluation games: it needs --evaluation-games > 0");
  expect_usage_error(
      "train --game tic-tac-toe --compare-iterations elo0=0,elo1=30 "
      "--evaluation-games 0",
      "--compare-iterations plays evaluation games: it needs "
      "--evaluation-games > 0");
}

TEST_F(TrainCli, PlayClimbsALadderWithRatings) {
  const std::string model = train_model("model.json");
  const std::string old = train_model("old.json");
  const CliRun result =
      run(absl::StrCat("play --game tic-tac-toe --model ", model,
                       " --ladder random,mcts:4,model:", old,
                       " --games 100 --json ", path("ladder.json")));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("greedy vs mcts:4: 100 games"));
  EXPECT_THAT(result.out, HasSubstr(absl::StrCat("greedy vs greedy@", old)));
  const nlohmann::json ladder =
      nlohmann::json::parse(read_text_file(path("ladder.json")))["ladder"];
  ASSERT_EQ(ladder["rungs"].size(), 3u);
  ASSERT_EQ(ladder["links"].size(), 2u);
  EXPECT_EQ(ladder["links"][0]["player"], "random");
  EXPECT_EQ(ladder["links"][0]["opponent"], "mcts:4");
  // The same model as its own rung: every game as greedy against itself
  // from the same seeds, so each block of two seats is a win and a loss or
  // two draws, and the score is exactly one half.
  EXPECT_EQ(ladder["rungs"][2]["score"]["value"], 0.5);
  // Random scored against mcts:4 and mcts:4 against the old model, so the
  // ratings exist; the player's and its own model's are within each other's
  // intervals, random's is 0.
  ASSERT_FALSE(ladder["ratings"].is_null()) << ladder["ratings_error"];
  EXPECT_EQ(ladder["anchor"], "random");
  EXPECT_EQ(ladder["ratings"][1]["value"], 0);
  const nlohmann::json& player = ladder["ratings"][0];
  const nlohmann::json& itself = ladder["ratings"][3];
  EXPECT_LT(player["low"].get<double>(), itself["value"].get<double>());
  EXPECT_GT(player["high"].get<double>(), itself["value"].get<double>());
  EXPECT_THAT(result.out, HasSubstr("Elo ratings, maximum likelihood"));
  expect_usage_error(absl::StrCat("play --game tic-tac-toe --model ", model,
                                  " --ladder random --vs mcts:4"),
                     "excludes");
}

// train --ladder is play --ladder on the saved model with the training's
// evaluation seeds: the same matches, ratings and lines, for any --threads,
// kept in the run record alone.
TEST_F(TrainCli, TheLadderIsWhatPlayGivesOnTheSavedModelWithTheTrainingSeed) {
  const std::string plain = train_model("plain.json");
  const std::string old = train_model("old.json");
  const std::string rungs = absl::StrCat("random,mcts:4,model:", old);
  std::vector<nlohmann::json> ladders;
  std::string summary;
  for (int threads : {1, 3}) {
    const std::string out = path(absl::StrCat("laddered", threads, ".json"));
    const CliRun trained = run(absl::StrCat(
        kTinyTraining, " --ladder ", rungs,
        " --ladder-player greedy --threads ", threads, " --out ", out));
    ASSERT_EQ(trained.exit_code, 0) << trained.err;
    EXPECT_THAT(trained.out, HasSubstr("[final] ladder   greedy against 3"));
    EXPECT_EQ(without_run(out), without_run(plain));
    ladders.push_back(
        nlohmann::json::parse(read_text_file(out))["run"]["ladder"]);
    if (threads == 1) summary = trained.out;
  }
  EXPECT_EQ(ladders[1], ladders[0]);
  const CliRun played = run(
      absl::StrCat("play --game tic-tac-toe --model ", path("laddered1.json"),
                   " --player greedy --ladder ", rungs,
                   " --games 40 --training-seed 5 --threads 2 "
                   "--json ",
                   path("play.json")));
  ASSERT_EQ(played.exit_code, 0) << played.err;
  const nlohmann::json expected =
      nlohmann::json::parse(read_text_file(path("play.json")))["ladder"];
  EXPECT_EQ(ladders[0], expected);
  ASSERT_EQ(expected["rungs"].size(), 3u);
  EXPECT_EQ(expected["rungs"][2]["opponent"], absl::StrCat("greedy@", old));
  EXPECT_FALSE(expected["ratings"].is_null()) << expected["ratings_error"];
  // train's summary ends with play's ladder lines.
  EXPECT_THAT(summary, HasSubstr(played.out));
}

TEST_F(TrainCli, BadLadderFlagsAreUsageErrors) {
  expect_usage_error(
      "train --game tic-tac-toe --ladder random --evaluation-games 0",
      "--ladder plays evaluation games: it needs --evaluation-games > 0");
  expect_usage_error(
      "train --game tic-tac-toe --ladder random --ladder-player mcts:4",
      "--ladder-player must use the model (greedy or objective-mcts:N), not "
      "mcts:4");
  expect_usage_error("train --game tic-tac-toe --ladder random,model:",
                     "--ladder: model: must name a model file");
  expect_usage_error("train --game tic-tac-toe --ladder random,mcts:x",
                     "--ladder: ");
  expect_usage_error(absl::StrCat("train --game tic-tac-toe --ladder model:",
                                  path("absent.json")),
                     "cannot read model");
}

TEST_F(TrainCli, ATimeBudgetedPlayerIsSaidNotToBeReproducible) {
  const CliRun result =
      run(absl::StrCat("play --game tic-tac-toe --player mcts:1ms --vs "
                       "mcts:8 --games 6 --threads 1 --json ",
                       path("timed.json")));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out,
              HasSubstr("tic-tac-toe: mcts:1ms vs mcts:8, 6 games"));
  EXPECT_THAT(result.out, HasSubstr("not reproducible"));
  const nlohmann::json json =
      nlohmann::json::parse(read_text_file(path("timed.json")));
  EXPECT_EQ(json["reproducible"], false);
  const CliRun iterations =
      run("play --game tic-tac-toe --player mcts:8 --vs mcts:8 --games 6");
  EXPECT_THAT(iterations.out, Not(HasSubstr("not reproducible")));
  // The commands whose results depend on the seed alone refuse one.
  expect_usage_error("train --game tic-tac-toe --oracle mcts:5ms",
                     "--oracle: mcts:5ms has a time per move, which only");
  expect_usage_error("simulate --game tic-tac-toe --policy mcts:8,mcts:5ms",
                     "--policy: mcts:5ms has a time per move");
}

// Two baselines need no model: here MCTS that sees the hidden cards against
// information-set MCTS. A model's player still asks for one.
TEST_F(TrainCli, PlayMatchesBaselinesWithoutAModel) {
  const CliRun result =
      run("play --game go-fish --players 3 --player mcts-cheat:20 --vs mcts:20 "
          "--games 60 --threads 1");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out,
              HasSubstr("go-fish: mcts-cheat:20 vs mcts:20, 60 games"));
  expect_usage_error("play --game go-fish --vs greedy --player mcts:5",
                     "--model must name a model file (greedy plays by one)");
}

TEST_F(TrainCli, BadModelFilesAreUsageErrors) {
  expect_usage_error("play --game tic-tac-toe", "--model must name");
  expect_usage_error(
      absl::StrCat("play --game tic-tac-toe --model ", path("absent.json")),
      "cannot read model");
  expect_usage_error(
      absl::StrCat("play --game tic-tac-toe --model ",
                   edited_model("missing.json",
                                [](nlohmann::json& json) {
                                  json["objectives"][0].erase("feature");
                                })),
      "objectives[0].feature is missing");
  expect_usage_error(
      absl::StrCat("play --game tic-tac-toe --model ",
                   edited_model("unknown.json",
                                [](nlohmann::json& json) {
                                  json["objectives"][0]["feature"] = "nope";
                                })),
      "objective feature 'nope' is not a feature of tic-tac-toe");
  expect_usage_error(absl::StrCat("play --game connect-four --model ",
                                  train_model("tic_tac_toe.json")),
                     "the model is for tic-tac-toe, not connect-four");
  expect_usage_error(absl::StrCat("play --game tic-tac-toe --model ",
                                  path("base.json"), " --vs chess"),
                     "--vs: unknown player 'chess'");
  expect_usage_error(absl::StrCat("play --game tic-tac-toe --model ",
                                  path("base.json"), " --games 0"),
                     "--games: must be");
}

}  // namespace
}  // namespace selfplay
