#include "isolation/worker.h"

#include <fcntl.h>

#include <csignal>
#include <cstdio>
#include <mutex>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "isolation/channel.h"
#include "isolation/game_slots.h"
#include "isolation/protocol.h"
#include "selfplay/features.h"
#include "selfplay/isolated_run.h"
#include "selfplay/plugin_loader.h"

namespace selfplay::isolation {
namespace {

SimulationOptions options_from(const WorkerSetup& setup,
                               const StopToken& stop) {
  const RunConfig& config = setup.config;
  SimulationOptions options;
  options.games = config.games;
  options.seed = config.seed;
  options.players = config.players;
  options.max_actions = config.max_actions;
  options.game_timeout = absl::Milliseconds(config.timeout_ms);
  options.failure_cap = config.failure_cap;
  options.threads = setup.threads;
  options.keep_game_summaries = setup.keep_game_summaries;
  options.feature_cache_entries = setup.feature_cache_entries;
  options.progress_interval = setup.progress_interval;
  options.batch_size = setup.batch_size;
  options.stop = &stop;
  return options;
}

// The features the supervisor plays with, rebuilt here: the game's candidate
// features, or none.
absl::StatusOr<FeatureSet> features_for(const Game& game,
                                        const WorkerSetup& setup) {
  const std::vector<std::string>& wanted = setup.config.features;
  if (wanted.empty()) return FeatureSet();
  absl::StatusOr<FeatureSet> features =
      generate_candidate_features(game.structure());
  if (!features.ok()) return features.status();
  std::vector<std::string> ids;
  for (const FeatureInfo& info : features->infos()) ids.push_back(info.id);
  if (ids != wanted) {
    return absl::FailedPreconditionError(absl::StrCat(
        "an isolated worker computes the candidate features of ", game.name(),
        " (", ids.size(), "), not the ", wanted.size(), " features asked for (",
        absl::StrJoin(wanted, ", "), ")"));
  }
  return features;
}

class Worker {
 public:
  Worker(int fd, int slots_fd, const StopToken& stop)
      : fd_(fd), slots_fd_(slots_fd), stop_(stop) {}

  int serve(absl::StatusOr<const Game*> game) {
    absl::StatusOr<std::optional<Frame>> frame = receive_frame(fd_, decoder_);
    if (!frame.ok() || !frame->has_value()) return 1;
    if ((*frame)->type != MessageType::kSetup) {
      return fail(absl::DataLossError("the first message is not a setup"));
    }
    absl::StatusOr<WorkerSetup> setup = parse_setup((*frame)->payload);
    if (!setup.ok()) return fail(setup.status());
    if (!game.ok()) return fail(game.status());
    if ((*game)->name() != setup->config.game) {
      return fail(absl::FailedPreconditionError(
          absl::StrCat("the worker was started for ", (*game)->name(), ", not ",
                       setup->config.game)));
    }
    absl::StatusOr<FeatureSet> features = features_for(**game, *setup);
    if (!features.ok()) return fail(features.status());
    SimulationOptions options = options_from(*setup, stop_);
    absl::StatusOr<GameSlots> slots =
        GameSlots::attach(slots_fd_, setup->threads);
    if (slots.ok()) options.playing = slots->slots();
    // The result follows a finished chunk at once: no progress for it, so
    // that the supervisor wakes up once.
    options.progress = [this](std::uint64_t finished, std::uint64_t total) {
      if (finished == total) return;
      send(MessageType::kProgress, encode_progress(finished)).IgnoreError();
    };
    if (!send(MessageType::kReady, "").ok()) return 1;
    while (true) {
      frame = receive_frame(fd_, decoder_);
      if (!frame.ok()) return 1;
      if (!frame->has_value()) return 0;
      if ((*frame)->type != MessageType::kChunk) {
        return fail(absl::DataLossError("expected a chunk"));
      }
      absl::StatusOr<GameIndexRange> range = parse_chunk((*frame)->payload);
      if (!range.ok()) return fail(range.status());
      options.ranges = {*range};
      absl::StatusOr<SimulationResult> played =
          run_simulations(**game, *features, options);
      if (!played.ok()) return fail(played.status());
      ChunkResult result;
      result.range = *range;
      result.counts = std::move(played->counts);
      result.games = std::move(played->games);
      result.wall = absl::Seconds(played->timing.wall_s);
      result.batch_size = played->timing.batch_size;
      result.cache_lookups = played->timing.cache_lookups;
      result.cache_hits = played->timing.cache_hits;
      if (!send(MessageType::kChunkResult, encode_chunk_result(result)).ok()) {
        return 1;
      }
    }
  }

 private:
  // Progress comes from the runner's threads while the main thread waits in
  // run_simulations, so sends are serialised.
  absl::Status send(MessageType type, std::string_view payload) {
    std::lock_guard lock(send_mutex_);
    return send_frame(fd_, type, payload);
  }

  int fail(const absl::Status& status) {
    send(MessageType::kError, encode_error(std::string(status.message())))
        .IgnoreError();
    return 1;
  }

  const int fd_;
  const int slots_fd_;
  const StopToken& stop_;
  FrameDecoder decoder_;
  std::mutex send_mutex_;
};

// The first argument that marks a worker process, and the prefixes of the
// others.
constexpr std::string_view kWorkerMark = "--selfplay-isolated-worker";
constexpr std::string_view kGamePrefix = "--game=";
constexpr std::string_view kGameLibraryPrefix = "--game-lib=";

StopToken* worker_stop = nullptr;

// SIGINT reaches the worker with its supervisor (one process group) and again
// from the supervisor; either stops the chunk it plays. The handler stays, so
// that the second does not kill it.
void on_stop_signal(int) {
  if (worker_stop != nullptr) worker_stop->request_stop();
}

}  // namespace

std::vector<std::string> worker_arguments(
    std::string_view game, const std::vector<std::string>& game_libraries) {
  std::vector<std::string> arguments = {std::string(kWorkerMark),
                                        std::string(kGamePrefix) += game};
  for (const std::string& library : game_libraries) {
    arguments.push_back(std::string(kGameLibraryPrefix) += library);
  }
  return arguments;
}

std::optional<int> serve_isolated_worker(int argc, char** argv,
                                         GameRegistry& registry) {
  if (argc < 2 || argv[1] != kWorkerMark) return std::nullopt;
  if (::fcntl(kWorkerChannelFd, F_GETFD) < 0) {
    std::fprintf(stderr,
                 "%s: %s is for the worker processes of an isolated run\n",
                 argv[0], argv[1]);
    return 2;
  }
  std::string_view game;
  absl::Status loaded;
  for (int i = 2; i < argc; ++i) {
    std::string_view argument = argv[i];
    if (argument.starts_with(kGamePrefix)) {
      game = argument.substr(kGamePrefix.size());
    } else if (argument.starts_with(kGameLibraryPrefix)) {
      absl::Status status = load_game_plugin(
          std::string(argument.substr(kGameLibraryPrefix.size())), registry);
      if (loaded.ok()) loaded = status;
    }
  }
  StopToken stop;
  worker_stop = &stop;
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  // serve_supervisor tells the supervisor why it cannot play.
  return serve_supervisor(
      kWorkerChannelFd, kWorkerSlotsFd,
      loaded.ok() ? registry.find(game) : absl::StatusOr<const Game*>(loaded),
      stop);
}

int serve_supervisor(int fd, int slots_fd, absl::StatusOr<const Game*> game,
                     const StopToken& stop) {
  Worker worker(fd, slots_fd, stop);
  return worker.serve(std::move(game));
}

}  // namespace selfplay::isolation
