// The `selfplay` binary under Open MPI's mpirun: the JSON of N ranks is the
// JSON of one process (timing aside), so is a trained model (its run record
// aside), also when a training interrupted on 2 ranks is resumed on 3, a rank
// that fails is named and ends the job instead of hanging it, and a build
// without MPI refuses to run as N copies. The mpirun tests run when the CLI is
// built with MPI, the refusal test when it is built without.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace selfplay {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kMpiexec[] = SELFPLAY_MPIEXEC;
constexpr bool kCliHasMpi = sizeof(kMpiexec) > 1;
// A failed job must end well before this: mpirun would otherwise hang.
constexpr int kJobTimeoutSeconds = 120;
constexpr int kTimedOut = 124;  // timeout(1)'s exit code

struct ShellRun {
  int exit_code;
  std::string err;
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class MpiCli : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ =
        std::filesystem::temp_directory_path() /
        absl::StrCat(
            "selfplay_mpi_test_", ::getpid(), "_",
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  // Runs `command` with sh; stdout is dropped, stderr kept.
  ShellRun shell(const std::string& command) {
    const std::filesystem::path err = directory_ / "stderr";
    const int status = std::system(
        absl::StrCat(command, " >/dev/null 2>", err.string()).c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(err)};
  }

  // mpirun with what root and a 2-core machine need: more ranks than cores,
  // and no pinning, so that each rank's oneTBB sees every core. In the
  // AddressSanitizer build the ranks skip the leak check: Open MPI 4.1 keeps
  // allocations past MPI_Finalize, some made by plugins it has unloaded, so
  // no suppression can name them; memory errors are still caught.
  static std::string mpirun() {
    return absl::StrCat("timeout ", kJobTimeoutSeconds, " ", kMpiexec,
                        " --allow-run-as-root --oversubscribe --bind-to none",
                        " -x ASAN_OPTIONS=detect_leaks=0");
  }

  static std::string cli() { return SELFPLAY_CLI_PATH; }

  // The JSON `prefix` + `selfplay simulate` + `flags` writes, less timing.
  nlohmann::json simulate_json(const std::string& prefix,
                               const std::string& flags) {
    const std::filesystem::path path =
        directory_ / absl::StrCat("out", ++runs_, ".json");
    const ShellRun run =
        shell(absl::StrCat(prefix, cli(), " simulate ", flags,
                           " --noprogress --json ", path.string()));
    EXPECT_EQ(run.exit_code, 0) << prefix << flags << "\n" << run.err;
    nlohmann::json json = nlohmann::json::parse(read_file(path), nullptr,
                                                /*allow_exceptions=*/false);
    EXPECT_FALSE(json.is_discarded()) << prefix << flags;
    if (json.is_object()) json.erase("timing");
    return json;
  }

  // The model `prefix` + `selfplay train` + `flags` writes, less its run
  // record (threads, times, command line).
  std::string trained_model(const std::string& prefix,
                            const std::string& flags) {
    const std::filesystem::path path =
        directory_ / absl::StrCat("model", ++runs_, ".json");
    const ShellRun run =
        shell(absl::StrCat(prefix, cli(), " train ", flags,
                           " --noprogress --out ", path.string()));
    EXPECT_EQ(run.exit_code, 0) << prefix << flags << "\n" << run.err;
    nlohmann::json json = nlohmann::json::parse(read_file(path), nullptr,
                                                /*allow_exceptions=*/false);
    EXPECT_TRUE(json.is_object()) << prefix << flags;
    if (!json.is_object()) return "";
    EXPECT_TRUE(json.contains("run"));
    json.erase("run");
    return json.dump();
  }

  std::filesystem::path directory_;
  int runs_ = 0;
};

class MpiRun : public MpiCli {
 protected:
  void SetUp() override {
    if (!kCliHasMpi) GTEST_SKIP() << "the CLI is built without MPI";
    MpiCli::SetUp();
  }
};

TEST_F(MpiRun, TwoRanksWriteTheJsonOfOneProcessForCheckers) {
  const std::string flags = "--game checkers --games 800 --seed 11";
  const nlohmann::json one = simulate_json("", flags + " --threads 2");
  EXPECT_EQ(one["completed"].get<int>() + one["truncated"].get<int>(), 800);
  EXPECT_EQ(simulate_json(mpirun() + " -np 2 ", flags + " --threads 1"), one);
}

TEST_F(MpiRun,
       GoFishForThreePlayersWithGameSummariesMatchesOnTwoAndThreeRanks) {
  const std::string flags =
      "--game go-fish --players 3 --games 400 --seed 4 --keep-games";
  const nlohmann::json one = simulate_json("", flags + " --threads 1");
  ASSERT_EQ(one["game_summaries"].size(), 400u);
  EXPECT_EQ(simulate_json(mpirun() + " -np 2 ", flags + " --threads 2"), one);
  // Small chunks: each rank's games interleave with the others'.
  EXPECT_EQ(simulate_json(mpirun() + " -x SELFPLAY_MPI_CHUNK=7 -np 3 ",
                          flags + " --threads 1"),
            one);
}

TEST_F(MpiRun, RanksWithoutGamesTakePartAndTheResultIsComplete) {
  const std::string flags = "--game hex --games 3 --seed 2 --keep-games";
  const nlohmann::json one = simulate_json("", flags);
  EXPECT_EQ(simulate_json(mpirun() + " -np 4 ", flags + " --threads 1"), one);
}

// Three iterations of 150 tic-tac-toe games with logistic weights (every
// game's record reaches every rank's fit) and two evaluation matches.
constexpr char kTraining[] =
    "--game tic-tac-toe --iterations 3 --games-per-iteration 150 --oracle "
    "mcts:8 --evaluation-games 41 --seed 5";

TEST_F(MpiRun, TrainingOnTwoAndThreeRanksWritesTheModelOfOneProcess) {
  const std::string one =
      trained_model("", absl::StrCat(kTraining, " --threads 2"));
  ASSERT_FALSE(one.empty());
  const nlohmann::json model = nlohmann::json::parse(one);
  EXPECT_EQ(model["training"]["games"], 450);
  EXPECT_EQ(model["evaluations"].size(), 6u);
  EXPECT_EQ(model["evaluations"][5]["games"], 41);
  EXPECT_EQ(trained_model(mpirun() + " -np 2 ",
                          absl::StrCat(kTraining, " --threads 1")),
            one);
  // Small chunks: each rank's games interleave with the others'.
  EXPECT_EQ(trained_model(mpirun() + " -x SELFPLAY_MPI_CHUNK=7 -np 3 ",
                          absl::StrCat(kTraining, " --threads 2")),
            one);
  // Phi weights take no records; the evolution runs whole on every rank.
  const std::string phi = absl::StrCat(
      kTraining,
      " --weights phi --evolve --evolve-generations 2 --evolve-mu 2 "
      "--evolve-lambda 4 --evolve-games 20");
  const std::string evolved = trained_model("", phi);
  EXPECT_EQ(nlohmann::json::parse(evolved)["evolution"]["generations"], 2);
  EXPECT_EQ(trained_model(mpirun() + " -np 3 ", phi + " --threads 1"), evolved);
}

TEST_F(MpiRun, ComparedIterationsOnTwoRanksWriteTheModelOfOneProcess) {
  // The sequential comparisons run whole on every rank.
  const std::string flags =
      absl::StrCat(kTraining, " --compare-iterations elo0=0,elo1=30");
  const std::string one = trained_model("", flags);
  ASSERT_FALSE(one.empty());
  const nlohmann::json model = nlohmann::json::parse(one);
  int compared = 0;
  for (const nlohmann::json& record : model["evaluations"]) {
    compared += record["stage"] == "previous-iteration";
  }
  EXPECT_EQ(compared, 4) << "iterations 2 and 3, greedy and objective-mcts";
  EXPECT_EQ(trained_model(mpirun() + " -np 2 ", flags + " --threads 1"), one);
}

TEST_F(MpiRun, ATrainingSavedByRankZeroOfTwoResumesOnThreeToTheSameModel) {
  const std::string uninterrupted = trained_model("", kTraining);
  const std::filesystem::path checkpoint = directory_ / "train.ckpt";
  // Rank 0 saves iteration 1, then the test hook stops it with SIGTERM; its
  // exit ends the job.
  const ShellRun stopped = shell(absl::StrCat(
      mpirun(), " -x SELFPLAY_TEST_SIGNAL_AFTER_ITERATION=1,15 -np 2 ", cli(),
      " train ", kTraining, " --threads 1 --noprogress --checkpoint ",
      checkpoint.string(), " --out ", (directory_ / "unused.json").string()));
  EXPECT_NE(stopped.exit_code, 0) << stopped.err;
  EXPECT_NE(stopped.exit_code, kTimedOut) << stopped.err;
  EXPECT_THAT(stopped.err, HasSubstr("interrupted after iteration 1 of 3"));
  ASSERT_TRUE(std::filesystem::exists(checkpoint)) << stopped.err;
  EXPECT_FALSE(std::filesystem::exists(directory_ / "unused.json"));
  EXPECT_EQ(trained_model(mpirun() + " -np 3 ",
                          absl::StrCat(kTraining, " --threads 1 --resume ",
                                       checkpoint.string())),
            uninterrupted);
}

TEST_F(MpiRun, ARankTrainingWithOtherSettingsIsNamedAndTheJobFails) {
  const std::string train = absl::StrCat(
      cli(), " train --game tic-tac-toe --iterations 2 --games-per-iteration ",
      "100 --oracle mcts:8 --noprogress --out ",
      (directory_ / "model.json").string());
  // Without evaluations rank 1 would skip the matches rank 0 plays.
  const ShellRun run =
      shell(absl::StrCat(mpirun(), " -np 1 ", train, " --evaluation-games 20",
                         " : -np 1 ", train, " --evaluation-games 0"));
  EXPECT_NE(run.exit_code, 0) << run.err;
  EXPECT_NE(run.exit_code, kTimedOut) << run.err;
  EXPECT_THAT(run.err, HasSubstr("rank 1 of 2 failed: --evaluation-games: "
                                 "rank 0's run used 20, this rank 0"));
  EXPECT_FALSE(std::filesystem::exists(directory_ / "model.json"));
}

TEST_F(MpiRun, ARankStartedWithOtherFlagsIsNamedAndTheJobFails) {
  const std::string flags = " simulate --games 200 --noprogress --seed ";
  const ShellRun run = shell(absl::StrCat(mpirun(), " -np 1 ", cli(), flags,
                                          "1 : ", "-np 1 ", cli(), flags, "2"));
  EXPECT_NE(run.exit_code, 0) << run.err;
  EXPECT_NE(run.exit_code, kTimedOut) << run.err;
  EXPECT_THAT(run.err, HasSubstr("rank 1 of 2 failed"));
  EXPECT_THAT(run.err, HasSubstr("--seed: rank 0's run used 1, this rank 2"));
}

TEST_F(MpiRun, AnErrorOnOneRankBeforeTheRunEndsTheJobInsteadOfHangingIt) {
  const ShellRun run =
      shell(absl::StrCat(mpirun(), " -np 1 ", cli(), " simulate --games 200 ",
                         ": -np 1 ", cli(), " simulate --games 0"));
  EXPECT_NE(run.exit_code, 0) << run.err;
  EXPECT_NE(run.exit_code, kTimedOut) << run.err;
  EXPECT_THAT(run.err, HasSubstr("--games: must be 1.."));
}

TEST_F(MpiRun, AnUnwritableOutputPathIsReportedOnceByRankZeroAndEndsTheJob) {
  const std::filesystem::path missing = directory_ / "missing" / "out.json";
  const ShellRun run =
      shell(absl::StrCat(mpirun(), " -np 2 ", cli(),
                         " simulate --games 200 --json ", missing.string()));
  EXPECT_NE(run.exit_code, 0) << run.err;
  EXPECT_NE(run.exit_code, kTimedOut) << run.err;
  std::size_t reports = 0;
  for (std::size_t at = run.err.find("cannot write"); at != std::string::npos;
       at = run.err.find("cannot write", at + 1)) {
    ++reports;
  }
  EXPECT_EQ(reports, 1u) << run.err;
  EXPECT_FALSE(std::filesystem::exists(missing));
}

TEST_F(MpiCli, ABuildWithoutMpiRefusesToRunAsSeveralCopies) {
  if (kCliHasMpi) GTEST_SKIP() << "the CLI is built with MPI";
  // What Open MPI's mpirun -np 4 puts in each process's environment.
  const ShellRun refused = shell(
      absl::StrCat("OMPI_COMM_WORLD_SIZE=4 ", cli(), " simulate --games 10"));
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_THAT(refused.err, HasSubstr("built without MPI"));
  EXPECT_EQ(std::count(refused.err.begin(), refused.err.end(), '\n'), 1);
  // One process is one process, however it was started.
  const ShellRun single = shell(
      absl::StrCat("OMPI_COMM_WORLD_SIZE=1 ", cli(), " simulate --games 10"));
  EXPECT_EQ(single.exit_code, 0) << single.err;
  EXPECT_THAT(single.err, Not(HasSubstr("MPI")));
}

}  // namespace
}  // namespace selfplay
