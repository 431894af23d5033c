#include "simulation/game_player.h"

#include <bit>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>

#include "selfplay/random.h"

namespace selfplay {
namespace {

// Names the policy's RNG stream, independent of any chance inside the game.
constexpr std::uint64_t kPolicyStream = 1;

std::size_t round_up_to_power_of_two(int entries) {
  return std::bit_ceil(static_cast<std::size_t>(entries));
}

// A player's outcome in half-units: 2 sole winner, 1 draw or shared win.
std::uint64_t outcome_half_units(const std::vector<int>& winners, int player) {
  if (winners.empty()) return 1;
  for (int winner : winners) {
    if (winner == player) return winners.size() == 1 ? 2 : 1;
  }
  return 0;
}

void add_to_table(OutcomeTable& table, std::uint64_t held,
                  std::uint64_t not_held, std::uint64_t half_units) {
  table.true_won += held * half_units;
  table.true_lost += held * (2 - half_units);
  table.false_won += not_held * half_units;
  table.false_lost += not_held * (2 - half_units);
}

}  // namespace

FeatureCache::FeatureCache(int entries, int words) : words_(words) {
  if (entries <= 0 || words == 0) return;
  keys_.assign(round_up_to_power_of_two(entries), 0);
  bits_.assign(keys_.size() * words, 0);
}

std::uint64_t FeatureCache::key_of(std::uint64_t hash, int player) {
  // Mixed so that hashes differing only in high bits spread over slots, and
  // never 0 (the empty marker).
  return splitmix64_mix(hash +
                        static_cast<std::uint64_t>(player) * kGoldenGamma) |
         1;
}

bool FeatureCache::lookup(std::uint64_t hash, int player, std::uint64_t* bits) {
  ++lookups_;
  const std::uint64_t key = key_of(hash, player);
  const std::size_t at = slot(key);
  if (keys_[at] != key) return false;
  ++hits_;
  std::copy_n(bits_.data() + at * words_, words_, bits);
  return true;
}

void FeatureCache::store(std::uint64_t hash, int player,
                         const std::uint64_t* bits) {
  const std::uint64_t key = key_of(hash, player);
  const std::size_t at = slot(key);
  keys_[at] = key;
  std::copy_n(bits, words_, bits_.data() + at * words_);
}

GamePlayer::GamePlayer(const Game& game, const FeatureSet& features,
                       const SimulationOptions& options, int players)
    : game_(game),
      features_(features),
      options_(options),
      players_(players),
      feature_count_(features.size()),
      kind_count_(static_cast<int>(game.structure().action_kinds.size())),
      has_timeout_(options.game_timeout > absl::ZeroDuration() &&
                   options.game_timeout != absl::InfiniteDuration()),
      policies_(players, nullptr),
      bits_(features.words()),
      cache_(options.feature_cache_entries, features.words()),
      decisions_(players),
      feature_true_(static_cast<std::size_t>(players) * feature_count_),
      kind_taken_(static_cast<std::size_t>(players) * kind_count_),
      kind_not_taken_(static_cast<std::size_t>(players) * kind_count_) {
  for (std::size_t seat = 0;
       seat < options.policies.size() && seat < policies_.size(); ++seat) {
    policies_[seat] = options.policies[seat];
  }
  actions_.reserve(256);
}

void GamePlayer::reset_game_tallies() {
  std::fill(decisions_.begin(), decisions_.end(), 0);
  std::fill(feature_true_.begin(), feature_true_.end(), 0);
  std::fill(kind_taken_.begin(), kind_taken_.end(), 0);
  std::fill(kind_not_taken_.begin(), kind_not_taken_.end(), 0);
}

void GamePlayer::record_decision(const State& state, int player,
                                 Action chosen) {
  ++decisions_[player];
  std::uint32_t* taken = kind_taken_.data() + player * kind_count_;
  if (kind_count_ == 1) {
    ++taken[0];
  } else {
    std::uint64_t available = 0;
    for (Action action : actions_) {
      const ActionKind kind = state.action_kind(action);
      if (kind >= kind_count_) {
        throw std::out_of_range("action kind " + std::to_string(kind) +
                                " is not declared in the game structure");
      }
      available |= std::uint64_t{1} << kind;
    }
    const ActionKind chosen_kind = state.action_kind(chosen);
    ++taken[chosen_kind];
    available &= ~(std::uint64_t{1} << chosen_kind);
    std::uint32_t* not_taken = kind_not_taken_.data() + player * kind_count_;
    for (; available != 0; available &= available - 1) {
      ++not_taken[std::countr_zero(available)];
    }
  }
  if (feature_count_ == 0) return;
  std::uint64_t* bits = bits_.data();
  if (!cache_.enabled() || !cache_.lookup(state.hash(), player, bits)) {
    features_.evaluate(state, player, scratch_, bits);
    if (cache_.enabled()) cache_.store(state.hash(), player, bits);
  }
  std::uint32_t* feature_true = feature_true_.data() + player * feature_count_;
  for (int w = 0; w < features_.words(); ++w) {
    for (std::uint64_t word = bits[w]; word != 0; word &= word - 1) {
      ++feature_true[w * 64 + std::countr_zero(word)];
    }
  }
}

void GamePlayer::add_completed_game(const std::vector<int>& winners,
                                    SimulationCounts& counts) const {
  for (int p = 0; p < players_; ++p) {
    const std::uint64_t half_units = outcome_half_units(winners, p);
    SeatCounts& seat = counts.seats[p];
    (half_units == 2   ? seat.wins
     : half_units == 1 ? seat.draws
                       : seat.losses)++;
    const std::uint64_t decisions = decisions_[p];
    for (int f = 0; f < feature_count_; ++f) {
      const std::uint64_t held = feature_true_[p * feature_count_ + f];
      add_to_table(counts.features[f], held, decisions - held, half_units);
    }
    for (int k = 0; k < kind_count_; ++k) {
      add_to_table(counts.actions[k], kind_taken_[p * kind_count_ + k],
                   kind_not_taken_[p * kind_count_ + k], half_units);
    }
  }
}

GameSummary GamePlayer::play(std::uint64_t index, SimulationCounts& counts) {
  GameSummary summary;
  summary.game_index = index;
  summary.seed = seed_for(options_.seed, index);
  reset_game_tallies();
  ++counts.games;
  std::uint32_t actions_played = 0;
  try {
    std::unique_ptr<State> state =
        game_.new_initial_state(summary.seed, players_);
    Rng rng(derive_seed(summary.seed, kPolicyStream));
    const auto deadline =
        has_timeout_ ? std::chrono::steady_clock::now() +
                           absl::ToChronoNanoseconds(options_.game_timeout)
                     : std::chrono::steady_clock::time_point::max();
    while (!state->is_terminal()) {
      if (actions_played >= static_cast<std::uint32_t>(options_.max_actions)) {
        summary.status = GameStatus::kTruncated;
        break;
      }
      if (has_timeout_ && actions_played % 64 == 0 &&
          std::chrono::steady_clock::now() > deadline) {
        summary.status = GameStatus::kTimedOut;
        break;
      }
      const int player = state->current_player();
      if (player < 0 || player >= players_) {
        throw std::out_of_range("current player " + std::to_string(player) +
                                " is not a seat");
      }
      state->legal_actions(actions_);
      if (actions_.empty()) {
        throw std::logic_error("no legal actions in a non-terminal state");
      }
      const Policy* policy = policies_[player];
      const Action action =
          policy != nullptr ? policy->choose_action(*state, actions_, rng)
                            : actions_[rng.uniform(
                                  static_cast<std::uint32_t>(actions_.size()))];
      record_decision(*state, player, action);
      state->apply_action(action);
      ++actions_played;
    }
    summary.actions = actions_played;
    if (summary.status == GameStatus::kCompleted) {
      summary.winners = state->winners();
      for (int winner : summary.winners) {
        if (winner < 0 || winner >= players_) {
          throw std::out_of_range("winner " + std::to_string(winner) +
                                  " is not a seat");
        }
      }
    }
  } catch (const std::exception& error) {
    summary.status = GameStatus::kFailed;
    counts.add_failure({index, summary.seed, error.what()});
  } catch (...) {
    summary.status = GameStatus::kFailed;
    counts.add_failure({index, summary.seed, "unknown exception"});
  }
  switch (summary.status) {
    case GameStatus::kCompleted:
      ++counts.completed;
      counts.states += actions_played;
      if (counts.length_histogram.size() <= actions_played) {
        counts.length_histogram.resize(actions_played + 1);
      }
      ++counts.length_histogram[actions_played];
      add_completed_game(summary.winners, counts);
      break;
    case GameStatus::kTimedOut:
      ++counts.timed_out;
      [[fallthrough]];
    case GameStatus::kTruncated:
      ++counts.truncated;
      counts.states += actions_played;
      break;
    case GameStatus::kFailed:
      ++counts.failed;
      summary.actions = actions_played;
      summary.winners.clear();
      break;
  }
  return summary;
}

}  // namespace selfplay
