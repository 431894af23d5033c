// What `simulate` shows a person (a text summary) and writes for programs (the
// JSON document whose schema README.md documents).
#ifndef SELFPLAY_CLI_SIMULATION_REPORT_H_
#define SELFPLAY_CLI_SIMULATION_REPORT_H_

#include <string>

#include "nlohmann/json.hpp"
#include "selfplay/simulation.h"

namespace selfplay::cli {

inline constexpr int kJsonSchemaVersion = 1;

// The full result. Everything but "timing" is identical for any thread count.
nlohmann::ordered_json result_to_json(const SimulationResult& result);

// Totals, seats, lengths, the `top` features by |phi| and the action kinds.
std::string result_summary(const SimulationResult& result, int top);

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_SIMULATION_REPORT_H_
