// --ladder, as `selfplay play` and `selfplay train` read it: comma-separated
// opponents, each a player spec or model:FILE (the evaluated player's kind on
// another model), and the model files they name, loaded once each.
//
//   absl::StatusOr<std::vector<OpponentSpec>> rungs =
//       parse_ladder_flag("random,mcts:50,model:old.json", player, 1);
//   ModelFiles models(game);
//   absl::StatusOr<const Model*> old = models.get((*rungs)[2].model_file);
#ifndef SELFPLAY_CLI_LADDER_FLAG_H_
#define SELFPLAY_CLI_LADDER_FLAG_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "selfplay/game.h"
#include "selfplay/model.h"
#include "selfplay/players.h"

namespace selfplay::cli {

// An opponent to build: a spec, and the model file its player reads (empty:
// the command's model).
struct OpponentSpec {
  PlayerSpec spec;
  std::string model_file;
  std::string name;  // empty: the policy's
};

// The rungs of `text` (--ladder's value); a model:FILE rung is `player`'s
// kind on FILE, named "<player>@FILE". Time budgets are allowed: both
// commands say the result is then not reproducible. InvalidArgument naming
// --ladder for a rung that does not parse.
[[nodiscard]] absl::StatusOr<std::vector<OpponentSpec>> parse_ladder_flag(
    const std::string& text, const PlayerSpec& player, int search_threads);

// The models the players read, loaded once each, by file name; the pointers
// stay valid while this lives.
class ModelFiles {
 public:
  explicit ModelFiles(const Game& game) : game_(game) {}
  // Model::load's errors.
  [[nodiscard]] absl::StatusOr<const Model*> get(const std::string& file);

 private:
  const Game& game_;
  std::vector<std::pair<std::string, std::unique_ptr<Model>>> loaded_;
};

}  // namespace selfplay::cli

#endif  // SELFPLAY_CLI_LADDER_FLAG_H_
