// A plugin whose game throws during play: take-away games 3 and 10 of a run
// with --seed 7 throw "planted failure" on their third action.
#include "selfplay/plugin.h"
#include "selfplay/random.h"
#include "test_games.h"

namespace {

void register_faulty_take_away(selfplay::PluginRegistrar& registrar) {
  registrar.add_game(
      std::make_unique<selfplay::testing::TakeAwayGame>(std::set<std::uint64_t>{
          selfplay::seed_for(7, 3), selfplay::seed_for(7, 10)}));
}

}  // namespace

SELFPLAY_PLUGIN(register_faulty_take_away)
