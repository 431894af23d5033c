// What crashing and hanging games cost under crash isolation, now that the
// supervisor pins each culprit from its workers' game slots (README "Crash
// isolation"). One isolated run of take-away games whose actions keep their
// thread busy for --work-us each (about 0.7 ms a game at 100 us), played by
// the crash-test worker (tests/crash_test_worker.cc) in four configurations:
// clean, 1% of games segfaulting, 1% aborting; and, on one worker with one
// thread (so that a hang stalls the whole run rather than one worker of
// several), a quarter of the games clean and with --hangs games looping for
// ever. In interleaved repeats (each round plays every configuration once,
// in rotating order), so that the ratios come from one run of one binary.
// Prints medians: crashing / clean against issue 14's target (at most 2x),
// and the seconds each hang costs beyond the hang limit ((hanging - clean) /
// hangs - limit: the kill, a worker start and the replay of the games its
// chunk had played) against a small constant (kHangSlackTarget).
//
//   build/release/bench/selfplay_crash_cost [--repeats 5] [--games 4000]
//       [--workers 2] [--threads 2] [--work-us 100] [--hangs 3]
//       [--hang-limit-ms 300]
//
// Exit status 0 whatever the figures (the "meets" column judges), 1 when a
// run fails or fails other games than the planted ones.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "crash_games.h"
#include "selfplay/features.h"
#include "selfplay/isolated_run.h"
#include "selfplay/random.h"

namespace selfplay {
namespace {

using testing::Crash;

constexpr double kCrashRatioTarget = 2.0;
constexpr double kHangSlackTarget = 0.5;  // seconds beyond the limit

struct Settings {
  int repeats = 5;
  std::uint64_t games = 4000;
  int workers = 2;
  int threads = 2;
  int work_us = 100;
  int hangs = 3;
  int hang_limit_ms = 300;
};

struct Config {
  const char* name;
  Crash crash;
  std::set<std::uint64_t> bad;  // game indices
  bool serial;  // one worker, one thread, a quarter of the games
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

std::vector<Config> configs(const Settings& settings) {
  std::set<std::uint64_t> one_percent;
  for (std::uint64_t index = 37; index < settings.games; index += 100) {
    one_percent.insert(index);
  }
  std::set<std::uint64_t> hangs;
  const std::uint64_t serial_games = settings.games / 4;
  for (int hang = 0; hang < settings.hangs; ++hang) {
    hangs.insert(serial_games * (2 * hang + 1) / (2 * settings.hangs));
  }
  return {{"clean", Crash::kNullDereference, {}, false},
          {"segfault 1%", Crash::kNullDereference, one_percent, false},
          {"abort 1%", Crash::kAbort, one_percent, false},
          {"clean 1x1", Crash::kEndlessLoop, {}, true},
          {"hangs 1x1", Crash::kEndlessLoop, hangs, true}};
}

struct Measured {
  double wall_s = 0;
  isolation::IsolationStats stats;
};

// One isolated run of `config`; exits when it fails or fails other games.
Measured run(const Settings& settings, const Config& config) {
  SimulationOptions options;
  options.games = config.serial ? settings.games / 4 : settings.games;
  options.threads = config.serial ? 1 : settings.threads;
  options.seed = 1;
  std::set<std::uint64_t> seeds;
  for (std::uint64_t index : config.bad) {
    seeds.insert(seed_for(options.seed, index));
  }
  // This process only checks the options against the game's structure: the
  // workers play it, busy per action.
  const testing::CrashingGame game(config.crash, seeds);
  const FeatureSet features = *generate_candidate_features(game.structure());
  isolation::IsolationOptions isolation;
  isolation.workers = config.serial ? 1 : settings.workers;
  isolation.program = SELFPLAY_CRASH_TEST_WORKER_PATH;
  isolation.arguments = {
      absl::StrCat("--game=", game.name()),
      absl::StrCat("--bad-seeds=", absl::StrJoin(seeds, ",")),
      absl::StrCat("--work-us=", settings.work_us)};
  isolation.hang_limit = absl::Milliseconds(settings.hang_limit_ms);
  Measured measured;
  const auto start = std::chrono::steady_clock::now();
  absl::StatusOr<SimulationResult> result = isolation::run_isolated(
      game, features, options, isolation, &measured.stats);
  measured.wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (!result.ok()) {
    std::fprintf(stderr, "%s: %s\n", config.name,
                 std::string(result.status().message()).c_str());
    std::exit(1);
  }
  std::set<std::uint64_t> failed;
  for (const GameFailure& failure : result->counts.failures) {
    failed.insert(failure.game_index);
  }
  if (result->counts.games != options.games || failed != config.bad) {
    std::fprintf(stderr, "%s: %llu games, %zu failed, not the %zu planted\n",
                 config.name,
                 static_cast<unsigned long long>(result->counts.games),
                 failed.size(), config.bad.size());
    std::exit(1);
  }
  return measured;
}

int run_benchmark(const Settings& settings) {
  const std::vector<Config> all = configs(settings);
  std::vector<std::vector<Measured>> runs(all.size());
  for (int round = 0; round < settings.repeats; ++round) {
    for (std::size_t k = 0; k < all.size(); ++k) {
      const std::size_t c = (k + round) % all.size();
      runs[c].push_back(run(settings, all[c]));
    }
  }
  std::printf(
      "%llu take-away games, %d us busy per action, %d workers, %d threads, "
      "hang limit %d ms, %d repeats (medians)\n\n",
      static_cast<unsigned long long>(settings.games), settings.work_us,
      settings.workers, settings.threads, settings.hang_limit_ms,
      settings.repeats);
  std::printf("%-12s %7s %8s %7s %9s %9s %7s %10s  %s\n", "run", "culprits",
              "wall_s", "deaths", "replays", "innocent", "bisect", "vs_clean",
              "meets");
  for (std::size_t c = 0; c < all.size(); ++c) {
    // Against the clean run of the same round and shape: same machine load.
    std::size_t baseline = 0;
    while (!all[baseline].bad.empty() ||
           all[baseline].serial != all[c].serial) {
      ++baseline;
    }
    const std::vector<Measured>& clean = runs[baseline];
    std::vector<double> wall, deaths, replays, innocent, bisections, figure;
    for (int round = 0; round < settings.repeats; ++round) {
      const Measured& measured = runs[c][round];
      wall.push_back(measured.wall_s);
      deaths.push_back(measured.stats.worker_deaths);
      replays.push_back(measured.stats.culprit_replays);
      innocent.push_back(measured.stats.innocent_replays);
      bisections.push_back(measured.stats.bisections);
      const double extra = measured.wall_s - clean[round].wall_s;
      figure.push_back(all[c].crash == Crash::kEndlessLoop
                           ? extra / all[c].bad.size() -
                                 settings.hang_limit_ms / 1e3
                           : measured.wall_s / clean[round].wall_s);
    }
    std::string verdict = "-";
    std::string shown = "-";
    if (all[c].bad.empty()) {
      // The baseline itself.
    } else if (all[c].crash == Crash::kEndlessLoop) {
      shown = absl::StrCat(median(figure), " s/hang");
      verdict = median(figure) <= kHangSlackTarget ? "yes" : "NO";
    } else {
      shown = absl::StrCat(median(figure), "x");
      verdict = median(figure) <= kCrashRatioTarget ? "yes" : "NO";
    }
    std::printf("%-12s %7zu %8.3f %7.1f %9.1f %9.1f %7.1f %10s  %s\n",
                all[c].name, all[c].bad.size(), median(wall), median(deaths),
                median(replays), median(innocent), median(bisections),
                shown.c_str(), verdict.c_str());
  }
  std::printf(
      "\nvs_clean: crashing wall / clean wall (target <= %.1fx); for hangs, "
      "seconds per hang beyond the limit, against clean 1x1 (target <= %.1f "
      "s)\n",
      kCrashRatioTarget, kHangSlackTarget);
  return 0;
}

}  // namespace
}  // namespace selfplay

int main(int argc, char** argv) {
  selfplay::Settings settings;
  for (int i = 1; i + 1 < argc; i += 2) {
    const char* flag = argv[i];
    const long value = std::atol(argv[i + 1]);
    if (!std::strcmp(flag, "--repeats")) {
      settings.repeats = static_cast<int>(value);
    } else if (!std::strcmp(flag, "--games")) {
      settings.games = static_cast<std::uint64_t>(value);
    } else if (!std::strcmp(flag, "--workers")) {
      settings.workers = static_cast<int>(value);
    } else if (!std::strcmp(flag, "--threads")) {
      settings.threads = static_cast<int>(value);
    } else if (!std::strcmp(flag, "--work-us")) {
      settings.work_us = static_cast<int>(value);
    } else if (!std::strcmp(flag, "--hangs")) {
      settings.hangs = static_cast<int>(value);
    } else if (!std::strcmp(flag, "--hang-limit-ms")) {
      settings.hang_limit_ms = static_cast<int>(value);
    } else {
      std::fprintf(stderr, "unknown flag %s\n", flag);
      return 2;
    }
  }
  if (argc % 2 == 0) {
    std::fprintf(stderr, "every flag takes a value\n");
    return 2;
  }
  if (settings.repeats < 1 || settings.games < 400 || settings.workers < 1 ||
      settings.threads < 1 || settings.work_us < 0 || settings.hangs < 1 ||
      settings.hang_limit_ms < 1) {
    std::fprintf(stderr, "out-of-range setting\n");
    return 2;
  }
  return selfplay::run_benchmark(settings);
}
