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
  s.hidden_information = true;
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
    if (cards_of_rank[rank] == 0) {
      ++ranks_booked;
      state.booked_ranks_ |= static_cast<std::uint16_t>(1u << rank);
    }
    // Nothing is shown yet: any player may hold up to 3 of an unbooked rank.
    for (int player = 0; player < players; ++player) {
      state.known_at_most_[player][rank] =
          static_cast<std::int8_t>(cards_of_rank[rank] == 0 ? 0 : 3);
    }
  }
  if (ranks_booked != books) {
    return invalid_position(absl::StrCat(
        ranks_booked, " ranks are missing but ", books, " books were made"));
  }
  state.books_made_ = static_cast<std::int8_t>(books);
  state.settle();
  return state;
}

inline void GoFishState::draw(int player, int not_rank) {
  // Without a branch per rank, as in legal_actions.
  std::array<std::int8_t, kRanks>& at_most = known_at_most_[player];
  for (int rank = 0; rank < kRanks; ++rank) {
    const bool may_be = rank != not_rank && (booked_ranks_ >> rank & 1) == 0;
    at_most[rank] = static_cast<std::int8_t>(
        std::min(kCardsPerRank - 1, at_most[rank] + (may_be ? 1 : 0)));
  }
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
    // A book is laid down face up: no one holds the rank any more.
    booked_ranks_ |= static_cast<std::uint16_t>(1u << rank);
    for (int holder = 0; holder < num_players_; ++holder) {
      known_at_least_[holder][rank] = 0;
      known_at_most_[holder][rank] = 0;
    }
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
  // Everyone hears the ask and its answer: the asker holds the rank, and the
  // opponent holds none of it afterwards, whether they handed cards over or
  // said "go fish".
  std::int8_t& asker_least = known_at_least_[asker][rank];
  std::int8_t& asker_most = known_at_most_[asker][rank];
  asker_least = std::max<std::int8_t>(asker_least, 1);
  known_at_least_[opponent][rank] = 0;
  known_at_most_[opponent][rank] = 0;
  if (const int given = hands_[opponent][rank]; given > 0) {
    hands_[opponent][rank] = 0;
    hand_sizes_[opponent] =
        static_cast<std::int8_t>(hand_sizes_[opponent] - given);
    asker_least = static_cast<std::int8_t>(asker_least + given);
    asker_most = static_cast<std::int8_t>(
        std::min(kCardsPerRank - 1, asker_most + given));
    receive(asker, rank, given);  // a book clears both bounds
  } else if (deck_top_ < kDeckSize) {
    if (deck_[deck_top_] == rank) {
      // Fishing the asked rank shows the card: the asker goes again.
      ++asker_least;
      asker_most =
          static_cast<std::int8_t>(std::min(kCardsPerRank - 1, asker_most + 1));
      receive(asker, deck_[deck_top_++], 1);
    } else {
      draw(asker, rank);
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

std::unique_ptr<State> GoFishState::determinize(int observer, Rng& rng) const {
  // The cards the observer has not seen, in rank order, and the places they
  // go: each other hand's cards beyond those shown, then the deck.
  std::array<std::int8_t, kDeckSize> unseen;
  int unseen_count = 0;
  for (int rank = 0; rank < kRanks; ++rank) {
    if (booked_ranks_ >> rank & 1) continue;
    int count = kCardsPerRank - hands_[observer][rank];
    for (int player = 0; player < num_players_; ++player) {
      if (player != observer) count -= known_at_least_[player][rank];
    }
    for (int i = 0; i < count; ++i) {
      unseen[unseen_count++] = static_cast<std::int8_t>(rank);
    }
  }
  std::array<int, kMaxPlayers> places{};
  int hand_places = 0;
  for (int player = 0; player < num_players_; ++player) {
    if (player == observer) continue;
    places[player] = hand_sizes_[player];
    for (int rank = 0; rank < kRanks; ++rank) {
      places[player] -= known_at_least_[player][rank];
    }
    hand_places += places[player];
  }
  if (hand_places + deck_size() != unseen_count) {
    throw std::logic_error("go-fish: the unseen cards do not fill the places");
  }
  auto sample = std::unique_ptr<GoFishState>(new GoFishState(*this));
  // The cards already drawn are no one's business either.
  sample->deck_.fill(0);
  // Rejection sampling. A deal puts the shown cards in place and shuffles
  // the unseen ones into the rest, then is kept when it fits the upper
  // bounds and, for each hand's shown cards of a rank, with chance
  // 1 / C(held, shown): a deal with `held` cards of the rank arises from
  // C(held, shown) choices of which are the shown ones, so the kept deals
  // are uniform among those that fit (the 4 cards of a rank told apart, as
  // in the real shuffle). The real deal fits, so the loop ends; the bound
  // is a guard.
  constexpr int kMaxDeals = 1'000'000;
  for (int deal = 0; deal < kMaxDeals; ++deal) {
    for (int last = unseen_count - 1; last > 0; --last) {
      std::swap(unseen[last],
                unseen[rng.uniform(static_cast<std::uint32_t>(last + 1))]);
    }
    bool fits = true;
    int next = 0;
    for (int player = 0; player < num_players_ && fits; ++player) {
      if (player == observer) continue;
      std::array<std::int8_t, kRanks>& hand = sample->hands_[player];
      hand = known_at_least_[player];
      for (int i = 0; i < places[player] && fits; ++i) {
        const int rank = unseen[next++];
        fits = ++hand[rank] <= known_at_most_[player][rank];
      }
    }
    for (int player = 0; player < num_players_ && fits; ++player) {
      if (player == observer) continue;
      for (int rank = 0; rank < kRanks && fits; ++rank) {
        // C(held, shown) for held <= 3.
        constexpr int kChoose[4][4] = {
            {1, 0, 0, 0}, {1, 1, 0, 0}, {1, 2, 1, 0}, {1, 3, 3, 1}};
        const int choices = kChoose[sample->hands_[player][rank]]
                                   [known_at_least_[player][rank]];
        fits = choices == 1 || rng.uniform(choices) == 0;
      }
    }
    if (fits) {
      std::copy(unseen.begin() + hand_places, unseen.begin() + unseen_count,
                sample->deck_.begin() + deck_top_);
      return sample;
    }
  }
  throw std::logic_error("go-fish: no deal fits what the observer has seen");
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
