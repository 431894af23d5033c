// What `simulate` shows a person (a text summary) and writes for programs (the
// JSON document whose schema README.md documents).
#ifndef SELFPLAY_CLI_SIMULATION_REPORT_H_
#define SELFPLAY_CLI_SIMULATION_REPORT_H_

#include <string>

#include "nlohmann/json.hpp"
#include "selfplay/simulation.h"

namespace selfplay::cli {

// 2: p_value is game-clustered (the decision-level test moved to
// p_value_decisions); win_rate_difference, ci_low, ci_high, q_value,
// games_true (games_taken) and constant added, action kinds tested too.
inline constexpr int kJsonSchemaVersion = 2;

// The full result. Everything but "timing" is identical for any thread count.
nlohmann::ordered_json result_to_json(const SimulationResult& result);

// Totals, seats, lengths, the `top` features by |phi| with their
// game-clustered tests, the constant features, and the action kinds.
std::string result_summary(const SimulationResult& result, int top);

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_SIMULATION_REPORT_H_
