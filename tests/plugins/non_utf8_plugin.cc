// A plugin whose text is not UTF-8: the game "bad-bytes" (take-away) names
// its second action kind "tw\xFF" and throws "planted \xFF\xFE failure" in
// games 3 and 10 of a run with --seed 7. The CLI must still write its
// summary and JSON, with those bytes replaced.
#include "selfplay/plugin.h"
#include "selfplay/random.h"
#include "test_games.h"

namespace {

void register_non_utf8_game(selfplay::PluginRegistrar& registrar) {
  auto game = std::make_unique<selfplay::testing::TakeAwayGame>(
      std::set<std::uint64_t>{selfplay::seed_for(7, 3),
                              selfplay::seed_for(7, 10)},
      "planted \xFF\xFE failure");
  game->mutable_structure().name = "bad-bytes";
  game->mutable_structure().action_kinds = {"one", "tw\xFF"};
  registrar.add_game(std::move(game));
}

}  // namespace

SELFPLAY_PLUGIN(register_non_utf8_game)
