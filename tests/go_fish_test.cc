#include "games/go_fish.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <memory>
#include <numeric>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "games/bundled_games.h"
#include "selfplay/random.h"
#include "test_games.h"

namespace selfplay {
namespace {

using testing::legal_actions_of;

constexpr int kAce = 0, kTwo = 1, kFive = 4, kSeven = 6, kTen = 9, kJack = 10,
              kQueen = 11, kKing = 12;
constexpr int kRanks = GoFishState::kRanks;

enum class Deck { kTopUp, kAsGiven };

// A position from hands listed card by card (ranks, repeated) and the top of
// the deck. With Deck::kTopUp every rank that appears somewhere gets its
// missing cards appended to the deck; the ranks that appear nowhere count as
// booked, and `books` must share them out.
GoFishState position(const std::vector<std::vector<int>>& hands,
                     const std::vector<int>& books,
                     const std::vector<int>& deck_top, int to_move,
                     Deck deck = Deck::kTopUp) {
  GoFishPosition parts;
  parts.books = books;
  parts.deck = deck_top;
  parts.to_move = to_move;
  std::array<int, kRanks> seen{};
  for (const std::vector<int>& cards : hands) {
    std::array<int, kRanks> counts{};
    for (int rank : cards) ++counts[rank], ++seen[rank];
    parts.hands.push_back(counts);
  }
  for (int rank : deck_top) ++seen[rank];
  if (deck == Deck::kTopUp) {
    for (int rank = 0; rank < kRanks; ++rank) {
      for (int i = seen[rank]; i > 0 && i < 4; ++i) parts.deck.push_back(rank);
    }
  }
  absl::StatusOr<GoFishState> state = GoFishState::from_position(parts);
  EXPECT_TRUE(state.ok()) << state.status();
  return *state;
}

int cards_in_play(const GoFishState& state) {
  int cards = state.deck_size();
  for (int player = 0; player < state.num_players(); ++player) {
    cards += state.hand_size(player) + 4 * state.books(player);
  }
  return cards;
}

TEST(GoFish, DeclaresAValidCollectionStructure) {
  std::unique_ptr<Game> game = make_go_fish_game();
  const GameStructure& structure = game->structure();
  EXPECT_TRUE(validate_structure(structure).ok());
  EXPECT_EQ(game->name(), "go-fish");
  EXPECT_EQ(structure.type, GameType::kCollection);
  EXPECT_EQ(structure.min_players, 2);
  EXPECT_EQ(structure.max_players, 6);
  EXPECT_EQ(structure.default_players, 2);
  EXPECT_FALSE(structure.board.has_value());
  ASSERT_EQ(structure.element_types.size(), 1u);
  const ElementType& card = structure.element_types[0];
  EXPECT_EQ(card.name, "card");
  EXPECT_TRUE(card.owned);
  ASSERT_EQ(card.properties.size(), 1u);
  EXPECT_EQ(card.properties[0].name, "rank");
  EXPECT_EQ(card.properties[0].kind, PropertyKind::kString);
  EXPECT_EQ(card.properties[0].values,
            (std::vector<std::string>{"A", "2", "3", "4", "5", "6", "7", "8",
                                      "9", "10", "J", "Q", "K"}));
  EXPECT_EQ(structure.player_properties,
            (std::vector<std::string>{"books", "hand-size"}));
  EXPECT_EQ(structure.action_kinds, (std::vector<std::string>{"ask"}));
  EXPECT_FALSE(structure.reports_mobility);
  EXPECT_FALSE(structure.deterministic);
  EXPECT_TRUE(structure.hidden_information);
}

TEST(GoFish, IsRegisteredAmongTheBundledGames) {
  std::vector<std::unique_ptr<Game>> games = make_bundled_games();
  EXPECT_TRUE(std::any_of(games.begin(), games.end(), [](const auto& game) {
    return game->name() == "go-fish";
  }));
}

TEST(GoFish, ShuffleIsAPermutationThatDependsOnTheSeed) {
  std::set<std::array<std::int8_t, 52>> decks;
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    const std::array<std::int8_t, 52> deck = GoFishState::shuffled_deck(seed);
    std::array<int, kRanks> counts{};
    for (int rank : deck) {
      ASSERT_GE(rank, 0);
      ASSERT_LT(rank, kRanks);
      ++counts[rank];
    }
    for (int count : counts) EXPECT_EQ(count, 4);
    EXPECT_EQ(GoFishState::shuffled_deck(seed), deck) << "seed " << seed;
    decks.insert(deck);
  }
  EXPECT_EQ(decks.size(), 50u) << "every seed shuffles differently";
}

TEST(GoFish, DealsRoundRobinFromTheTopOfTheShuffledDeck) {
  for (int players = 2; players <= 6; ++players) {
    const int each = players <= 3 ? 7 : 5;
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
      const GoFishState state(seed, players);
      const std::array<std::int8_t, 52> deck = GoFishState::shuffled_deck(seed);
      EXPECT_EQ(state.deck_size(), 52 - players * each);
      for (int player = 0; player < players; ++player) {
        std::array<int, kRanks> dealt{};
        for (int card = 0; card < each; ++card) {
          ++dealt[deck[card * players + player]];
        }
        int held = 0;
        for (int rank = 0; rank < kRanks; ++rank) {
          // A rank dealt four times is a book at once.
          EXPECT_EQ(state.hand_count(player, rank), dealt[rank] % 4);
          held += state.hand_count(player, rank);
        }
        EXPECT_EQ(state.hand_size(player), held);
        EXPECT_EQ(state.hand_size(player) + 4 * state.books(player), each);
      }
      EXPECT_EQ(state.current_player(), 0);
    }
  }
}

TEST(GoFish, SameSeedPlaysTheSameGame) {
  std::unique_ptr<Game> game = make_go_fish_game();
  std::unique_ptr<State> a = game->new_initial_state(42, 4);
  std::unique_ptr<State> b = game->new_initial_state(42, 4);
  EXPECT_NE(a->hash(), game->new_initial_state(43, 4)->hash());
  Rng rng_a(5), rng_b(5);
  std::vector<Action> actions_a, actions_b;
  while (!a->is_terminal()) {
    ASSERT_FALSE(b->is_terminal());
    ASSERT_EQ(a->to_string(), b->to_string());
    ASSERT_EQ(a->hash(), b->hash());
    a->legal_actions(actions_a);
    b->legal_actions(actions_b);
    ASSERT_EQ(actions_a, actions_b);
    a->apply_action(actions_a[rng_a.uniform(actions_a.size())]);
    b->apply_action(actions_b[rng_b.uniform(actions_b.size())]);
  }
  EXPECT_TRUE(b->is_terminal());
  EXPECT_EQ(a->winners(), b->winners());
}

TEST(GoFish, RejectsPlayerCountsOutsideTwoToSix) {
  EXPECT_THROW(GoFishState(0, 1), std::invalid_argument);
  EXPECT_THROW(GoFishState(0, 7), std::invalid_argument);
}

TEST(GoFish, AsksOnlyForHeldRanksAndOnlyOpponentsWithCards) {
  // Player 2 holds nothing, so player 0 may ask only player 1.
  GoFishState state =
      position({{kAce, kKing, kKing}, {kTwo}, {}}, {4, 3, 2}, {kFive}, 0);
  std::vector<Action> actions = legal_actions_of(state);
  EXPECT_EQ(actions, (std::vector<Action>{GoFishState::ask(1, kAce),
                                          GoFishState::ask(1, kKing)}));
  for (Action action : actions) EXPECT_EQ(state.action_kind(action), 0);
}

TEST(GoFish, AsksAnyOpponentWhenNoOpponentHoldsACard) {
  GoFishState state =
      position({{kAce}, {}, {}}, {4, 4, 4}, {kAce, kAce, kAce}, 0);
  EXPECT_EQ(legal_actions_of(state),
            (std::vector<Action>{GoFishState::ask(1, kAce),
                                 GoFishState::ask(2, kAce)}));
}

TEST(GoFish, AskingForAHeldRankTransfersAllCardsAndTheAskerGoesAgain) {
  GoFishState state =
      position({{kAce, kFive}, {kAce, kAce, kKing}}, {4, 5}, {kSeven}, 0);
  const int deck = state.deck_size();
  state.apply_action(GoFishState::ask(1, kAce));
  EXPECT_EQ(state.hand_count(0, kAce), 3);
  EXPECT_EQ(state.hand_count(1, kAce), 0);
  EXPECT_EQ(state.hand_size(0), 4);
  EXPECT_EQ(state.hand_size(1), 1);
  EXPECT_EQ(state.deck_size(), deck) << "no card drawn";
  EXPECT_EQ(state.current_player(), 0);
}

TEST(GoFish, GoingFishingDrawsTheTopCardAndPassesTheTurn) {
  GoFishState state =
      position({{kAce, kFive}, {kAce, kAce, kKing}}, {4, 5}, {kSeven}, 0);
  const int deck = state.deck_size();
  state.apply_action(GoFishState::ask(1, kFive));
  EXPECT_EQ(state.hand_count(0, kSeven), 1);
  EXPECT_EQ(state.hand_size(0), 3);
  EXPECT_EQ(state.hand_size(1), 3) << "the opponent keeps their cards";
  EXPECT_EQ(state.deck_size(), deck - 1);
  EXPECT_EQ(state.current_player(), 1);
}

TEST(GoFish, FishingTheAskedRankLetsTheAskerGoAgain) {
  GoFishState state =
      position({{kAce, kFive}, {kAce, kAce, kKing}}, {5, 5}, {kFive}, 0);
  state.apply_action(GoFishState::ask(1, kFive));
  EXPECT_EQ(state.hand_count(0, kFive), 2);
  EXPECT_EQ(state.current_player(), 0);
}

TEST(GoFish, FailedAskWithAnEmptyDeckPassesTheTurn) {
  GoFishState state =
      position({{kAce, kAce}, {kAce, kFive, kFive}, {kAce, kFive, kFive}},
               {4, 4, 3}, {}, 1, Deck::kAsGiven);
  state.apply_action(GoFishState::ask(0, kFive));
  EXPECT_EQ(state.current_player(), 2);
  EXPECT_EQ(state.hand_size(0), 2);
  EXPECT_EQ(state.hand_size(1), 3);
  EXPECT_EQ(state.deck_size(), 0);
}

TEST(GoFish, FourOfARankFormsABookAtOnce) {
  GoFishState state = position({{kKing, kKing, kKing, kTwo}, {kKing, kTen}},
                               {5, 4}, {kJack}, 0);
  state.apply_action(GoFishState::ask(1, kKing));
  EXPECT_EQ(state.books(0), 6);
  EXPECT_EQ(state.hand_count(0, kKing), 0);
  EXPECT_EQ(state.hand_size(0), 1);
  EXPECT_EQ(state.hand_size(1), 1);
  EXPECT_EQ(state.player_property(0, 0), 6);
  EXPECT_EQ(state.player_property(0, 1), 1);
  EXPECT_EQ(state.current_player(), 0);
}

TEST(GoFish, FishingTheFourthCardFormsABook) {
  GoFishState state = position({{kQueen, kQueen, kQueen, kTwo}, {kTwo, kTen}},
                               {5, 5}, {kQueen}, 0);
  state.apply_action(GoFishState::ask(1, kQueen));
  EXPECT_EQ(state.books(0), 6);
  EXPECT_EQ(state.hand_size(0), 1);
  EXPECT_EQ(state.current_player(), 0) << "the asked rank was drawn";
}

TEST(GoFish, PlayerToMoveWithAnEmptyHandDrawsFirst) {
  // Player 0 fishes a seven and passes the turn to empty-handed player 1, who
  // draws the next card before asking.
  GoFishState state = position({{kAce, kFive}, {}, {kAce, kKing}}, {3, 3, 3},
                               {kSeven, kKing}, 0);
  const int deck = state.deck_size();
  state.apply_action(GoFishState::ask(2, kFive));
  EXPECT_EQ(state.current_player(), 1);
  EXPECT_EQ(state.hand_size(1), 1);
  EXPECT_EQ(state.hand_count(1, kKing), 1);
  EXPECT_EQ(state.deck_size(), deck - 2);
  EXPECT_FALSE(legal_actions_of(state).empty());
}

TEST(GoFish, PlayerGoingAgainWithAnEmptyHandDrawsFirst) {
  // Player 1 books the kings with their whole hand, goes again and so draws
  // the five before asking.
  GoFishState state =
      position({{kKing, kTwo}, {kKing, kKing, kKing}}, {5, 5}, {kFive}, 1);
  const int deck = state.deck_size();
  state.apply_action(GoFishState::ask(0, kKing));
  EXPECT_EQ(state.books(1), 6);
  EXPECT_EQ(state.current_player(), 1);
  EXPECT_EQ(state.hand_size(1), 1);
  EXPECT_EQ(state.hand_count(1, kFive), 1);
  EXPECT_EQ(state.deck_size(), deck - 1);
}

TEST(GoFish, EmptyHandWithAnEmptyDeckSkipsTheTurn) {
  // Player 0 takes the last queens and books them; with an empty hand and an
  // empty deck the turn passes on to player 1, whose hand is empty too, and
  // then to player 2.
  GoFishState state = position(
      {{kQueen, kQueen}, {}, {kTwo, kTwo}, {kQueen, kQueen, kTwo, kTwo}},
      {3, 3, 3, 2}, {}, 0, Deck::kAsGiven);
  state.apply_action(GoFishState::ask(3, kQueen));
  EXPECT_EQ(state.books(0), 4);
  EXPECT_EQ(state.hand_size(0), 0);
  EXPECT_EQ(state.current_player(), 2);
  EXPECT_FALSE(state.is_terminal());
}

TEST(GoFish, FromPositionSkipsAnEmptyHandedPlayerToMoveWhenTheDeckIsEmpty) {
  GoFishState state = position({{}, {kAce, kAce}, {kAce, kAce}}, {4, 4, 4}, {},
                               0, Deck::kAsGiven);
  EXPECT_EQ(state.current_player(), 1);
}

TEST(GoFish, MostBooksWins) {
  GoFishState state =
      position({{kJack}, {kJack, kJack, kJack}}, {6, 6}, {}, 1, Deck::kAsGiven);
  state.apply_action(GoFishState::ask(0, kJack));
  ASSERT_TRUE(state.is_terminal());
  EXPECT_EQ(state.winners(), (std::vector<int>{1}));
  EXPECT_TRUE(legal_actions_of(state).empty());
}

TEST(GoFish, TiedPlayersShareTheWin) {
  GoFishState state = position({{kQueen, kQueen, kQueen}, {}, {kQueen}},
                               {4, 5, 3}, {}, 0, Deck::kAsGiven);
  ASSERT_FALSE(state.is_terminal());
  state.apply_action(GoFishState::ask(2, kQueen));
  ASSERT_TRUE(state.is_terminal());
  EXPECT_EQ(state.winners(), (std::vector<int>{0, 1}));

  GoFishState three_way = position({{}, {}, {}, {}}, {4, 4, 4, 1}, {}, 0);
  ASSERT_TRUE(three_way.is_terminal());
  EXPECT_EQ(three_way.winners(), (std::vector<int>{0, 1, 2}));
}

TEST(GoFish, FromPositionRejectsCardsThatDoNotAddUp) {
  GoFishPosition parts;
  parts.hands = {{}, {}};
  parts.books = {6, 6};
  parts.deck = {kAce, kAce, kAce, kAce};
  EXPECT_TRUE(GoFishState::from_position(parts).ok());
  parts.books = {6, 5};
  EXPECT_FALSE(GoFishState::from_position(parts).ok()) << "a missing book";
  parts.books = {6, 6};
  parts.deck = {kAce, kAce, kAce};
  EXPECT_FALSE(GoFishState::from_position(parts).ok()) << "three aces";
  parts.deck = {kAce, kAce, kAce, 13};
  EXPECT_FALSE(GoFishState::from_position(parts).ok()) << "no rank 13";
  parts.deck = {};
  parts.hands[0][kAce] = 4;
  EXPECT_FALSE(GoFishState::from_position(parts).ok()) << "an unmade book";
  parts.hands = {{}};
  EXPECT_FALSE(GoFishState::from_position(parts).ok()) << "one player";
  parts.hands = {{}, {}};
  parts.books = {13};
  EXPECT_FALSE(GoFishState::from_position(parts).ok()) << "one book count";
  parts.books = {13, 0};
  parts.to_move = 2;
  EXPECT_FALSE(GoFishState::from_position(parts).ok()) << "no player 2";
  parts.to_move = 0;
  absl::StatusOr<GoFishState> over = GoFishState::from_position(parts);
  ASSERT_TRUE(over.ok()) << over.status();
  EXPECT_TRUE(over->is_terminal());
}

TEST(GoFish, RandomGamesEndAndConserveTheFiftyTwoCards) {
  std::unique_ptr<Game> game = make_go_fish_game();
  std::vector<Action> actions;
  for (int players = 2; players <= 6; ++players) {
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
      std::unique_ptr<State> state = game->new_initial_state(seed, players);
      const auto& go_fish = static_cast<const GoFishState&>(*state);
      Rng rng(seed);
      int actions_played = 0;
      while (!state->is_terminal()) {
        ASSERT_EQ(cards_in_play(go_fish), 52);
        const int player = state->current_player();
        ASSERT_GT(go_fish.hand_size(player), 0) << "the mover holds a card";
        state->legal_actions(actions);
        ASSERT_FALSE(actions.empty());
        state->apply_action(actions[rng.uniform(actions.size())]);
        ASSERT_LT(++actions_played, 2000)
            << players << " players, seed " << seed;
      }
      EXPECT_EQ(cards_in_play(go_fish), 52);
      EXPECT_EQ(go_fish.deck_size(), 0);
      int books = 0, most = 0;
      for (int player = 0; player < players; ++player) {
        EXPECT_EQ(go_fish.hand_size(player), 0);
        books += go_fish.books(player);
        most = std::max(most, go_fish.books(player));
      }
      EXPECT_EQ(books, 13);
      const std::vector<int> winners = state->winners();
      ASSERT_FALSE(winners.empty());
      for (int player = 0; player < players; ++player) {
        const bool wins =
            std::find(winners.begin(), winners.end(), player) != winners.end();
        EXPECT_EQ(wins, go_fish.books(player) == most);
      }
    }
  }
}

TEST(GoFish, ElementsListEveryCardInAHandWithItsRank) {
  GoFishState state = position({{kAce, kAce, kKing}, {kTen}}, {4, 6}, {}, 0);
  std::vector<Element> elements;
  state.elements(elements);
  ASSERT_EQ(elements.size(), 4u);
  std::multiset<std::pair<int, int>> cards;
  for (const Element& element : elements) {
    EXPECT_EQ(element.type, 0);
    EXPECT_EQ(element.row, -1);
    EXPECT_EQ(element.column, -1);
    cards.insert({element.owner, element.properties[0]});
  }
  EXPECT_EQ(cards, (std::multiset<std::pair<int, int>>{
                       {0, kAce}, {0, kAce}, {0, kKing}, {1, kTen}}));
  EXPECT_EQ(state.player_property(0, 0), 4);
  EXPECT_EQ(state.player_property(1, 0), 6);
  EXPECT_EQ(state.player_property(0, 1), 3);
  EXPECT_EQ(state.player_property(1, 1), 1);
}

TEST(GoFish, HashSeesHandsBooksDeckSizeAndPlayerToMove) {
  const GoFishState base =
      position({{kAce, kKing}, {kAce, kTen}}, {5, 4}, {kTwo}, 0);
  const std::uint64_t hash = base.hash();
  EXPECT_EQ(position({{kAce, kKing}, {kAce, kTen}}, {5, 4}, {kTwo}, 0).hash(),
            hash);
  // The same ranks in other hands.
  EXPECT_NE(position({{kAce, kTen}, {kAce, kKing}}, {5, 4}, {kTwo}, 0).hash(),
            hash);
  // Books shared out differently.
  EXPECT_NE(position({{kAce, kKing}, {kAce, kTen}}, {6, 3}, {kTwo}, 0).hash(),
            hash);
  // The other player to move.
  EXPECT_NE(position({{kAce, kKing}, {kAce, kTen}}, {5, 4}, {kTwo}, 1).hash(),
            hash);
  // One card moved from the deck into a hand.
  EXPECT_NE(position({{kAce, kKing, kTwo}, {kAce, kTen}}, {5, 4}, {}, 0).hash(),
            hash);
  // The deck's order is hidden, so it does not count.
  EXPECT_EQ(
      position({{kAce, kKing}, {kAce, kTen}}, {5, 4}, {kTwo, kAce}, 0).hash(),
      position({{kAce, kKing}, {kAce, kTen}}, {5, 4}, {kTwo, kKing}, 0).hash());
}

TEST(GoFish, CloneIsIndependentOfTheOriginal) {
  GoFishState state(11, 3);
  std::unique_ptr<State> copy = state.clone();
  EXPECT_EQ(copy->hash(), state.hash());
  std::vector<Action> actions = legal_actions_of(*copy);
  copy->apply_action(actions[0]);
  EXPECT_NE(copy->hash(), state.hash());
  EXPECT_EQ(GoFishState(11, 3).hash(), state.hash());
}

// What the play shows of the hands (known_at_least / known_at_most).

constexpr int kThree = 2;

TEST(GoFishKnowledge, AHandoverShowsTheAskersCardsAndEmptiesTheGiver) {
  GoFishState state =
      position({{kAce, kFive}, {kAce, kAce, kKing}}, {4, 5}, {kSeven}, 0);
  EXPECT_EQ(state.known_at_least(0, kAce), 0) << "nothing shown yet";
  EXPECT_EQ(state.known_at_most(1, kAce), 3);
  state.apply_action(GoFishState::ask(1, kAce));
  // Player 0 asked (so held one) and received two: three aces, all shown.
  EXPECT_EQ(state.known_at_least(0, kAce), 3);
  EXPECT_EQ(state.known_at_most(0, kAce), 3);
  EXPECT_EQ(state.known_at_least(1, kAce), 0);
  EXPECT_EQ(state.known_at_most(1, kAce), 0);
  EXPECT_EQ(state.known_at_least(1, kKing), 0) << "the king stays unseen";
  EXPECT_EQ(state.known_at_most(1, kKing), 3);
}

TEST(GoFishKnowledge, GoFishShowsTheAskedHandHoldsNoneUntilItDraws) {
  // Player 0 asks player 1 for a five: "go fish", and player 0 draws a seven.
  // Player 1 then asks player 0 for a king, fails too and draws a jack.
  GoFishState state = position({{kAce, kFive}, {kAce, kAce, kKing}}, {4, 4},
                               {kSeven, kJack}, 0);
  state.apply_action(GoFishState::ask(1, kFive));
  EXPECT_EQ(state.known_at_least(0, kFive), 1) << "the asker holds a five";
  EXPECT_EQ(state.known_at_most(1, kFive), 0);
  ASSERT_EQ(state.current_player(), 1);
  state.apply_action(GoFishState::ask(0, kKing));
  EXPECT_EQ(state.known_at_least(1, kKing), 1);
  EXPECT_EQ(state.known_at_most(0, kKing), 0);
  // Player 1's unseen draw may be a five (it is not a king, which player 1
  // would have shown by going again).
  EXPECT_EQ(state.known_at_most(1, kFive), 1);
  EXPECT_EQ(state.known_at_least(1, kFive), 0);
  EXPECT_EQ(state.known_at_most(1, kKing), 3);
  EXPECT_EQ(state.known_at_most(0, kKing), 0) << "player 0 drew nothing since";
}

TEST(GoFishKnowledge, FishingTheAskedRankShowsTheCard) {
  GoFishState state =
      position({{kAce, kFive}, {kAce, kAce, kKing}}, {5, 5}, {kFive}, 0);
  state.apply_action(GoFishState::ask(1, kFive));
  EXPECT_EQ(state.known_at_least(0, kFive), 2);
  EXPECT_EQ(state.known_at_most(1, kFive), 0);
}

TEST(GoFishKnowledge, ABookShowsThatNoOneHoldsTheRank) {
  GoFishState state = position({{kKing, kKing, kKing, kTwo}, {kKing, kTen}},
                               {5, 4}, {kJack}, 0);
  state.apply_action(GoFishState::ask(1, kKing));
  for (int player = 0; player < 2; ++player) {
    EXPECT_EQ(state.known_at_least(player, kKing), 0);
    EXPECT_EQ(state.known_at_most(player, kKing), 0);
  }
}

// The bounds are facts: the true hands lie within them at every step.
TEST(GoFishKnowledge, TheTrueHandsLieWithinTheBoundsThroughoutRandomGames) {
  std::unique_ptr<Game> game = make_go_fish_game();
  std::vector<Action> actions;
  int tight = 0;
  for (int players = 2; players <= 6; ++players) {
    for (std::uint64_t seed = 0; seed < 100; ++seed) {
      std::unique_ptr<State> state = game->new_initial_state(seed, players);
      const auto& go_fish = static_cast<const GoFishState&>(*state);
      Rng rng(seed);
      while (!state->is_terminal()) {
        for (int player = 0; player < players; ++player) {
          for (int rank = 0; rank < kRanks; ++rank) {
            const int held = go_fish.hand_count(player, rank);
            ASSERT_LE(go_fish.known_at_least(player, rank), held);
            ASSERT_GE(go_fish.known_at_most(player, rank), held);
            tight += go_fish.known_at_most(player, rank) < 3 && held > 0;
          }
        }
        state->legal_actions(actions);
        state->apply_action(actions[rng.uniform(actions.size())]);
      }
    }
  }
  EXPECT_GT(tight, 1000) << "the upper bounds say something";
}

// Determinisation (State::determinize).

// Every rank's cards in the hands and the deck of `state`.
std::array<int, kRanks> cards_by_rank(const GoFishState& state) {
  std::array<int, kRanks> cards{};
  for (int player = 0; player < state.num_players(); ++player) {
    for (int rank = 0; rank < kRanks; ++rank) {
      cards[rank] += state.hand_count(player, rank);
    }
  }
  for (int depth = 0; depth < state.deck_size(); ++depth) {
    ++cards[state.deck_card(depth)];
  }
  return cards;
}

std::unique_ptr<GoFishState> determinised(const GoFishState& state,
                                          int observer, Rng& rng) {
  std::unique_ptr<State> sample = state.determinize(observer, rng);
  EXPECT_NE(sample, nullptr);
  return std::unique_ptr<GoFishState>(
      static_cast<GoFishState*>(sample.release()));
}

// What `observer` sees of `state`, spelled out.
std::string observation(const GoFishState& state, int observer) {
  std::string seen = absl::StrCat("to move ", state.current_player(), " deck ",
                                  state.deck_size(), "\n");
  for (int player = 0; player < state.num_players(); ++player) {
    absl::StrAppend(&seen, "player ", player, ": ", state.books(player),
                    " books, ", state.hand_size(player), " cards;");
    for (int rank = 0; rank < kRanks; ++rank) {
      absl::StrAppend(&seen, " ",
                      player == observer ? state.hand_count(player, rank) : -1,
                      "[", state.known_at_least(player, rank), ",",
                      state.known_at_most(player, rank), "]");
    }
    seen += '\n';
  }
  return seen;
}

// All the cards, hidden ones included.
std::string everything(const GoFishState& state) {
  std::string all = state.to_string();
  for (int depth = 0; depth < state.deck_size(); ++depth) {
    absl::StrAppend(&all, " ", state.deck_card(depth));
  }
  return all;
}

TEST(GoFishDeterminize, KeepsWhatTheObserverSeesAndDealsTheRestWithinBounds) {
  std::unique_ptr<Game> game = make_go_fish_game();
  std::vector<Action> actions, sample_actions;
  int differs = 0, samples = 0;
  for (int players = 2; players <= 6; ++players) {
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
      std::unique_ptr<State> state = game->new_initial_state(seed, players);
      const auto& real = static_cast<const GoFishState&>(*state);
      Rng rng(seed), sampling(seed + 1000);
      while (!state->is_terminal()) {
        const std::array<int, kRanks> real_cards = cards_by_rank(real);
        for (int observer = 0; observer < players; ++observer) {
          const std::unique_ptr<GoFishState> sample =
              determinised(real, observer, sampling);
          ++samples;
          ASSERT_EQ(observation(*sample, observer),
                    observation(real, observer));
          differs += everything(*sample) != everything(real);
          // Every card of an unbooked rank is somewhere, and each hand
          // within what the play has shown.
          ASSERT_EQ(cards_by_rank(*sample), real_cards);
          for (int player = 0; player < players; ++player) {
            for (int rank = 0; rank < kRanks; ++rank) {
              ASSERT_GE(sample->hand_count(player, rank),
                        real.known_at_least(player, rank));
              ASSERT_LE(sample->hand_count(player, rank),
                        real.known_at_most(player, rank));
            }
          }
          if (real.current_player() == observer) {
            state->legal_actions(actions);
            sample->legal_actions(sample_actions);
            ASSERT_EQ(sample_actions, actions);
          }
        }
        state->legal_actions(actions);
        state->apply_action(actions[rng.uniform(actions.size())]);
      }
    }
  }
  // Most samples deal other cards than the real ones (not all: with two
  // players and an empty deck the observer knows the other hand).
  EXPECT_GT(differs, samples / 2);
}

// Two states that the observer cannot tell apart give the same sample from
// the same draws: the sample depends on the hidden cards only through what
// the observer has seen.
TEST(GoFishDeterminize, DependsOnlyOnWhatTheObserverSees) {
  std::unique_ptr<Game> game = make_go_fish_game();
  std::vector<Action> actions;
  for (int players = 2; players <= 6; ++players) {
    for (std::uint64_t seed = 0; seed < 10; ++seed) {
      std::unique_ptr<State> state = game->new_initial_state(seed, players);
      const auto& real = static_cast<const GoFishState&>(*state);
      Rng rng(seed);
      while (!state->is_terminal()) {
        const int observer = static_cast<int>(rng.uniform(players));
        // Another position with the same observation: a sample itself.
        Rng twin_draws(seed_for(seed, 1));
        const std::unique_ptr<GoFishState> twin =
            determinised(real, observer, twin_draws);
        Rng draws(seed_for(seed, 2)), same_draws(seed_for(seed, 2));
        ASSERT_EQ(everything(*determinised(real, observer, draws)),
                  everything(*determinised(*twin, observer, same_draws)));
        state->legal_actions(actions);
        state->apply_action(actions[rng.uniform(actions.size())]);
      }
    }
  }
  // And a hand-built pair that differs in the opponents' cards and the deck.
  const GoFishState one = position({{kAce, kTwo}, {kAce, kAce, kKing}, {kTwo}},
                                   {3, 4, 3}, {kKing, kTwo}, 0);
  const GoFishState other = position(
      {{kAce, kTwo}, {kTwo, kKing, kKing}, {kAce}}, {3, 4, 3}, {kAce, kTwo}, 0);
  ASSERT_NE(everything(one), everything(other));
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    Rng draws(seed), same_draws(seed);
    EXPECT_EQ(everything(*determinised(one, 0, draws)),
              everything(*determinised(other, 0, same_draws)));
  }
}

// Pearson's chi-square of `observed` against `probability` (category ->
// probability) over `samples` draws, and the 0.1% critical value for its
// degrees of freedom (Wilson-Hilferty).
template <typename Key>
void expect_fits(const std::map<Key, int>& observed,
                 const std::map<Key, double>& probability, int samples) {
  double chi_square = 0;
  for (const auto& [key, p] : probability) {
    const double expected = p * samples;
    ASSERT_GE(expected, 5) << "merge rare categories";
    const auto found = observed.find(key);
    const double seen = found == observed.end() ? 0 : found->second;
    chi_square += (seen - expected) * (seen - expected) / expected;
  }
  for (const auto& [key, seen] : observed) {
    ASSERT_TRUE(probability.count(key)) << "an impossible outcome was drawn";
  }
  const double df = static_cast<double>(probability.size()) - 1;
  const double z = 3.0902;  // the standard normal's 99.9% quantile
  const double critical =
      df * std::pow(1 - 2 / (9 * df) + z * std::sqrt(2 / (9 * df)), 3);
  EXPECT_LT(chi_square, critical) << df << " degrees of freedom";
}

// A small position with knowledge. Ranks A, 2 and 3 are in play, the other
// ten booked. Player 0 (the observer) holds A A. Player 1 asks player 2 for a
// three, hears "go fish" and draws a two, which passes the turn. The observer
// now knows: player 1 holds 4 cards, at least one a three; player 2 holds 3
// cards, no three; the deck holds 3; no hand holds four of a rank (a book).
// The oracle enumerates every deal of the 10 cards the observer has not seen
// (A A 2 2 2 2 3 3 3 3, told apart) and keeps those that fit these facts; a
// uniform sample of the fitting deals gives each its share.
TEST(GoFishDeterminize, SamplesTheDealsThatFitUniformly) {
  GoFishState state =
      position({{kAce, kAce}, {kTwo, kThree, kThree}, {kTwo, kTwo, kAce}},
               {4, 3, 3}, {kTwo, kThree, kAce, kThree}, 1, Deck::kAsGiven);
  state.apply_action(GoFishState::ask(2, kThree));
  ASSERT_EQ(state.current_player(), 2);
  ASSERT_EQ(state.hand_size(1), 4);
  ASSERT_EQ(state.deck_size(), 3);

  using Hands = std::array<int, 6>;  // player 1's then player 2's A, 2, 3
  const std::array<int, 10> cards = {kAce, kAce,   kTwo,   kTwo,   kTwo,
                                     kTwo, kThree, kThree, kThree, kThree};
  std::map<Hands, double> hands_probability;
  std::map<int, double> top_probability;
  double fitting = 0;
  // Player 1's 4 cards and player 2's 3 as bit sets of the 10; the deck gets
  // the other 3, each equally likely on top.
  for (int one = 0; one < 1 << 10; ++one) {
    if (__builtin_popcount(one) != 4) continue;
    for (int two = 0; two < 1 << 10; ++two) {
      if (__builtin_popcount(two) != 3 || (one & two) != 0) continue;
      Hands hands{};
      for (int card = 0; card < 10; ++card) {
        if (one >> card & 1) ++hands[cards[card]];
        if (two >> card & 1) ++hands[3 + cards[card]];
      }
      const bool fits = hands[kThree] >= 1 && hands[3 + kThree] == 0 &&
                        *std::max_element(hands.begin(), hands.end()) < 4;
      if (!fits) continue;
      ++fitting;
      hands_probability[hands] += 1;
      for (int card = 0; card < 10; ++card) {
        if (((one | two) >> card & 1) == 0) {
          top_probability[cards[card]] += 1.0 / 3;
        }
      }
    }
  }
  for (auto& [hands, weight] : hands_probability) weight /= fitting;
  for (auto& [rank, weight] : top_probability) weight /= fitting;

  constexpr int kSamples = 20000;
  std::map<Hands, int> hands_seen;
  std::map<int, int> top_seen;
  Rng rng(2026);
  for (int i = 0; i < kSamples; ++i) {
    const std::unique_ptr<GoFishState> sample = determinised(state, 0, rng);
    Hands hands{};
    for (int rank = 0; rank < 3; ++rank) {
      hands[rank] = sample->hand_count(1, rank);
      hands[3 + rank] = sample->hand_count(2, rank);
    }
    ++hands_seen[hands];
    ++top_seen[sample->deck_card(0)];
  }
  EXPECT_GE(hands_probability.size(), 10u);
  expect_fits(hands_seen, hands_probability, kSamples);
  expect_fits(top_seen, top_probability, kSamples);
}

}  // namespace
}  // namespace selfplay
