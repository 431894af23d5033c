// A one-line progress bar on stderr (done/total, games/s, ETA), drawn only
// when stderr is a terminal.
#ifndef SELFPLAY_CLI_PROGRESS_BAR_H_
#define SELFPLAY_CLI_PROGRESS_BAR_H_

#include <chrono>
#include <cstdint>

#include "selfplay/simulation.h"

namespace selfplay::cli {

class ProgressBar {
 public:
  // `enabled` false draws nothing (stderr not a terminal, or --noprogress).
  explicit ProgressBar(bool enabled);

  // A callback for SimulationOptions::progress, or empty when disabled.
  ProgressCallback callback();
  // Ends the line if anything was drawn.
  void finish();

 private:
  void draw(std::uint64_t done, std::uint64_t total);

  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_PROGRESS_BAR_H_
