// `selfplay scale` as a user runs it: tiny experiments write the documented
// CSV and JSON and the plots (when gnuplot is installed), oversubscription is
// flagged, --silent prints only times, and bad input is one line and exit 2.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "nlohmann/json.hpp"

namespace selfplay {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kCsvHeader[] =
    "experiment,variant,game,threads,games,work_per_action,oversubscribed,"
    "runs,median_s,min_s,max_s,games_per_s,speedup,speedup_min,speedup_max,"
    "efficiency,karp_flatt,imbalance,imbalance_min,imbalance_max,per_game_us,"
    "peak_rss_kb";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool gnuplot_installed() {
  return std::system("command -v gnuplot >/dev/null 2>&1") == 0;
}

struct ScaleRun {
  int exit_code;
  std::string out;
  std::string err;
};

class Scale : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ =
        std::filesystem::temp_directory_path() /
        absl::StrCat(
            "selfplay_scale_test_", ::getpid(), "_",
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }

  // Runs `selfplay scale <arguments>` with `environment` assignments first.
  ScaleRun scale(const std::string& arguments,
                 const std::string& environment = "") {
    const std::filesystem::path out = directory_ / "stdout";
    const std::filesystem::path err = directory_ / "stderr";
    const std::string command =
        absl::StrCat(environment, " ", SELFPLAY_CLI_PATH, " scale ", arguments,
                     " >", out.string(), " 2>", err.string());
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out),
            read_file(err)};
  }

  std::filesystem::path results() const { return directory_ / "results"; }

  std::vector<std::vector<std::string>> csv_rows() const {
    std::vector<std::vector<std::string>> rows;
    for (absl::string_view line : absl::StrSplit(
             read_file(results() / "scaling.csv"), '\n', absl::SkipEmpty())) {
      rows.push_back(absl::StrSplit(line, ','));
    }
    return rows;
  }

  nlohmann::json json() const {
    return nlohmann::json::parse(read_file(results() / "scaling.json"));
  }

  void expect_png(const std::string& name) const {
    const std::string png = read_file(results() / name);
    EXPECT_EQ(png.substr(0, 4), "\x89PNG") << name;
  }

  void expect_usage_error(const std::string& arguments,
                          const std::string& message) {
    const ScaleRun run = scale(arguments);
    EXPECT_EQ(run.exit_code, 2) << arguments;
    EXPECT_THAT(run.err, HasSubstr(message)) << arguments;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1)
        << arguments << ": " << run.err;
  }

  std::filesystem::path directory_;
};

TEST_F(Scale, ATinyStrongScalingRunWritesCsvJsonAndPlots) {
  const ScaleRun run = scale(absl::StrCat(
      "--game tic-tac-toe --threads 1,2 --games 300 ",
      "--repeat 2 --experiment strong,schedulers --out ", results().string()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("strong scaling: 300 games per run"));
  EXPECT_THAT(run.out, HasSubstr("machine: "));
  EXPECT_THAT(run.out, HasSubstr("oneTBB "));

  const std::vector<std::vector<std::string>> rows = csv_rows();
  ASSERT_THAT(rows, SizeIs(1 + 2 + 3 * 2));
  EXPECT_EQ(absl::StrJoin(rows[0], ","), kCsvHeader);
  for (const auto& row : rows) EXPECT_THAT(row, SizeIs(rows[0].size()));
  // strong, work-stealing, tic-tac-toe, 1 thread, 300 games, no work knob,
  // not oversubscribed, 2 runs; speedup and efficiency 1 against itself; no
  // Karp-Flatt at 1 thread, no imbalance, cost or RSS.
  const std::vector<std::string>& first = rows[1];
  EXPECT_EQ(absl::StrJoin(first.begin(), first.begin() + 8, ","),
            "strong,work-stealing,tic-tac-toe,1,300,,false,2");
  EXPECT_EQ(first[12], "1");
  EXPECT_EQ(first[15], "1");
  EXPECT_EQ(absl::StrJoin(first.begin() + 16, first.end(), ","), ",,,,,");
  EXPECT_EQ(rows[3][1], "work-stealing");
  EXPECT_EQ(rows[4][1], "static-partition");
  EXPECT_EQ(rows[5][1], "central-queue");
  EXPECT_NE(rows[4][17], "") << "imbalance";

  const nlohmann::json report = json();
  EXPECT_EQ(report["schema_version"], 1);
  EXPECT_THAT(report["command"].get<std::string>(),
              HasSubstr("scale --game tic-tac-toe --threads 1,2"));
  for (const char* key :
       {"cpu_model", "logical_cores", "physical_cores", "available_threads",
        "load_average_before", "load_average_after"}) {
    EXPECT_TRUE(report["machine"].contains(key)) << key;
  }
  for (const char* key :
       {"compiler", "build_type", "tbb_version", "tbb_runtime_version"}) {
    EXPECT_FALSE(report["build"][key].get<std::string>().empty()) << key;
  }
  EXPECT_EQ(report["settings"]["threads"], nlohmann::json({1, 2}));
  EXPECT_EQ(report["settings"]["policy"], "random");
  const nlohmann::json& strong = report["experiments"][0];
  EXPECT_EQ(strong["name"], "strong");
  EXPECT_EQ(strong["counts_identical"], true);
  ASSERT_THAT(strong["points"], SizeIs(2));
  const nlohmann::json& one = strong["points"][0];
  const nlohmann::json& two = strong["points"][1];
  EXPECT_THAT(one["seconds"], SizeIs(2));
  EXPECT_TRUE(one["karp_flatt"].is_null());
  // The 2-thread point's figures, recomputed from the raw times: the median
  // of two runs is their mean; speedup median, worst and best against the
  // 1-thread median; efficiency per thread; Karp-Flatt (1/S - 1/p)/(1 - 1/p).
  const auto median = [](const nlohmann::json& seconds) {
    return (seconds[0].get<double>() + seconds[1].get<double>()) / 2;
  };
  const double base = median(one["seconds"]);
  const double t2 = median(two["seconds"]);
  const double speedup = base / t2;
  EXPECT_DOUBLE_EQ(two["speedup"]["median"].get<double>(), speedup);
  EXPECT_DOUBLE_EQ(two["speedup"]["min"].get<double>(),
                   base / std::max(two["seconds"][0].get<double>(),
                                   two["seconds"][1].get<double>()));
  EXPECT_DOUBLE_EQ(two["efficiency"].get<double>(), speedup / 2);
  EXPECT_NEAR(two["karp_flatt"].get<double>(), (1 / speedup - 0.5) / 0.5,
              1e-12);
  // Two cores or more: both points fit; one core: 2 threads oversubscribe.
  EXPECT_TRUE(strong["amdahl"].is_null() ||
              strong["amdahl"]["serial_fraction"].is_number());
  EXPECT_EQ(report["experiments"][1]["name"], "schedulers");

  if (gnuplot_installed()) {
    expect_png("speedup.png");
    expect_png("efficiency.png");
    expect_png("schedulers.png");
  } else {
    EXPECT_THAT(run.err, HasSubstr("gnuplot not found"));
  }
  EXPECT_TRUE(std::filesystem::exists(results() / "speedup.gp"));
}

TEST_F(Scale, WithoutGnuplotItSaysSoAndStillWritesCsvAndJson) {
  const std::filesystem::path empty_path = directory_ / "no-programs";
  std::filesystem::create_directories(empty_path);
  const ScaleRun run = scale(
      absl::StrCat("--game tic-tac-toe --threads 1 --games 50 --repeat 1 ",
                   "--out ", results().string()),
      absl::StrCat("PATH=", empty_path.string()));
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr("gnuplot not found"));
  EXPECT_TRUE(std::filesystem::exists(results() / "scaling.csv"));
  EXPECT_EQ(json()["experiments"][0]["points"][0]["games"], 50);
  EXPECT_FALSE(std::filesystem::exists(results() / "speedup.png"));
}

TEST_F(Scale, WeakScalingGrowsTheGamesWithTheThreads) {
  const ScaleRun run = scale(absl::StrCat(
      "--game tic-tac-toe --threads 1,2 --games-per-thread 100 --repeat 1 ",
      "--experiment weak --out ", results().string()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json report = json();
  const nlohmann::json& points = report["experiments"][0]["points"];
  ASSERT_THAT(points, SizeIs(2));
  EXPECT_EQ(points[0]["games"], 100);
  EXPECT_EQ(points[1]["games"], 200);
}

TEST_F(Scale, GranularityRunsEveryLevelWithBothBatchings) {
  const ScaleRun run = scale(absl::StrCat(
      "--game connect-four --nofeatures --threads 1,2 --games 200 ",
      "--repeat 1 --experiment granularity --work-per-action 0,100 ",
      "--point-seconds 0.01 --out ", results().string()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json report = json();
  const nlohmann::json& experiment = report["experiments"][0];
  EXPECT_GT(experiment["spin_ns_per_iteration"].get<double>(), 0);
  ASSERT_THAT(experiment["points"], SizeIs(2 * 2 * 2));
  for (const nlohmann::json& point : experiment["points"]) {
    EXPECT_GT(point["per_game_us"].get<double>(), 0);
    EXPECT_GE(point["games"].get<int>(), 32);  // 16 per thread at least
  }
  EXPECT_EQ(experiment["points"][0]["variant"], "adaptive-batches");
  EXPECT_EQ(experiment["points"][2]["variant"], "one-game-per-task");
  EXPECT_EQ(experiment["points"][4]["work_per_action"], 100);
  if (gnuplot_installed()) expect_png("granularity.png");
}

TEST_F(Scale, MemoryKeepsPeakRssFlatWithoutSummariesAndMeasuresThemKept) {
  const ScaleRun run = scale(absl::StrCat(
      "--game tic-tac-toe --nofeatures --threads 1 --experiment memory ",
      "--memory-games 100,50000 --out ", results().string()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json report = json();
  const nlohmann::json& experiment = report["experiments"][0];
  const nlohmann::json& points = experiment["points"];
  ASSERT_THAT(points, SizeIs(4));
  for (const nlohmann::json& point : points) {
    EXPECT_GT(point["peak_rss_kb"].get<int>(), 0);
  }
  EXPECT_EQ(points[2]["variant"], "summaries-dropped");
  EXPECT_EQ(points[3]["variant"], "summaries-kept");
  // 50000 summaries are megabytes, far above the noise of a page or two.
  EXPECT_GT(points[3]["peak_rss_kb"].get<int>(),
            points[2]["peak_rss_kb"].get<int>() + 1024);
  EXPECT_GT(experiment["kept_bytes_per_game"].get<double>(), 20);
  EXPECT_TRUE(experiment["dropped_bytes_per_game"].is_number());
}

TEST_F(Scale, ThreadCountsAboveTheCoresAreFlaggedOversubscribed) {
  const int cores = static_cast<int>(std::thread::hardware_concurrency());
  const ScaleRun run = scale(
      absl::StrCat("--game tic-tac-toe --games 100 --repeat 1 --threads 1,",
                   cores + 1, " --out ", results().string()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("warning: oversubscribed"));
  const nlohmann::json report = json();
  EXPECT_EQ(report["settings"]["oversubscribed_threads"],
            nlohmann::json({cores + 1}));
  EXPECT_EQ(report["experiments"][0]["points"][1]["oversubscribed"], true);
  EXPECT_EQ(report["experiments"][0]["points"][0]["oversubscribed"], false);
}

TEST_F(Scale, SilentPrintsOnlyTheTimes) {
  const ScaleRun run =
      scale("--game tic-tac-toe --threads 1,2 --games 100 --repeat 1 --silent");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  const std::vector<std::string> lines =
      absl::StrSplit(run.out, '\n', absl::SkipEmpty());
  ASSERT_THAT(lines, SizeIs(2));
  for (const std::string& line : lines) {
    const std::vector<std::string> fields = absl::StrSplit(line, '\t');
    ASSERT_THAT(fields, SizeIs(5)) << line;
    EXPECT_EQ(fields[0], "strong");
    double seconds = 0;
    EXPECT_TRUE(absl::SimpleAtod(fields[4], &seconds)) << line;
    EXPECT_GT(seconds, 0);
  }
}

// The harness fails a run whose counts differ between thread counts, so this
// also checks that MCTS games do not depend on the thread count.
TEST_F(Scale, MctsPlayersScaleWithTheSameGamesAtEveryThreadCount) {
  const ScaleRun run = scale(absl::StrCat(
      "--game tic-tac-toe --policy mcts:8 --threads 1,2 --games 40 ",
      "--repeat 1 --experiment strong,schedulers --out ", results().string()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const nlohmann::json report = json();
  EXPECT_EQ(report["settings"]["policy"], "mcts:8");
  EXPECT_EQ(report["experiments"][0]["counts_identical"], true);
  EXPECT_THAT(report["experiments"][0]["points"], SizeIs(2));
}

TEST_F(Scale, BadInputIsOneLineAndExitCodeTwo) {
  expect_usage_error("--threads 1:x", "bad thread count");
  expect_usage_error("--threads 0", "bad thread count");
  expect_usage_error("--threads 8:2", "LOW is above HIGH");
  expect_usage_error("--policy mcts", "mcts:N");
  expect_usage_error("--policy greedy", "needs a model");
  expect_usage_error("--experiment fastest", "unknown experiment");
  expect_usage_error("--repeat 0", "--repeat");
  expect_usage_error("--games 0", "--games");
  expect_usage_error("--work-per-action 10,-1", "--work-per-action");
  expect_usage_error("--memory-games 0", "--memory-games");
  expect_usage_error("--point-seconds 0", "--point-seconds");
  expect_usage_error("--game chess", "known games");
  expect_usage_error("--bogus", "not expected: --bogus");
  expect_usage_error(absl::StrCat("--out ", SELFPLAY_CLI_PATH), "scaling.csv");
}

TEST_F(Scale, HelpListsTheFlagsAsUsersTypeThem) {
  const ScaleRun run = scale("--help");
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_THAT(run.out, HasSubstr("--threads TEXT=auto"));
  EXPECT_THAT(run.out, HasSubstr("--experiment"));
  EXPECT_THAT(run.out, HasSubstr("mcts:N"));
  EXPECT_THAT(run.out, ::testing::Not(HasSubstr("scale-threads")));
}

}  // namespace
}  // namespace selfplay
