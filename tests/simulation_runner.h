// run_simulations for tests: the result, or a test failure with its status
// and an empty result.
#ifndef SELFPLAY_TESTS_SIMULATION_RUNNER_H_
#define SELFPLAY_TESTS_SIMULATION_RUNNER_H_

#include <gtest/gtest.h>

#include "selfplay/simulation.h"

namespace selfplay::testing {

inline SimulationResult run(const Game& game, const FeatureSet& features,
                            const SimulationOptions& options) {
  absl::StatusOr<SimulationResult> result =
      run_simulations(game, features, options);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *std::move(result) : SimulationResult{};
}

}  // namespace selfplay::testing

#endif  // SELFPLAY_TESTS_SIMULATION_RUNNER_H_
