// `selfplay features --game G`: the candidate features of a game.
#include <cstdio>

#include "cli/command.h"
#include "selfplay/features.h"

namespace selfplay::cli {
namespace {

int run_features(const GameFlags& flags) {
  absl::StatusOr<const Game*> game = selected_game(flags);
  if (!game.ok()) return usage_error("features", game.status());
  absl::StatusOr<FeatureSet> features =
      generate_candidate_features((*game)->structure());
  if (!features.ok()) return usage_error("features", features.status());
  std::printf("%d candidate features for %s\n", features->size(),
              (*game)->name().c_str());
  for (const FeatureInfo& info : features->infos()) {
    std::printf("  %-40s %-13s %s\n", info.id.c_str(), info.category.c_str(),
                info.description.c_str());
  }
  // The structure validated above, so this cannot fail.
  const std::vector<SkippedFamily> skipped =
      *skipped_template_families((*game)->structure());
  if (!skipped.empty()) {
    std::printf("template families skipped for %s:\n", (*game)->name().c_str());
    for (const SkippedFamily& family : skipped) {
      std::printf("  %s: %s\n", family.family.c_str(), family.reason.c_str());
    }
  }
  return kExitOk;
}

}  // namespace

CommandRun add_features_command(CLI::App& app) {
  CLI::App* command =
      app.add_subcommand("features", "list a game's candidate features");
  auto flags = std::make_shared<GameFlags>();
  add_game_flags(*command, *flags, /*players=*/false);
  return [flags] { return run_features(*flags); };
}

}  // namespace selfplay::cli
