// `records fit`, `train --weights` and the HTML report as a user runs them:
// the fit of a records file equals the library's fit of the same games read
// here; bad or corrupt files get one line and exit code 2; logistic weights
// come from significant coefficients and are the same for any thread count;
// the report is one self-contained, well-formed page whose plotted numbers
// are the run's.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <regex>
#include <vector>

#include "absl/strings/str_format.h"
#include "cli_runner.h"
#include "nlohmann/json.hpp"
#include "selfplay/logistic_model.h"
#include "selfplay/record_file.h"

namespace selfplay {
namespace {

using ::selfplay::testing::CliRun;
using ::selfplay::testing::read_text_file;
using ::selfplay::testing::run_cli;
using ::selfplay::testing::ScratchDirectory;
using ::testing::HasSubstr;

constexpr const char* kRun =
    "simulate --game tic-tac-toe --games 400 --seed 3 --noprogress";

class FitReportCli : public ::selfplay::testing::CliTest {
 protected:
  // kRun's records in `name`; returns its path.
  std::string records(const std::string& name) {
    const CliRun result = run(absl::StrCat(kRun, " --records ", path(name)));
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
};

TEST_F(FitReportCli, RecordsFitEqualsTheLibrarysFitOfTheFilesGames) {
  const std::string file = records("games.sprec");
  const CliRun result =
      run(absl::StrCat("records fit ", file, " --json ", path("fit.json")));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("(intercept)"));
  EXPECT_THAT(result.out, HasSubstr("clustered SE"));
  const nlohmann::json json =
      nlohmann::json::parse(read_text_file(path("fit.json")));

  // The same games, read here into memory and fitted directly.
  absl::StatusOr<RecordFileReader> reader = RecordFileReader::open(file);
  ASSERT_TRUE(reader.ok()) << reader.status();
  std::vector<GameRecord> games;
  GameRecord record;
  while (*reader->next(record)) games.push_back(record);
  absl::StatusOr<LogisticFit> fit =
      fit_logistic(static_cast<int>(reader->header().features.size()),
                   [&](GameVisitor visit) {
                     for (const GameRecord& game : games) {
                       if (absl::Status status = visit(game); !status.ok())
                         return status;
                     }
                     return absl::OkStatus();
                   });
  ASSERT_TRUE(fit.ok()) << fit.status();
  EXPECT_EQ(json["format"], "selfplay-logistic-fit");
  EXPECT_EQ(json["games"], fit->games);
  EXPECT_EQ(json["decisions"], fit->decisions);
  EXPECT_EQ(json["l2"], 1.0);
  EXPECT_EQ(json["intercept"]["coefficient"].get<double>(),
            fit->intercept.coefficient);
  ASSERT_EQ(json["features"].size(), fit->features.size());
  for (std::size_t f = 0; f < fit->features.size(); ++f) {
    const nlohmann::json& feature = json["features"][f];
    EXPECT_EQ(feature["id"], reader->header().features[f].id);
    EXPECT_EQ(feature["coefficient"].get<double>(),
              fit->features[f].coefficient);
    EXPECT_EQ(feature["standard_error"].get<double>(),
              fit->features[f].standard_error);
    EXPECT_EQ(feature["p_value"].get<double>(), fit->features[f].p_value);
    EXPECT_THAT(result.out, HasSubstr(feature["id"].get<std::string>()));
  }
}

TEST_F(FitReportCli, RecordsFitRefusesForeignCorruptAndTruncatedFiles) {
  std::ofstream(path("foreign.txt")) << "not a records file\n";
  expect_usage_error("records fit " + path("foreign.txt"), "selfplay records:");
  expect_usage_error("records fit " + path("missing.sprec"),
                     "selfplay records:");
  const std::string file = records("games.sprec");
  const std::string bytes = read_text_file(file);
  std::string flipped = bytes;
  flipped[bytes.size() / 2] ^= 0x5a;
  std::ofstream(path("flipped.sprec"), std::ios::binary) << flipped;
  expect_usage_error("records fit " + path("flipped.sprec"),
                     "selfplay records:");
  std::ofstream(path("cut.sprec"), std::ios::binary)
      << bytes.substr(0, bytes.size() - 7);
  expect_usage_error("records fit " + path("cut.sprec"), "selfplay records:");
  expect_usage_error("records fit " + file + " --l2 -1", "l2");
  expect_usage_error("records fit " + file + " --l2 nan", "l2");
}

// A quick logistic training: tic-tac-toe, random self-play.
constexpr const char* kLogisticTraining =
    "train --game tic-tac-toe --iterations 2 --games-per-iteration 400 "
    "--oracle random --evaluation-games 0 --seed 5 --noprogress --weights "
    "logistic";

TEST_F(FitReportCli,
       LogisticWeightsAreSignificantCoefficientsForAnyThreadCount) {
  nlohmann::json models[2];
  for (int threads : {1, 2}) {
    const std::string model = path(absl::StrCat("model", threads, ".json"));
    const CliRun result = run(absl::StrCat(kLogisticTraining, " --threads ",
                                           threads, " --out ", model));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_THAT(result.out, HasSubstr("logistic weights"));
    models[threads - 1] = nlohmann::json::parse(read_text_file(model));
    models[threads - 1].erase("run");
  }
  EXPECT_EQ(models[0], models[1]);
  const nlohmann::json& model = models[0];
  EXPECT_EQ(model["training"]["weights"], "logistic");
  const nlohmann::json& objectives = model["objectives"];
  ASSERT_FALSE(objectives.empty());
  for (std::size_t i = 0; i < objectives.size(); ++i) {
    EXPECT_LT(objectives[i]["p_value"].get<double>(), 0.05);
    if (i > 0) {
      EXPECT_GE(std::abs(objectives[i - 1]["weight"].get<double>()),
                std::abs(objectives[i]["weight"].get<double>()));
    }
  }
  // The same games with phi weights: 10 x phi, strongest |phi| first.
  const CliRun phi = run(absl::StrCat(
      kLogisticTraining, " --weights phi --out ", path("phi.json")));
  ASSERT_EQ(phi.exit_code, 0) << phi.err;
  const nlohmann::json phi_model =
      nlohmann::json::parse(read_text_file(path("phi.json")));
  EXPECT_EQ(phi_model["training"]["weights"], "phi");
  ASSERT_FALSE(phi_model["objectives"].empty());
  for (const nlohmann::json& objective : phi_model["objectives"]) {
    EXPECT_DOUBLE_EQ(objective["weight"].get<double>(),
                     10 * objective["correlation"].get<double>());
  }
  expect_usage_error(absl::StrCat(kLogisticTraining, " --weights odds"),
                     "--weights must be phi or logistic");
  expect_usage_error(absl::StrCat(kLogisticTraining, " --l2 -2"), "--l2");
}

// Checks that `text` is well-formed XML after its doctype: every tag closed
// in order, attributes quoted, no stray '<' or '&'. Returns the first problem.
std::string xml_problem(const std::string& text) {
  std::vector<std::string> open;
  static const std::regex kTag(
      R"(<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z][a-zA-Z0-9:-]*="[^"<]*")*)\s*(/?)>)");
  static const std::regex kEntity(R"(&(amp|lt|gt|quot|#39);)");
  std::size_t at = text.find('>', text.find("<!DOCTYPE")) + 1;
  while (at < text.size()) {
    const std::size_t next = text.find_first_of("<&", at);
    if (next == std::string::npos) break;
    std::smatch match;
    if (text[next] == '&') {
      const std::string rest = text.substr(next, 8);
      if (!std::regex_search(rest, match, kEntity) || match.position(0) != 0) {
        return "a bare & at " + std::to_string(next);
      }
      at = next + 1;
      continue;
    }
    const std::string rest = text.substr(next, text.find('>', next) + 1 - next);
    if (!std::regex_match(rest, match, kTag)) return "a malformed tag: " + rest;
    if (match[1] == "/") {
      if (open.empty() || open.back() != match[2]) {
        return "</" + match[2].str() + "> closes " +
               (open.empty() ? "nothing" : open.back());
      }
      open.pop_back();
    } else if (match[4] != "/") {
      open.push_back(match[2]);
    }
    at = next + rest.size();
  }
  return open.empty() ? "" : "<" + open.back() + "> is never closed";
}

TEST_F(FitReportCli,
       TheReportIsOneSelfContainedWellFormedPageOfTheRunsNumbers) {
  const CliRun result = run(absl::StrCat(
      kRun, " --records ", path("games.sprec"), " --json ", path("run.json"),
      " --report ", path("run.html"), " --top 8"));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const std::string html = read_text_file(path("run.html"));
  EXPECT_EQ(xml_problem(html), "");
  for (const char* outside : {"http:", "https:", "src=", "href=", "url(",
                              "<script", "<link", "@import"}) {
    EXPECT_EQ(html.find(outside), std::string::npos) << outside;
  }
  // The forest plot shows each top feature's difference of win rates and
  // its game-clustered interval as the JSON gives them; the seat bars each
  // seat's win share.
  const nlohmann::json json =
      nlohmann::json::parse(read_text_file(path("run.json")));
  int plotted = 0;
  for (const nlohmann::json& feature : json["features"]) {
    if (feature["ci_low"].is_null() || feature["ci_high"].is_null()) continue;
    const std::string label =
        absl::StrCat(">", feature["id"].get<std::string>(), "<");
    if (html.find(label) == std::string::npos) continue;
    ++plotted;
    EXPECT_THAT(html, HasSubstr(absl::StrFormat(
                          ">%+.1f [%+.1f, %+.1f]<",
                          100 * feature["win_rate_difference"].get<double>(),
                          100 * feature["ci_low"].get<double>(),
                          100 * feature["ci_high"].get<double>())))
        << feature["id"];
  }
  EXPECT_GE(plotted, 5);
  EXPECT_LE(plotted, 8);
  for (const nlohmann::json& seat : json["seat_results"]) {
    const double wins = seat["wins"], draws = seat["draws"],
                 losses = seat["losses"];
    EXPECT_THAT(html, HasSubstr(absl::StrFormat(
                          ">%.1f%%<", 100 * wins / (wins + draws + losses))));
  }
  // records stats draws the same page from the file.
  const CliRun stats =
      run(absl::StrCat("records stats ", path("games.sprec"), " --top 8 ",
                       "--report ", path("stats.html")));
  ASSERT_EQ(stats.exit_code, 0) << stats.err;
  EXPECT_EQ(read_text_file(path("stats.html")), html);
  expect_usage_error(
      absl::StrCat(kRun, " --report ", path("no/such/dir/x.html")),
      "selfplay simulate:");
}

}  // namespace
}  // namespace selfplay
