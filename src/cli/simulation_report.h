// What `simulate` shows a person (a text summary) and writes for programs (the
// JSON document whose schema README.md documents).
#ifndef SELFPLAY_CLI_SIMULATION_REPORT_H_
#define SELFPLAY_CLI_SIMULATION_REPORT_H_

#include <string>

#include "absl/status/status.h"
#include "selfplay/simulation.h"

namespace selfplay::cli {

// 2: p_value is game-clustered (the decision-level test moved to
// p_value_decisions); win_rate_difference, ci_low, ci_high, q_value,
// games_true (games_taken) and constant added, action kinds tested too.
inline constexpr int kJsonSchemaVersion = 2;

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

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_SIMULATION_REPORT_H_
