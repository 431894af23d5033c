// MCTS: wins in one and blocks on tic-tac-toe and connect-four, rewards seen
// from the player to move with three players, rollout cut-offs and leaves
// scored by an evaluator, decisive moves, and games that are the same at any
// thread count. On go-fish, information-set MCTS: the same choice whatever
// the opponents' cards, and games the same at any thread count.
#include "selfplay/mcts.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <initializer_list>
#include <memory>

#include "games/connect_four.h"
#include "games/go_fish.h"
#include "games/tic_tac_toe.h"
#include "selfplay/features.h"
#include "selfplay/simulation.h"
#include "simulation_runner.h"
#include "test_games.h"

namespace selfplay {
namespace {

using testing::legal_actions_of;

std::unique_ptr<MctsPolicy> make_mcts(MctsOptions options) {
  absl::StatusOr<std::unique_ptr<MctsPolicy>> policy =
      MctsPolicy::create(options);
  EXPECT_TRUE(policy.ok()) << policy.status();
  return *std::move(policy);
}

// The games of `options` played at 1, 2 and 4 threads, expected equal and
// without failures; those of the first run.
std::vector<GameSummary> games_alike_at_any_thread_count(
    const Game& game, SimulationOptions options) {
  options.keep_game_summaries = true;
  std::vector<std::vector<GameSummary>> runs;
  for (int threads : {1, 2, 4}) {
    options.threads = threads;
    const SimulationResult result = testing::run(game, FeatureSet(), options);
    EXPECT_EQ(result.counts.failed, 0u);
    runs.push_back(result.games);
  }
  EXPECT_EQ(runs[0], runs[1]);
  EXPECT_EQ(runs[0], runs[2]);
  return runs[0];
}

// The actions MCTS picks from `state` over `searches` differently seeded
// searches.
std::vector<Action> choices(const MctsPolicy& policy, const State& state,
                            int searches) {
  const std::vector<Action> legal = legal_actions_of(state);
  std::vector<Action> picked;
  for (int i = 0; i < searches; ++i) {
    Rng rng(seed_for(42, i));
    picked.push_back(policy.choose_action(state, legal, rng));
  }
  return picked;
}

template <typename StateType>
StateType after(std::initializer_list<Action> actions) {
  StateType state;
  for (Action action : actions) state.apply_action(action);
  return state;
}

TEST(Mcts, TakesAWinInOneOnTicTacToe) {
  // X: 0 1 _     X to move wins with 2; O threatens 5 as well.
  //    O O _
  //    _ _ _
  const auto state = after<TicTacToeState>({0, 3, 1, 4});
  const auto mcts = make_mcts({.iterations = 300});
  for (Action action : choices(*mcts, state, 20)) EXPECT_EQ(action, 2);
}

TEST(Mcts, BlocksAnImmediateThreatOnTicTacToe) {
  // X: 0 _ _     X has no win; O wins with 5 unless X takes it.
  //    O O _
  //    _ X _
  const auto state = after<TicTacToeState>({0, 3, 7, 4});
  const auto mcts = make_mcts({.iterations = 300});
  for (Action action : choices(*mcts, state, 20)) EXPECT_EQ(action, 5);
}

TEST(Mcts, TakesAWinInOneOnConnectFour) {
  // Player 0 has three in column 3, player 1 three in column 4; player 0 to
  // move wins by dropping a fourth disc into column 3.
  const auto state = after<ConnectFourState>({3, 4, 3, 4, 3, 4});
  const auto mcts = make_mcts({.iterations = 300});
  for (Action action : choices(*mcts, state, 20)) EXPECT_EQ(action, 3);
}

TEST(Mcts, BlocksAnImmediateThreatOnConnectFour) {
  // Bottom row: 0 1 1 1 . . 0 (player 0 also holds column 6, row 1).
  // Player 1 completes four with column 4 unless player 0 takes it first.
  const auto state = after<ConnectFourState>({0, 1, 6, 2, 6, 3});
  ASSERT_EQ(state.current_player(), 0);
  const auto mcts = make_mcts({.iterations = 500});
  for (Action action : choices(*mcts, state, 20)) EXPECT_EQ(action, 4);
}

// Three players; player 0 picks a branch, then player 1 picks the result:
//   branch 0: player 1 chooses between "player 1 wins" and "player 0 wins"
//   branch 1: player 1 chooses between "player 2 wins" and "a draw"
// Player 1 takes its win in branch 0 and the draw in branch 1, so player 0
// gets 0 from branch 0 and 1/2 from branch 1. A search that scored nodes for
// the wrong player (or negated rewards as if there were two) picks branch 0.
class ChoiceState final : public State {
 public:
  int num_players() const override { return 3; }
  int current_player() const override {
    return static_cast<int>(moves_.size());
  }
  bool is_terminal() const override { return moves_.size() == 2; }
  void legal_actions(std::vector<Action>& actions) const override {
    actions.assign({0, 1});
  }
  void apply_action(Action action) override { moves_.push_back(action); }
  std::vector<int> winners() const override {
    static const std::vector<int> kOutcomes[2][2] = {{{1}, {0}}, {{2}, {}}};
    return kOutcomes[moves_[0]][moves_[1]];
  }
  ActionKind action_kind(Action) const override { return 0; }
  std::uint64_t hash() const override { return moves_.size(); }
  std::unique_ptr<State> clone() const override {
    return std::make_unique<ChoiceState>(*this);
  }
  std::string to_string() const override { return "choice"; }
  void elements(std::vector<Element>& elements) const override {
    elements.clear();
  }

 private:
  std::vector<Action> moves_;
};

TEST(Mcts, ScoresEachNodeForThePlayerWhoChoseItWithThreePlayers) {
  const ChoiceState state;
  const auto mcts = make_mcts({.iterations = 400});
  for (Action action : choices(*mcts, state, 20)) EXPECT_EQ(action, 1);
}

// Rewards the player holding tic-tac-toe's centre.
class CentreEvaluator final : public RolloutEvaluator {
 public:
  std::string name() const override { return "centre"; }
  void evaluate(const State& state, absl::Span<double> rewards) const override {
    const int owner = static_cast<const TicTacToeState&>(state).mark(1, 1);
    for (int p = 0; p < 2; ++p) {
      rewards[p] = owner < 0 ? 0.5 : (owner == p ? 1.0 : 0.0);
    }
    ++calls_;
  }
  mutable int calls_ = 0;  // single-threaded test
};

TEST(Mcts, ACutOffRolloutIsScoredByTheEvaluator) {
  const CentreEvaluator centre;
  const auto mcts =
      make_mcts({.iterations = 24, .rollout_depth = 1, .evaluator = &centre});
  EXPECT_EQ(mcts->name(), "mcts:24,depth:1");
  const TicTacToeState empty;
  for (Action action : choices(*mcts, empty, 5)) EXPECT_EQ(action, 4);
  // Five searches of 24 iterations. A game ends 5 plies in at the earliest,
  // and a tree node 4 plies deep needs 9 + 8 + 7 expansions above it first, so
  // every one of these rollouts is cut after its one action and scored.
  EXPECT_EQ(centre.calls_, 5 * 24);
}

TEST(Mcts, EvaluatedLeavesAreScoredWithoutARandomAction) {
  const CentreEvaluator centre;
  const auto mcts = make_mcts(
      {.iterations = 9, .evaluator = &centre, .evaluate_leaves = true});
  EXPECT_EQ(mcts->name(), "mcts:9,leaves");
  // Nine iterations from the empty board score each first move once, as it
  // stands: only the centre is worth 1 to X, the rest 1/2. A rollout of even
  // one random action would let O take the centre after some corner.
  const TicTacToeState empty;
  for (Action action : choices(*mcts, empty, 20)) EXPECT_EQ(action, 4);
  EXPECT_EQ(centre.calls_, 20 * 9);
}

// Every position is worth 1/2 to each player.
class EvenEvaluator final : public RolloutEvaluator {
 public:
  std::string name() const override { return "even"; }
  void evaluate(const State&, absl::Span<double> rewards) const override {
    for (double& reward : rewards) reward = 0.5;
  }
};

TEST(Mcts, DecisiveMovesTakeAWinInOneWithOneIteration) {
  // Player 0 wins at once with column 3 (TakesAWinInOneOnConnectFour).
  const auto state = after<ConnectFourState>({3, 4, 3, 4, 3, 4});
  const auto decisive = make_mcts({.iterations = 1, .decisive_moves = true});
  EXPECT_EQ(decisive->name(), "mcts:1,decisive");
  for (Action action : choices(*decisive, state, 20)) EXPECT_EQ(action, 3);
  // One iteration alone cannot tell the win from the other columns.
  const auto plain = make_mcts({.iterations = 1});
  const std::vector<Action> plain_choices = choices(*plain, state, 20);
  EXPECT_NE(std::count(plain_choices.begin(), plain_choices.end(), 3), 20);
}

TEST(Mcts, DecisiveLeavesBlockAThreatWithOneIterationPerColumn) {
  // Player 1 wins with column 4 unless player 0 takes it
  // (BlocksAnImmediateThreatOnConnectFour). Seven iterations score each
  // column once, by an evaluator that sees nothing; a decisive leaf finds
  // player 1's win after every column but 4, which alone keeps 1/2.
  const auto state = after<ConnectFourState>({0, 1, 6, 2, 6, 3});
  const EvenEvaluator even;
  MctsOptions options{.iterations = 7,
                      .evaluator = &even,
                      .evaluate_leaves = true,
                      .decisive_moves = true};
  for (Action action : choices(*make_mcts(options), state, 20)) {
    EXPECT_EQ(action, 4);
  }
  options.decisive_moves = false;
  const std::vector<Action> blind = choices(*make_mcts(options), state, 20);
  EXPECT_NE(std::count(blind.begin(), blind.end(), 4), 20);
}

TEST(Mcts, DecisiveGamesAreIdenticalForAnyThreadCount) {
  const std::unique_ptr<Game> game = make_connect_four_game();
  const EvenEvaluator even;
  const auto leaves = make_mcts({.iterations = 30,
                                 .evaluator = &even,
                                 .evaluate_leaves = true,
                                 .decisive_moves = true});
  const auto rollouts = make_mcts({.iterations = 20, .decisive_moves = true});
  SimulationOptions options;
  options.games = 40;
  options.seed = 13;
  options.policies = {leaves.get(), rollouts.get()};
  games_alike_at_any_thread_count(*game, options);
}

TEST(Mcts, RootParallelTreesTakeTheWinAndBlockTheThreat) {
  const auto mcts = make_mcts({.iterations = 400, .search_threads = 4});
  EXPECT_EQ(mcts->name(), "mcts:400/4");
  // The positions of the single-tree tests: X wins with 2 ...
  const auto win = after<TicTacToeState>({0, 3, 1, 4});
  for (Action action : choices(*mcts, win, 10)) EXPECT_EQ(action, 2);
  // ... and, after X0 O4 X1, O must block at 2.
  const auto threat = after<TicTacToeState>({0, 4, 1});
  for (Action action : choices(*mcts, threat, 10)) EXPECT_EQ(action, 2);
}

// The trees are nested tasks inside game tasks: the games and every tally
// must not depend on the arena's thread count, nor on which thread runs which
// tree. (Without isolation a thread waiting for a tree steals another game,
// which resets the tallies of the game it interrupted.)
TEST(Mcts, RootParallelGamesAreIdenticalForAnyThreadCount) {
  const std::unique_ptr<Game> game = make_connect_four_game();
  const FeatureSet features = *generate_candidate_features(game->structure());
  const auto trees = make_mcts({.iterations = 24, .search_threads = 3});
  std::vector<SimulationResult> runs;
  // Repeated: a wrong interleaving is a matter of chance.
  for (int threads : {1, 2, 4, 2, 4, 2, 4, 2}) {
    SimulationOptions options;
    options.games = 400;
    options.threads = threads;
    options.seed = 5;
    options.keep_game_summaries = true;
    options.feature_cache_entries = 0;
    options.policies = {trees.get(), nullptr};
    absl::StatusOr<SimulationResult> result =
        run_simulations(*game, features, options);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(result->counts.failed, 0u);
    runs.push_back(*std::move(result));
  }
  for (const SimulationResult& run : runs) {
    EXPECT_EQ(run.games, runs[0].games);
    EXPECT_EQ(run.counts.states, runs[0].counts.states);
    EXPECT_EQ(run.counts.seats, runs[0].counts.seats);
    EXPECT_EQ(run.counts.features, runs[0].counts.features);
    EXPECT_EQ(run.counts.actions, runs[0].counts.actions);
  }
}

TEST(Mcts, RejectsOptionsThatCannotSearch) {
  EXPECT_FALSE(MctsPolicy::create({.iterations = 4, .search_threads = 0}).ok());
  EXPECT_FALSE(MctsPolicy::create({.iterations = 4, .search_threads = 5}).ok());
  EXPECT_FALSE(MctsPolicy::create({.iterations = 0}).ok());
  EXPECT_FALSE(MctsPolicy::create({.exploration = -1}).ok());
  EXPECT_FALSE(MctsPolicy::create({.rollout_depth = 4}).ok());
  EXPECT_FALSE(MctsPolicy::create({.max_rollout_actions = 0}).ok());
  EXPECT_FALSE(MctsPolicy::create({.evaluate_leaves = true}).ok());
  const EvenEvaluator even;
  EXPECT_FALSE(
      MctsPolicy::create(
          {.rollout_depth = 2, .evaluator = &even, .evaluate_leaves = true})
          .ok());
}

// Counts its calls: with rollouts cut after one action, every iteration of a
// short search from the empty tic-tac-toe board ends in one evaluation (no
// rollout can reach the end of a game), so the calls are the iterations.
class CountingEvaluator final : public RolloutEvaluator {
 public:
  std::string name() const override { return "counting"; }
  void evaluate(const State&, absl::Span<double> rewards) const override {
    for (double& reward : rewards) reward = 0.5;
    calls.fetch_add(1);
  }
  mutable std::atomic<int> calls = 0;
};

// A clock that advances 1 ms per reading, and counts its readings.
struct SteppingClock {
  std::shared_ptr<std::atomic<std::int64_t>> readings =
      std::make_shared<std::atomic<std::int64_t>>(0);
  absl::Duration operator()() const {
    return absl::Milliseconds(readings->fetch_add(1));
  }
};

// Iterations of one search from the empty board with `options` (rollouts
// cut after one action and counted).
int iterations_of(MctsOptions options) {
  const CountingEvaluator counting;
  options.rollout_depth = 1;
  options.evaluator = &counting;
  const auto mcts = make_mcts(options);
  const TicTacToeState empty;
  Rng rng(3);
  mcts->choose_action(empty, legal_actions_of(empty), rng);
  return counting.calls.load();
}

TEST(Mcts, ATimeBudgetStopsAtTheFirstReadingPastItsEnd) {
  // Readings 1, 2, ... ms after the start: a search of 10 ms reads 1..9 and
  // goes on, stops at 10, after 1 + 9 iterations.
  EXPECT_EQ(iterations_of({.iterations = 1000,
                           .time_per_move = absl::Milliseconds(10),
                           .clock = SteppingClock()}),
            10);
  // More time, more iterations.
  EXPECT_EQ(iterations_of({.iterations = 1000,
                           .time_per_move = absl::Milliseconds(25),
                           .clock = SteppingClock()}),
            25);
  // The iterations cap a time budget.
  EXPECT_EQ(iterations_of({.iterations = 15,
                           .time_per_move = absl::Milliseconds(25),
                           .clock = SteppingClock()}),
            15);
  // Even a budget already spent searches once.
  EXPECT_EQ(iterations_of({.iterations = 1000,
                           .time_per_move = absl::Nanoseconds(1),
                           .clock = SteppingClock()}),
            1);
}

TEST(Mcts, WithoutATimeBudgetTheClockIsNeverRead) {
  const SteppingClock clock;
  EXPECT_EQ(iterations_of({.iterations = 30, .clock = clock}), 30);
  EXPECT_EQ(clock.readings->load(), 0);
}

TEST(Mcts, RootParallelTreesShareOneDeadline) {
  // Two trees reading one clock: the readings 1..9 before the end let 9
  // iterations go on, whichever tree made them, and each tree does its
  // first iteration unread: 11 in all, however the trees interleave.
  const SteppingClock clock;
  EXPECT_EQ(iterations_of({.iterations = 1000,
                           .time_per_move = absl::Milliseconds(10),
                           .search_threads = 2,
                           .clock = clock}),
            11);
}

TEST(Mcts, ATimeBudgetIsNamedByItsDuration) {
  EXPECT_EQ(
      make_mcts({.iterations = 50, .time_per_move = absl::Milliseconds(5)})
          ->name(),
      "mcts:5ms");
  EXPECT_FALSE(
      MctsPolicy::create({.time_per_move = absl::Milliseconds(-1)}).ok());
  EXPECT_FALSE(
      MctsPolicy::create({.time_per_move = absl::InfiniteDuration()}).ok());
}

TEST(Mcts, ASearchDrawsOneNumberFromTheGameStream) {
  const auto mcts = make_mcts({.iterations = 50});
  const TicTacToeState empty;
  const std::vector<Action> legal = legal_actions_of(empty);
  Rng searched(7), reference(7);
  mcts->choose_action(empty, legal, searched);
  reference.next();
  EXPECT_EQ(searched.next(), reference.next());
}

TEST(Mcts, GamesAreIdenticalForAnyThreadCount) {
  const std::unique_ptr<Game> game = make_connect_four_game();
  const auto strong = make_mcts({.iterations = 40});
  const auto weak = make_mcts({.iterations = 5, .exploration = 0.5});
  SimulationOptions options;
  options.games = 60;
  options.seed = 9;
  options.policies = {strong.get(), weak.get()};
  const std::vector<GameSummary> games =
      games_alike_at_any_thread_count(*game, options);
  // The 40-iteration searcher beats the 5-iteration one in most games.
  int strong_wins = 0;
  for (const GameSummary& game_summary : games) {
    strong_wins += game_summary.winners == std::vector<int>{0};
  }
  EXPECT_GT(strong_wins, 40);
}

TEST(Mcts, TheStrongerSearchWinsFromEitherSeat) {
  // The first player's advantage must not pass for strength: the
  // 40-iteration searcher plays second here, against the same weak one.
  const std::unique_ptr<Game> game = make_connect_four_game();
  const auto strong = make_mcts({.iterations = 40});
  const auto weak = make_mcts({.iterations = 5, .exploration = 0.5});
  for (int strong_seat : {0, 1}) {
    SimulationOptions options;
    options.games = 60;
    options.seed = 11;
    options.policies = {weak.get(), weak.get()};
    options.policies[strong_seat] = strong.get();
    absl::StatusOr<SimulationResult> result =
        run_simulations(*game, FeatureSet(), options);
    ASSERT_TRUE(result.ok()) << result.status();
    const SeatCounts& seat = result->counts.seats[strong_seat];
    // Far beyond an even match: 60 fair coin flips exceed 40 heads with
    // probability 0.7%.
    EXPECT_GT(seat.wins, 40u) << "strong in seat " << strong_seat;
    EXPECT_GT(seat.wins, 3 * seat.losses) << "strong in seat " << strong_seat;
  }
}

// Information-set MCTS on go-fish.

constexpr int kAce = 0, kTwo = 1, kFive = 4, kKing = 12;

// A go-fish position from hands and the deck listed card by card.
GoFishState go_fish(const std::vector<std::vector<int>>& hands,
                    const std::vector<int>& books, const std::vector<int>& deck,
                    int to_move = 0) {
  GoFishPosition parts;
  parts.books = books;
  parts.deck = deck;
  parts.to_move = to_move;
  for (const std::vector<int>& cards : hands) {
    std::array<int, GoFishState::kRanks> counts{};
    for (int rank : cards) ++counts[rank];
    parts.hands.push_back(counts);
  }
  absl::StatusOr<GoFishState> state = GoFishState::from_position(parts);
  EXPECT_TRUE(state.ok()) << state.status();
  return *state;
}

// Pairs of positions that player 0, to move, cannot tell apart: the same own
// hand, hand sizes, books and deck size, but the opponents' cards and the
// deck differ. In the first of each pair player 1 holds three aces, in the
// second another player does: a player who sees the cards asks for them.
std::vector<std::pair<GoFishState, GoFishState>> look_alike_pairs() {
  return {
      {go_fish({{kAce, kTwo, kFive}, {kAce, kAce, kAce}, {kTwo, kTwo, kTwo}},
               {3, 3, 3}, {kFive, kFive, kFive, kKing, kKing, kKing, kKing}),
       go_fish({{kAce, kTwo, kFive}, {kTwo, kTwo, kTwo}, {kAce, kAce, kAce}},
               {3, 3, 3}, {kKing, kFive, kKing, kFive, kKing, kFive, kKing})},
      {go_fish({{kAce, kTwo, kFive},
                {kAce, kAce, kAce},
                {kTwo, kTwo, kTwo},
                {kKing, kKing}},
               {3, 2, 2, 2}, {kFive, kFive, kFive, kKing, kKing}),
       go_fish({{kAce, kTwo, kFive},
                {kTwo, kTwo, kTwo},
                {kAce, kAce, kAce},
                {kFive, kFive}},
               {3, 2, 2, 2}, {kKing, kKing, kKing, kKing, kFive})},
  };
}

TEST(InformationSetMcts, TheChoiceDoesNotDependOnTheOpponentsCards) {
  const auto ismcts = make_mcts({.iterations = 100});
  const auto cheat =
      make_mcts({.iterations = 100, .see_hidden_information = true});
  int cheat_differs = 0;
  for (const auto& [one, other] : look_alike_pairs()) {
    const std::vector<Action> legal = legal_actions_of(one);
    ASSERT_EQ(legal_actions_of(other), legal);
    for (std::uint64_t seed = 0; seed < 10; ++seed) {
      Rng rng(seed), same_rng(seed);
      EXPECT_EQ(ismcts->choose_action(one, legal, rng),
                ismcts->choose_action(other, legal, same_rng))
          << one.num_players() << " players, seed " << seed;
      Rng cheat_rng(seed), cheat_same_rng(seed);
      cheat_differs += cheat->choose_action(one, legal, cheat_rng) !=
                       cheat->choose_action(other, legal, cheat_same_rng);
    }
  }
  // The cards matter to a search that reads them: it asks for the aces.
  EXPECT_GE(cheat_differs, 15);
}

// The same along random games, where the play has shown some cards: the
// player to move gets the same choice in the real position and in another
// that agrees with everything they have seen (a determinisation of it).
TEST(InformationSetMcts,
     TheChoiceIsTheSameInPositionsThePlayerCannotTellApart) {
  const std::unique_ptr<Game> game = make_go_fish_game();
  const auto ismcts = make_mcts({.iterations = 40, .search_threads = 2});
  std::vector<Action> legal;
  int compared = 0;
  for (int players : {3, 4}) {
    for (std::uint64_t seed = 0; seed < 6; ++seed) {
      std::unique_ptr<State> state = game->new_initial_state(seed, players);
      Rng rng(seed);
      for (int turn = 0; !state->is_terminal(); ++turn) {
        state->legal_actions(legal);
        if (turn % 7 == 0 && legal.size() > 1) {
          Rng twin_rng(seed_for(seed, turn));
          const std::unique_ptr<State> twin =
              state->determinize(state->current_player(), twin_rng);
          Rng search_rng(seed + 99), same_rng(seed + 99);
          EXPECT_EQ(ismcts->choose_action(*state, legal, search_rng),
                    ismcts->choose_action(*twin, legal, same_rng));
          ++compared;
        }
        state->apply_action(legal[rng.uniform(legal.size())]);
      }
    }
  }
  EXPECT_GT(compared, 50);
}

TEST(InformationSetMcts, GoFishGamesAreIdenticalForAnyThreadCount) {
  const std::unique_ptr<Game> game = make_go_fish_game();
  const auto one_tree = make_mcts({.iterations = 12});
  const auto two_trees = make_mcts({.iterations = 12, .search_threads = 2});
  SimulationOptions options;
  options.games = 40;
  options.seed = 17;
  options.players = 3;
  options.policies = {one_tree.get(), nullptr, two_trees.get()};
  games_alike_at_any_thread_count(*game, options);
}

// With three players: there the asks between the others show cards that a
// player who remembers them can ask for (with two, ISMCTS-200 wins only
// 53.4% [50.3, 56.5] of 1000 games against random play).
TEST(InformationSetMcts, BeatsRandomPlayAtThreePlayerGoFish) {
  const std::unique_ptr<Game> game = make_go_fish_game();
  const auto ismcts = make_mcts({.iterations = 30});
  for (int seat : {0, 1, 2}) {
    SimulationOptions options;
    options.games = 150;
    options.seed = 23;
    options.players = 3;
    options.policies = {nullptr, nullptr, nullptr};
    options.policies[seat] = ismcts.get();
    absl::StatusOr<SimulationResult> result =
        run_simulations(*game, FeatureSet(), options);
    ASSERT_TRUE(result.ok()) << result.status();
    // A random player wins about a third (50 of 150, standard deviation
    // 5.8); more than 67 is 2.9 deviations beyond.
    EXPECT_GT(result->counts.seats[seat].wins, 67u) << "seat " << seat;
  }
}

// Without hidden information the cheating option changes nothing: both
// search the state itself, draw for draw.
TEST(InformationSetMcts, SeeingHiddenInformationChangesNothingWithoutIt) {
  const auto plain = make_mcts({.iterations = 60});
  const auto cheat =
      make_mcts({.iterations = 60, .see_hidden_information = true});
  EXPECT_EQ(cheat->name(), "mcts-cheat:60");
  const auto state = after<ConnectFourState>({3, 4, 3});
  EXPECT_EQ(choices(*plain, state, 20), choices(*cheat, state, 20));
}

}  // namespace
}  // namespace selfplay
