// Go fish for 2 to 6 players with a standard 52-card deck.
//
// Rules as implemented:
// - The deck holds 13 ranks (A, 2, ..., 10, J, Q, K) of 4 cards each; suits
//   play no part. `new_initial_state(seed, players)` shuffles it with a
//   Fisher-Yates shuffle driven by selfplay::Rng seeded with
//   derive_seed(seed, GoFishState::kShuffleStream).
// - Cards are dealt one at a time from the top of the deck, round-robin from
//   player 0: 7 each for 2 or 3 players, 5 each for 4 to 6. The rest of the
//   deck stays face down.
// - Four cards of one rank in a hand form a book at once, the deal included:
//   they leave the hand and the holder scores one book.
// - Player 0 moves first. On their turn a player asks one opponent for a rank
//   they hold. They must name an opponent holding at least one card; only
//   when no opponent holds a card may they name any opponent (and the ask then
//   fails).
//   - If the opponent holds cards of that rank, they hand all of them over
//     and the asker goes again.
//   - Otherwise the asker "goes fishing": they draw the top card of the deck.
//     If it is the rank they asked for, they go again; otherwise, or if the
//     deck is empty, the turn passes to the next player (seat order, wrapping
//     round).
// - A player who is to move with an empty hand, at the start of a turn or
//   when going again, first draws one card if the deck has any; with both
//   their hand and the deck empty their turn is skipped.
// - The game ends when all 13 books are made. The winners are all players
//   with the most books; several winners share the win (scored like a draw),
//   so the list of winners is never empty.
//
// The turn logic cannot stall: in a game not yet over, the cards of the
// unfinished ranks are in hands or the deck, so the player to move either
// holds a card or draws one, and otherwise at most one round of skips finds
// a player who holds one. Every such player has a legal ask. A game holds at
// most 52 draws, and successful asks are finite too (each joins two players'
// holdings of a rank; only a draw adds a holding). Only a failed ask with an
// empty deck leaves the cards as they were, so a policy that keeps asking
// wrongly can prolong a game (the engine's max_actions truncates it), while
// a random policy ends every game with probability 1.
//
// Hidden information: a player sees their own hand, every hand's size, the
// books laid down (and so their ranks), the deck's size and every ask and
// its answer, but not the other hands nor the deck's order. The state keeps
// what the play has shown of each hand as bounds per player and rank (see
// known_at_least), and `determinize` deals the unseen cards again within
// them.
//
// Action opponent * 13 + rank asks `opponent` (a seat number) for `rank`,
// ranks numbered 0 (ace) to 12 (king); legal actions come by opponent, then
// by rank, both increasing. State and actions need no heap allocation.
//
//   std::unique_ptr<Game> game = make_go_fish_game();
//   std::unique_ptr<State> state = game->new_initial_state(seed, 4);
//   state->legal_actions(actions);  // GoFishState::ask(opponent, rank) each
//   state->apply_action(actions[0]);
#ifndef SELFPLAY_GAMES_GO_FISH_H_
#define SELFPLAY_GAMES_GO_FISH_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "selfplay/game.h"

namespace selfplay {

std::unique_ptr<Game> make_go_fish_game();

// A go fish position spelled out, for `GoFishState::from_position`.
struct GoFishPosition {
  // Per player: the number of cards of each rank in the hand, 0..3.
  std::vector<std::array<int, 13>> hands;
  // Per player: the books made so far.
  std::vector<int> books;
  // The ranks of the face-down cards, the next card drawn first.
  std::vector<int> deck;
  int to_move = 0;
};

class GoFishState final : public State {
 public:
  static constexpr int kRanks = 13;
  static constexpr int kCardsPerRank = 4;
  static constexpr int kDeckSize = kRanks * kCardsPerRank;
  static constexpr int kMinPlayers = 2;
  static constexpr int kMaxPlayers = 6;
  // Names the shuffle's stream of the game seed (see derive_seed).
  static constexpr std::uint64_t kShuffleStream = 2;

  // A shuffled deal for `players` players. Throws std::invalid_argument
  // unless kMinPlayers <= players <= kMaxPlayers.
  GoFishState(std::uint64_t seed, int players);

  // A position from its parts, settled as a turn starts: an empty-handed
  // player to move draws or is skipped, and the position may be terminal.
  // Returns InvalidArgument for a player count outside 2..6, a books list of
  // another length, `to_move` not a player, a hand count outside 0..3, a deck
  // card that is no rank, or cards that do not add up: each rank must have
  // all four cards in hands and deck or none, and the ranks with none must
  // number the books.
  [[nodiscard]] static absl::StatusOr<GoFishState> from_position(
      const GoFishPosition& position);

  // The 52 ranks in the order `GoFishState(seed, players)` deals them.
  static std::array<std::int8_t, kDeckSize> shuffled_deck(std::uint64_t seed);

  static constexpr Action ask(int opponent, int rank) {
    return opponent * kRanks + rank;
  }

  // Players and ranks must be in range; they are not checked.
  int hand_count(int player, int rank) const { return hands_[player][rank]; }
  int hand_size(int player) const { return hand_sizes_[player]; }
  int books(int player) const { return books_[player]; }
  int deck_size() const { return kDeckSize - deck_top_; }
  // The rank of the card `depth` places below the top of the deck (0: the
  // next drawn); `depth` must be below deck_size().
  int deck_card(int depth) const { return deck_[deck_top_ + depth]; }
  // What the play so far has shown everyone of `player`'s cards of `rank`:
  // they hold at least known_at_least and at most known_at_most of them.
  // An ask for a rank shows that the asker holds it; a handover, the cards
  // handed over; a "go fish", that the asked player holds none; fishing the
  // asked rank, the card drawn; a book, that no one holds the rank. Each
  // unseen card a player draws raises their upper bounds by one (except for
  // the rank they just failed to fish), to at most 3. A position from
  // `from_position` starts with no such knowledge.
  int known_at_least(int player, int rank) const {
    return known_at_least_[player][rank];
  }
  int known_at_most(int player, int rank) const {
    return known_at_most_[player][rank];
  }

  int num_players() const override { return num_players_; }
  int current_player() const override { return to_move_; }
  bool is_terminal() const override { return books_made_ == kRanks; }
  void legal_actions(std::vector<Action>& actions) const override;
  // `action` must be one of `legal_actions()`; it is not checked.
  void apply_action(Action action) override;
  std::vector<int> winners() const override;
  ActionKind action_kind(Action) const override { return 0; }
  // Covers the hands, books, deck size and player to move; not the order of
  // the deck, which no player sees.
  std::uint64_t hash() const override;
  std::unique_ptr<State> clone() const override;
  std::string to_string() const override;
  // One "card" per card in a hand, its rank index as property 0.
  void elements(std::vector<Element>& elements) const override;
  // Property 0: books made; property 1: cards in hand.
  std::int64_t player_property(int player, int property) const override;
  bool summarize(PositionSummary& summary) const override;
  // Keeps `observer`'s hand, every hand's size, the books, the deck's size,
  // the player to move and the knowledge bounds, and deals the cards
  // `observer` has not seen to the other hands and the deck: uniformly among
  // the deals that put within every known_at_least..known_at_most bound the
  // cards of each hand, the 4 cards of a rank told apart as in the real
  // shuffle, the deck in a uniformly random order. A simplification: the
  // bounds are all it respects of the past, not how the play came about
  // (for instance, which card of a hand was the one drawn last), nor what an
  // opponent's choice of asks suggests about their hand. Rejection sampling,
  // whose draws, like its result, depend only on what `observer` sees.
  std::unique_ptr<State> determinize(int observer, Rng& rng) const override;

 private:
  GoFishState() = default;

  // Draws the top card into `player`'s hand, unseen by the others except
  // that it is not of `not_rank` (-1: any rank).
  void draw(int player, int not_rank = -1);
  // Adds `count` cards of `rank` to `player`'s hand and lays down a book if
  // that completes the rank.
  void receive(int player, int rank, int count);
  // Gives the player to move an empty hand's draw, or skips them while the
  // deck is empty too.
  void settle();

  std::int8_t num_players_ = 0;
  std::int8_t to_move_ = 0;
  std::int8_t books_made_ = 0;
  std::int8_t deck_top_ = 0;  // index of the next card drawn
  std::array<std::array<std::int8_t, kRanks>, kMaxPlayers> hands_{};
  std::array<std::int8_t, kMaxPlayers> hand_sizes_{};
  std::array<std::int8_t, kMaxPlayers> books_{};
  std::array<std::int8_t, kDeckSize> deck_{};  // ranks; deck_top_ onwards
  // Public knowledge; see known_at_least.
  std::array<std::array<std::int8_t, kRanks>, kMaxPlayers> known_at_least_{};
  std::array<std::array<std::int8_t, kRanks>, kMaxPlayers> known_at_most_{};
  std::uint16_t booked_ranks_ = 0;  // bit r: rank r is booked
};

}  // namespace selfplay

#endif  // SELFPLAY_GAMES_GO_FISH_H_
