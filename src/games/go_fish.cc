#include "games/go_fish.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "absl/strings/str_cat.h"
#include "selfplay/position_summary.h"
#include "selfplay/random.h"

namespace selfplay {
namespace {

constexpr int kRanks = GoFishState::kRanks;

const char* const kRankNames[kRanks] = {"A", "2", "3",  "4", "5", "6", "7",
                                        "8", "9", "10", "J", "Q", "K"};

int cards_dealt_each(int players) { return players <= 3 ? 7 : 5; }

void check_players(int players) {
  if (players < GoFishState::kMinPlayers ||
      players > GoFishState::kMaxPlayers) {
    throw std::invalid_argument(
        absl::StrCat("go-fish: players must be in ", GoFishState::kMinPlayers,
                     "..", GoFishState::kMaxPlayers, ", not ", players));
  }
}

absl::Status invalid_position(const std::string& problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("go-fish position: ", problem));
}

GameStructure make_structure() {
  GameStructure s;
  s.name = "go-fish";
  s.description =
      "Go fish, 2-6 players, 52 cards: ask an opponent for a rank you hold, "
      "go fishing when they have none; most books wins";
  s.min_players = GoFishState::kMinPlayers;
  s.max_players = GoFishState::kMaxPlayers;
  s.default_players = 2;
  s.type = GameType::kCollection;
  PropertySpec rank;
  rank.name = "rank";
  rank.kind = PropertyKind::kString;
  rank.values.assign(std::begin(kRankNames), std::end(kRankNames));
  ElementType card;
  card.name = "card";
  card.owned = true;
  card.properties = {rank};
  s.element_types = {card};
  s.player_properties = {"books", "hand-size"};
  s.action_kinds = {"ask"};
  // opponent * kRanks + rank, for the largest table.
  s.num_actions = GoFishState::kMaxPlayers * GoFishState::kRanks;
  s.reports_mobility = false;
  s.deterministic = false;
  return s;
}

class GoFishGame final : public Game {
 public:
  GoFishGame() : structure_(make_structure()) {}

  const GameStructure& structure() const override { return structure_; }
  std::unique_ptr<State> new_initial_state(std::uint64_t seed,
                                           int players) const override {
    return std::make_unique<GoFishState>(seed, players);
  }

 private:
  GameStructure structure_;
};

}  // namespace

std::unique_ptr<Game> make_go_fish_game() {
  return std::make_unique<GoFishGame>();
}

std::array<std::int8_t, GoFishState::kDeckSize> GoFishState::shuffled_deck(
    std::uint64_t seed) {
  std::array<std::int8_t, kDeckSize> deck;
  for (int card = 0; card < kDeckSize; ++card) {
    deck[card] = static_cast<std::int8_t>(card / kCardsPerRank);
  }
  Rng rng(derive_seed(seed, kShuffleStream));
  for (int last = kDeckSize - 1; last > 0; --last) {
    std::swap(deck[last], deck[rng.uniform(last + 1)]);
  }
  return deck;
}

GoFishState::GoFishState(std::uint64_t seed, int players)
    : num_players_(static_cast<std::int8_t>(players)) {
  check_players(players);
  deck_ = shuffled_deck(seed);
  const int each = cards_dealt_each(players);
  for (int round = 0; round < each; ++round) {
    for (int player = 0; player < players; ++player) draw(player);
  }
  settle();
}

absl::StatusOr<GoFishState> GoFishState::from_position(
    const GoFishPosition& position) {
  const int players = static_cast<int>(position.hands.size());
  if (players < kMinPlayers || players > kMaxPlayers) {
    return invalid_position(absl::StrCat("needs ", kMinPlayers, "..",
                                         kMaxPlayers, " hands, not ", players));
  }
  if (static_cast<int>(position.books.size()) != players) {
    return invalid_position(absl::StrCat(
        "needs ", players, " book counts, not ", position.books.size()));
  }
  if (position.to_move < 0 || position.to_move >= players) {
    return invalid_position(
        absl::StrCat("player to move ", position.to_move, " is not a player"));
  }
  GoFishState state;
  state.num_players_ = static_cast<std::int8_t>(players);
  state.to_move_ = static_cast<std::int8_t>(position.to_move);
  std::array<int, kRanks> cards_of_rank{};
  int books = 0;
  for (int player = 0; player < players; ++player) {
    if (position.books[player] < 0 || position.books[player] > kRanks) {
      return invalid_position(absl::StrCat("player ", player, " has ",
                                           position.books[player], " books"));
    }
    books += position.books[player];
    state.books_[player] = static_cast<std::int8_t>(position.books[player]);
    for (int rank = 0; rank < kRanks; ++rank) {
      const int count = position.hands[player][rank];
      if (count < 0 || count >= kCardsPerRank) {
        return invalid_position(absl::StrCat("player ", player, " holds ",
                                             count, " of rank ",
                                             kRankNames[rank]));
      }
      state.hands_[player][rank] = static_cast<std::int8_t>(count);
      state.hand_sizes_[player] += static_cast<std::int8_t>(count);
      cards_of_rank[rank] += count;
    }
  }
  if (static_cast<int>(position.deck.size()) > kDeckSize) {
    return invalid_position("the deck holds more than 52 cards");
  }
  state.deck_top_ = static_cast<std::int8_t>(kDeckSize - position.deck.size());
  for (std::size_t i = 0; i < position.deck.size(); ++i) {
    const int rank = position.deck[i];
    if (rank < 0 || rank >= kRanks) {
      return invalid_position(absl::StrCat("deck card ", rank, " is no rank"));
    }
    state.deck_[state.deck_top_ + i] = static_cast<std::int8_t>(rank);
    ++cards_of_rank[rank];
  }
  int ranks_booked = 0;
  for (int rank = 0; rank < kRanks; ++rank) {
    if (cards_of_rank[rank] != 0 && cards_of_rank[rank] != kCardsPerRank) {
      return invalid_position(absl::StrCat(cards_of_rank[rank],
                                           " cards of rank ", kRankNames[rank],
                                           " in hands and deck, not 0 or 4"));
    }
    if (cards_of_rank[rank] == 0) ++ranks_booked;
  }
  if (ranks_booked != books) {
    return invalid_position(absl::StrCat(
        ranks_booked, " ranks are missing but ", books, " books were made"));
  }
  state.books_made_ = static_cast<std::int8_t>(books);
  state.settle();
  return state;
}

inline void GoFishState::draw(int player) {
  receive(player, deck_[deck_top_++], 1);
}

inline void GoFishState::receive(int player, int rank, int count) {
  std::int8_t& held = hands_[player][rank];
  held = static_cast<std::int8_t>(held + count);
  hand_sizes_[player] = static_cast<std::int8_t>(hand_sizes_[player] + count);
  if (held == kCardsPerRank) {
    held = 0;
    hand_sizes_[player] =
        static_cast<std::int8_t>(hand_sizes_[player] - kCardsPerRank);
    ++books_[player];
    ++books_made_;
  }
}

void GoFishState::settle() {
  if (is_terminal()) return;
  // Some hand holds a card while books are missing and the deck is empty,
  // so this loop ends within one round; the bound is a guard.
  for (int skipped = 0; hand_sizes_[to_move_] == 0; ++skipped) {
    if (deck_top_ < kDeckSize) {
      draw(to_move_);  // one card into an empty hand never makes a book
      return;
    }
    if (skipped == num_players_) {
      throw std::logic_error("go-fish: no player holds a card");
    }
    to_move_ = static_cast<std::int8_t>((to_move_ + 1) % num_players_);
  }
}

void GoFishState::legal_actions(std::vector<Action>& actions) const {
  actions.clear();
  if (is_terminal()) return;
  // The ranks held, gathered without a branch per rank (whether a rank is
  // held is close to a coin flip, which a branch predictor cannot learn).
  std::array<int, kRanks> held;
  int held_count = 0;
  const std::array<std::int8_t, kRanks>& hand = hands_[to_move_];
  for (int rank = 0; rank < kRanks; ++rank) {
    held[held_count] = rank;
    held_count += hand[rank] > 0;
  }
  std::array<int, kMaxPlayers> opponents;
  int opponent_count = 0;
  for (int opponent = 0; opponent < num_players_; ++opponent) {
    if (opponent != to_move_ && hand_sizes_[opponent] > 0) {
      opponents[opponent_count++] = opponent;
    }
  }
  if (opponent_count == 0) {
    for (int opponent = 0; opponent < num_players_; ++opponent) {
      if (opponent != to_move_) opponents[opponent_count++] = opponent;
    }
  }
  actions.resize(static_cast<std::size_t>(opponent_count * held_count));
  Action* out = actions.data();
  for (int i = 0; i < opponent_count; ++i) {
    for (int j = 0; j < held_count; ++j) *out++ = ask(opponents[i], held[j]);
  }
}

void GoFishState::apply_action(Action action) {
  const int opponent = action / kRanks, rank = action % kRanks;
  const int asker = to_move_;
  if (const int given = hands_[opponent][rank]; given > 0) {
    hands_[opponent][rank] = 0;
    hand_sizes_[opponent] =
        static_cast<std::int8_t>(hand_sizes_[opponent] - given);
    receive(asker, rank, given);
  } else if (deck_top_ < kDeckSize) {
    const int drawn = deck_[deck_top_];
    draw(asker);
    if (drawn != rank) {
      to_move_ = static_cast<std::int8_t>((asker + 1) % num_players_);
    }
  } else {
    to_move_ = static_cast<std::int8_t>((asker + 1) % num_players_);
  }
  settle();
}

std::vector<int> GoFishState::winners() const {
  if (!is_terminal()) return {};
  const int most =
      *std::max_element(books_.begin(), books_.begin() + num_players_);
  std::vector<int> winners;
  for (int player = 0; player < num_players_; ++player) {
    if (books_[player] == most) winners.push_back(player);
  }
  return winners;
}

std::uint64_t GoFishState::hash() const {
  // Each hand packs into 26 bits (2 bits per rank count, which is at most 3),
  // two hands to a word; books, deck size and the player to move share the
  // last word. The packing is exact, and the words are folded through the
  // SplitMix64 finaliser.
  constexpr std::uint64_t kSalt = 0x676f2d6669736800ULL;  // "go-fish"
  std::uint64_t hash = kSalt;
  for (int pair = 0; pair < kMaxPlayers / 2; ++pair) {
    std::uint64_t word = 0;
    for (int player = 2 * pair; player < 2 * pair + 2; ++player) {
      for (int rank = 0; rank < kRanks; ++rank) {
        word = word << 2 | static_cast<std::uint64_t>(hands_[player][rank]);
      }
    }
    hash = splitmix64_mix(hash ^ word);
  }
  std::uint64_t word = 0;
  for (int player = 0; player < kMaxPlayers; ++player) {
    word = word << 4 | static_cast<std::uint64_t>(books_[player]);
  }
  word = word << 6 | static_cast<std::uint64_t>(deck_size());
  word = word << 3 | static_cast<std::uint64_t>(to_move_);
  word = word << 3 | static_cast<std::uint64_t>(num_players_);
  return splitmix64_mix(hash ^ word);
}

std::unique_ptr<State> GoFishState::clone() const {
  return std::make_unique<GoFishState>(*this);
}

std::string GoFishState::to_string() const {
  std::string text;
  for (int player = 0; player < num_players_; ++player) {
    absl::StrAppend(&text, player == to_move_ && !is_terminal() ? "> " : "  ",
                    "player ", player, ": ", static_cast<int>(books_[player]),
                    " books, hand");
    for (int rank = 0; rank < kRanks; ++rank) {
      for (int i = 0; i < hands_[player][rank]; ++i) {
        absl::StrAppend(&text, " ", kRankNames[rank]);
      }
    }
    text += '\n';
  }
  absl::StrAppend(&text, "deck: ", deck_size(), " cards\n");
  if (is_terminal()) absl::StrAppend(&text, "game over\n");
  return text;
}

void GoFishState::elements(std::vector<Element>& elements) const {
  elements.clear();
  for (int player = 0; player < num_players_; ++player) {
    for (int rank = 0; rank < kRanks; ++rank) {
      Element card{.type = 0, .owner = static_cast<std::int16_t>(player)};
      card.properties[0] = rank;
      elements.insert(elements.end(), hands_[player][rank], card);
    }
  }
}

bool GoFishState::summarize(PositionSummary& summary) const {
  for (int player = 0; player < num_players_; ++player) {
    summary.set_count(0, player, hand_sizes_[player]);
    for (int rank = 0; rank < kRanks; ++rank) {
      summary.set_string_value(0, 0, rank, player, hands_[player][rank]);
    }
    summary.set_player_property(0, player, books_[player]);
    summary.set_player_property(1, player, hand_sizes_[player]);
  }
  return true;
}

std::int64_t GoFishState::player_property(int player, int property) const {
  switch (property) {
    case 0:
      return books_[player];
    case 1:
      return hand_sizes_[player];
    default:
      return 0;
  }
}

}  // namespace selfplay
