// A simulation's result written out: a text summary for a person, the JSON
// document for programs (its schema is documented in README.md, "JSON
// output"), and a self-contained HTML page with plots. What `selfplay
// simulate` prints and writes with --json and --report.
//
//   absl::StatusOr<SimulationResult> result = run_simulations(...);
//   std::fputs(result_summary(*result, /*top=*/20).c_str(), stdout);
//   absl::Status written = write_result_files(
//       *result, {.json = "result.json", .report = "result.html"});
#ifndef SELFPLAY_RESULT_OUTPUT_H_
#define SELFPLAY_RESULT_OUTPUT_H_

#include <string>

#include "absl/status/status.h"
#include "selfplay/logistic_model.h"
#include "selfplay/record_file.h"
#include "selfplay/simulation.h"

namespace selfplay {

// 2: p_value is game-clustered (the decision-level test moved to
// p_value_decisions); win_rate_difference, ci_low, ci_high, q_value,
// games_true (games_taken) and constant added, action kinds tested too.
inline constexpr int kJsonSchemaVersion = 2;

// The JSON document, written to `path` atomically (the temporary file is
// renamed over it) with the game summaries streamed one at a time.
// PermissionDenied or InvalidArgument naming the path.
[[nodiscard]] absl::Status write_result_json(const SimulationResult& result,
                                             const std::string& path);

// The --report page: one self-contained HTML document (inline CSS and SVG,
// no script, no external resource) with the `top` features' win-rate
// differences as a forest plot, seat results, the length histogram and the
// action kinds. Well-formed XML as well as HTML (every element closed).
std::string result_to_html(const SimulationResult& result, int top);

// Totals, seats, lengths, the `top` features by |phi| with their
// game-clustered tests, the constant features, and the action kinds, as
// valid UTF-8.
std::string result_summary(const SimulationResult& result, int top);

// The files a result goes to: --json and --report (empty: none). The JSON
// (whose "timing" alone differs between thread counts) has its game
// summaries streamed one at a time, so a million of them cost no memory
// beyond their own; text from the game or a records file is made valid
// UTF-8.
struct ResultFiles {
  std::string json;
  std::string report;  // the HTML page of html_report.h
  int top = 20;        // features in the report's forest plot
};

// check_writable for each file named, before a run.
[[nodiscard]] absl::Status check_result_files(const ResultFiles& files);

// Writes each file named, atomically (see output_file.h); the first error.
[[nodiscard]] absl::Status write_result_files(const SimulationResult& result,
                                              const ResultFiles& files);

// What `records fit` shows a person (a table of coefficients) and writes for
// programs (JSON, "format": "selfplay-logistic-fit"; README.md documents it)
// for the fit of the run `header` describes.
inline constexpr int kFitSchemaVersion = 1;

// The JSON document, indented, with a final newline.
std::string fit_json(const RecordFileHeader& header, const LogisticFit& fit);

// A line of totals, then per feature (in feature-set order) its coefficient,
// clustered standard error, z and p-value; constant features are marked.
std::string fit_summary(const RecordFileHeader& header, const LogisticFit& fit);

}  // namespace selfplay

#endif  // SELFPLAY_RESULT_OUTPUT_H_
