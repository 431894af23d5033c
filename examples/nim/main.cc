// nim_selfplay [games]: plays Nim by random self-play with the selfplay
// library and prints which features of a position go with winning.
#include <csignal>
#include <cstdio>
#include <string>

#include "absl/strings/numbers.h"
#include "nim.h"
#include "selfplay/features.h"
#include "selfplay/simulation.h"
#include "selfplay/statistics.h"

namespace {

selfplay::StopToken stop;

// Ctrl-C asks the run to stop; it returns what it played so far.
void on_interrupt(int) { stop.request_stop(); }

// A hand-written feature: the player to move faces a non-zero nim-sum, a
// position it can win with perfect play. The engine calls it for the
// deciding player, from several threads at once: it only reads the state.
bool nim_sum_nonzero(const selfplay::State& state, int) {
  const auto& nim_state = static_cast<const nim::NimState&>(state);
  int nim_sum = 0;
  for (int heap : nim_state.heaps()) nim_sum ^= heap;
  return nim_sum != 0;
}

void print_report(const selfplay::SimulationResult& result) {
  const selfplay::SimulationCounts& counts = result.counts;
  std::printf("%llu games played, %llu failed, %llu not played (stopped)\n",
              static_cast<unsigned long long>(counts.games),
              static_cast<unsigned long long>(counts.failed),
              static_cast<unsigned long long>(result.cancelled));
  for (std::size_t seat = 0; seat < counts.seats.size(); ++seat) {
    std::printf("seat %zu wins %llu games\n", seat,
                static_cast<unsigned long long>(counts.seats[seat].wins));
  }
  std::printf("\n%-28s %7s %10s %14s %14s\n", "feature", "phi", "p-value",
              "win rate true", "win rate false");
  for (const selfplay::FeatureStatistics& f : selfplay::select_top_features(
           selfplay::feature_statistics(result), 0.0, 10)) {
    std::printf("%-28s %7.3f %10.2g %14.3f %14.3f\n", f.info.id.c_str(), f.phi,
                f.p_value, f.win_rate_true, f.win_rate_false);
  }
  std::printf("\n%-28s %14s %18s\n", "action kind", "win rate taken",
              "win rate not taken");
  for (const selfplay::ActionStatistics& a :
       selfplay::action_statistics(result)) {
    std::printf("%-28s %14.3f %18.3f\n", a.kind.c_str(), a.win_rate_taken,
                a.win_rate_not_taken);
  }
}

}  // namespace

int main(int argc, char** argv) {
  selfplay::SimulationOptions options;
  options.games = 100000;
  if (argc > 2 || (argc == 2 && !absl::SimpleAtoi(argv[1], &options.games))) {
    std::fprintf(stderr, "usage: nim_selfplay [games]\n");
    return 2;
  }
  const std::unique_ptr<selfplay::Game> game = nim::make_nim_game();

  // The generic features Nim's declared structure allows, plus our own.
  absl::StatusOr<selfplay::FeatureSet> features =
      selfplay::generate_candidate_features(game->structure());
  if (!features.ok()) {
    std::fprintf(stderr, "%s\n", features.status().ToString().c_str());
    return 1;
  }
  if (absl::Status status = features->add(
          {"nim-sum-nonzero", "the heaps' XOR is not zero", "nim"},
          nim_sum_nonzero);
      !status.ok()) {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
    return 1;
  }

  options.threads = 0;  // all cores; the result is the same for any count
  options.seed = 1;     // the CLI's default: both play the same games
  options.stop = &stop;
  std::signal(SIGINT, on_interrupt);
  options.progress = [](std::uint64_t finished, std::uint64_t total) {
    std::fprintf(stderr, "\r%llu / %llu games",
                 static_cast<unsigned long long>(finished),
                 static_cast<unsigned long long>(total));
  };

  absl::StatusOr<selfplay::SimulationResult> result =
      selfplay::run_simulations(*game, *features, options);
  std::fprintf(stderr, "\n");
  if (!result.ok()) {
    std::fprintf(stderr, "%s\n", result.status().ToString().c_str());
    return 1;
  }
  print_report(*result);
  return 0;
}
