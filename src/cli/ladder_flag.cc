#include "cli/ladder_flag.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cli/command.h"

namespace selfplay::cli {
namespace {

// A ladder rung played by the evaluated player's kind on another model.
constexpr absl::string_view kModelRung = "model:";

}  // namespace

absl::StatusOr<std::vector<OpponentSpec>> parse_ladder_flag(
    const std::string& text, const PlayerSpec& player, int search_threads) {
  std::vector<OpponentSpec> rungs;
  for (absl::string_view rung : absl::StrSplit(text, ',')) {
    if (absl::StartsWith(rung, kModelRung)) {
      const std::string file(rung.substr(kModelRung.size()));
      if (file.empty()) {
        return absl::InvalidArgumentError(
            "--ladder: model: must name a model file");
      }
      rungs.push_back(
          {player, file, absl::StrCat(player.to_string(), "@", file)});
      continue;
    }
    absl::StatusOr<PlayerSpec> spec =
        parse_player_flag("ladder", std::string(rung), search_threads,
                          /*time_budgets=*/true);
    if (!spec.ok()) return spec.status();
    rungs.push_back({*spec, "", ""});
  }
  return rungs;
}

absl::StatusOr<const Model*> ModelFiles::get(const std::string& file) {
  for (const auto& [name, model] : loaded_) {
    if (name == file) return model.get();
  }
  absl::StatusOr<Model> model = Model::load(file, game_);
  if (!model.ok()) return model.status();
  loaded_.emplace_back(file, std::make_unique<Model>(*std::move(model)));
  return loaded_.back().second.get();
}

}  // namespace selfplay::cli
