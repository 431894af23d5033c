#include "selfplay/run_config.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "simulation/run_config_codec.h"

namespace selfplay {
namespace {

void write_strings(const std::vector<std::string>& strings, BinaryWriter& out) {
  out.u64(strings.size());
  for (const std::string& value : strings) out.string(value);
}

std::vector<std::string> read_strings(BinaryReader& in) {
  std::vector<std::string> strings(in.count(8));
  for (std::string& value : strings) value = in.string();
  return strings;
}

}  // namespace

RunConfig run_config_for(const Game& game, const FeatureSet& features,
                         const SimulationOptions& options) {
  RunConfig config;
  config.game = game.name();
  config.players =
      options.players == 0 ? game.structure().default_players : options.players;
  config.seed = options.seed;
  config.games = options.games;
  config.max_actions = options.max_actions;
  const absl::Duration timeout = options.game_timeout;
  config.timeout_ms =
      timeout > absl::ZeroDuration() && timeout != absl::InfiniteDuration()
          ? absl::ToInt64Milliseconds(timeout)
          : 0;
  config.failure_cap = options.failure_cap;
  config.policies.assign(config.players, RandomPolicy().name());
  for (std::size_t seat = 0;
       seat < options.policies.size() && seat < config.policies.size();
       ++seat) {
    if (options.policies[seat] != nullptr) {
      config.policies[seat] = options.policies[seat]->name();
    }
  }
  for (const FeatureInfo& info : features.infos()) {
    config.features.push_back(info.id);
  }
  config.action_kinds = game.structure().action_kinds;
  return config;
}

SimulationCounts make_counts_for(const RunConfig& config) {
  return make_counts(config.players, static_cast<int>(config.features.size()),
                     static_cast<int>(config.action_kinds.size()),
                     config.failure_cap);
}

void write_run_config(const RunConfig& config, BinaryWriter& out) {
  out.string(config.game);
  out.u32(static_cast<std::uint32_t>(config.players));
  out.u64(config.seed);
  out.u64(config.games);
  out.u32(static_cast<std::uint32_t>(config.max_actions));
  out.u64(static_cast<std::uint64_t>(config.timeout_ms));
  out.u64(config.failure_cap);
  write_strings(config.policies, out);
  write_strings(config.features, out);
  write_strings(config.action_kinds, out);
}

RunConfig read_run_config(BinaryReader& in) {
  RunConfig config;
  config.game = in.string();
  config.players = static_cast<int>(in.u32());
  config.seed = in.u64();
  config.games = in.u64();
  config.max_actions = static_cast<int>(in.u32());
  config.timeout_ms = static_cast<std::int64_t>(in.u64());
  config.failure_cap = in.u64();
  config.policies = read_strings(in);
  config.features = read_strings(in);
  config.action_kinds = read_strings(in);
  return config;
}

bool run_config_in_range(const RunConfig& config) {
  return config.players >= 1 &&
         config.policies.size() == static_cast<std::size_t>(config.players) &&
         config.max_actions >= 1 && config.timeout_ms >= 0;
}

std::string encode_run_config(const RunConfig& config) {
  BinaryWriter out;
  write_run_config(config, out);
  return std::move(out).bytes();
}

absl::StatusOr<RunConfig> decode_run_config(std::string_view bytes) {
  BinaryReader in(bytes);
  RunConfig config = read_run_config(in);
  if (!in.ok() || !in.at_end()) {
    return absl::DataLossError(
        "the run configuration's fields do not fit its length");
  }
  if (!run_config_in_range(config)) {
    return absl::DataLossError("the run configuration is out of range");
  }
  return config;
}

absl::Status setting_differs(const std::string& setting,
                             const std::string& then, const std::string& now,
                             const RunConfigSides& sides) {
  return absl::FailedPreconditionError(
      absl::StrCat(setting, ": ", sides.then, " used ", then, ", ", sides.now,
                   " ", now, "; ", sides.remedy));
}

absl::Status compare_run_configs(const RunConfig& then, const RunConfig& now,
                                 const RunConfigSides& sides) {
  const auto differs = [&sides](const std::string& flag, const auto& earlier,
                                const auto& later) {
    return setting_differs(flag, absl::StrCat(earlier), absl::StrCat(later),
                           sides);
  };
  if (then.game != now.game) return differs("--game", then.game, now.game);
  if (then.players != now.players) {
    return differs("--players", then.players, now.players);
  }
  if (then.seed != now.seed) return differs("--seed", then.seed, now.seed);
  if (then.games != now.games) return differs("--games", then.games, now.games);
  if (then.max_actions != now.max_actions) {
    return differs("--max-actions", then.max_actions, now.max_actions);
  }
  if (then.timeout_ms != now.timeout_ms) {
    return differs("--timeout-ms", then.timeout_ms, now.timeout_ms);
  }
  if (then.features.empty() != now.features.empty()) {
    return differs("--features",
                   then.features.empty() ? "--nofeatures" : "features on",
                   now.features.empty() ? "--nofeatures" : "features on");
  }
  if (then.features != now.features) {
    // Same flags, another selfplay: say where the generated lists part.
    std::size_t first = 0;
    while (first < then.features.size() && first < now.features.size() &&
           then.features[first] == now.features[first]) {
      ++first;
    }
    const auto at = [first](const std::vector<std::string>& ids) {
      return first < ids.size() ? absl::StrCat("'", ids[first], "'")
                                : std::string("none");
    };
    return absl::FailedPreconditionError(absl::StrCat(
        "the candidate features differ: ", sides.then, " used ",
        then.features.size(), ", ", sides.now, " ", now.features.size(),
        " (feature ", first, ": ", at(then.features), " against ",
        at(now.features), "; another selfplay generates other features for ",
        now.game, "); ", sides.remedy));
  }
  if (then.action_kinds != now.action_kinds) {
    return differs(absl::StrCat("the action kinds of ", now.game),
                   absl::StrJoin(then.action_kinds, ","),
                   absl::StrJoin(now.action_kinds, ","));
  }
  if (then.policies != now.policies) {
    return differs("the seat policies", absl::StrJoin(then.policies, ","),
                   absl::StrJoin(now.policies, ","));
  }
  if (then.failure_cap != now.failure_cap) {
    return differs("the failure cap", then.failure_cap, now.failure_cap);
  }
  return absl::OkStatus();
}

}  // namespace selfplay
