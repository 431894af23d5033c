#include "records/train_checkpoint.h"

#include "absl/flags/marshalling.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "records/checkpoint.h"
#include "records/crc32.h"
#include "simulation/binary_io.h"
#include "simulation/counts_codec.h"

namespace selfplay {
namespace {

// The fit data of a long training runs to gigabytes (8 bytes per 64
// features per decision); the bound only refuses what no training writes.
constexpr std::uint64_t kMaxTrainCheckpointBytes = std::uint64_t{1} << 38;

}  // namespace

std::vector<TrainSetting> train_settings(const Game& game,
                                         const FeatureSet& features,
                                         const TrainingOptions& options) {
  const GameStructure& structure = game.structure();
  std::vector<std::string> ids;
  for (const FeatureInfo& feature : features.infos()) ids.push_back(feature.id);
  std::vector<TrainSetting> settings = {
      {"--game", game.name()},
      {"--players",
       absl::StrCat(options.players == 0 ? structure.default_players
                                         : options.players)},
      {"--seed", absl::StrCat(options.seed)},
      {"--iterations", absl::StrCat(options.iterations)},
      {"--games-per-iteration", absl::StrCat(options.games_per_iteration)},
      {"--oracle", options.oracle.to_string()},
      {"--weights", objective_weights_name(options.weights)},
      {"--max-features", absl::StrCat(options.max_features)},
      {"--min-correlation", absl::UnparseFlag(options.min_correlation)},
      {"--l2", absl::UnparseFlag(options.l2)},
      {"--max-actions", absl::StrCat(options.max_actions)},
      {"--evaluation-games", absl::StrCat(options.evaluation_games)},
      {absl::StrCat("the action kinds of ", game.name()),
       absl::StrJoin(structure.action_kinds, ",")},
      // A digest: the ids run to kilobytes, too long for a message.
      {absl::StrCat("the candidate features of ", game.name()),
       absl::StrFormat("%d features, CRC-32 %08x", ids.size(),
                       crc32(absl::StrJoin(ids, "\n")))},
      {"--evolve", options.evolution ? "true" : "false"}};
  if (options.evolution) {
    const EvolutionOptions& evolution = *options.evolution;
    settings.insert(
        settings.end(),
        {{"--evolve-mu", absl::StrCat(evolution.mu)},
         {"--evolve-lambda", absl::StrCat(evolution.lambda)},
         {"--evolve-generations", absl::StrCat(evolution.generations)},
         {"--evolve-sigma", absl::UnparseFlag(evolution.sigma)},
         {"--evolve-games", absl::StrCat(evolution.games_per_candidate)},
         {"--evolve-player", evolution.player.to_string()},
         {"--evolve-opponent", evolution.opponent.to_string()}});
  }
  // Only when set: the settings of checkpoints without it stay as they were.
  if (options.compare_iterations) {
    settings.push_back({"--compare-iterations",
                        sprt_options_text(*options.compare_iterations)});
  }
  return settings;
}

std::string serialize_train_checkpoint(const TrainCheckpoint& checkpoint) {
  BinaryWriter payload;
  payload.u64(checkpoint.settings.size());
  for (const TrainSetting& setting : checkpoint.settings) {
    payload.string(setting.name);
    payload.string(setting.value);
  }
  const TrainingState& state = checkpoint.state;
  payload.u32(static_cast<std::uint32_t>(state.iterations));
  payload.u64(state.games_into_next);
  payload.string(serialize_counts(state.counts));
  payload.string(state.model_json);
  payload.string(state.logistic_data);
  // Only when there is one: checkpoints without it keep their bytes.
  if (!state.first_model_json.empty()) {
    payload.string(state.first_model_json);
  }
  return frame_checkpoint(CheckpointKind::kTrain, kTrainCheckpointFormatVersion,
                          payload.bytes());
}

absl::StatusOr<TrainCheckpoint> parse_train_checkpoint(std::string_view bytes) {
  absl::StatusOr<std::string_view> payload = checkpoint_payload(
      bytes, CheckpointKind::kTrain, kTrainCheckpointFormatVersion);
  if (!payload.ok()) return payload.status();
  BinaryReader reader(*payload);
  TrainCheckpoint checkpoint;
  // Each setting takes at least its two lengths.
  checkpoint.settings.resize(reader.count(16));
  for (TrainSetting& setting : checkpoint.settings) {
    setting.name = reader.string();
    setting.value = reader.string();
  }
  TrainingState& state = checkpoint.state;
  const std::uint32_t iterations = reader.u32();
  state.games_into_next = reader.u64();
  const std::string counts = reader.string();
  state.model_json = reader.string();
  state.logistic_data = reader.string();
  if (reader.ok() && !reader.at_end()) state.first_model_json = reader.string();
  if (!reader.ok() || !reader.at_end() || iterations > 1'000'000) {
    return absl::DataLossError(
        "the train checkpoint's fields do not fit its length");
  }
  state.iterations = static_cast<int>(iterations);
  absl::StatusOr<SimulationCounts> parsed = parse_counts(counts);
  if (!parsed.ok()) return parsed.status();
  state.counts = *std::move(parsed);
  return checkpoint;
}

absl::StatusOr<TrainCheckpoint> read_train_checkpoint(const std::string& path) {
  return read_checkpoint_with(path, kMaxTrainCheckpointBytes,
                              parse_train_checkpoint);
}

absl::Status check_same_train_settings(const std::vector<TrainSetting>& saved,
                                       const std::vector<TrainSetting>& now) {
  for (std::size_t i = 0; i < now.size(); ++i) {
    const TrainSetting* then = i < saved.size() ? &saved[i] : nullptr;
    if (then == nullptr || then->name != now[i].name) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the checkpoint's training has no setting ", now[i].name,
          " where this selfplay expects it: it was written by another "
          "version; start a new training"));
    }
    if (then->value != now[i].value) {
      return setting_differs(now[i].name, then->value, now[i].value,
                             kResumeSides);
    }
  }
  if (saved.size() != now.size()) {
    return absl::FailedPreconditionError(
        "the checkpoint's training has settings this selfplay does not know: "
        "it was written by another version; start a new training");
  }
  return absl::OkStatus();
}

}  // namespace selfplay
