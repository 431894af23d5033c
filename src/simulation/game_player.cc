#include "simulation/game_player.h"

#include <bit>
#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>

#include "selfplay/random.h"
#include "simulation/game_loop.h"
#include "tbb/task_arena.h"

namespace selfplay {
namespace {

std::size_t round_up_to_power_of_two(int entries) {
  return std::bit_ceil(static_cast<std::size_t>(entries));
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
  if (++lookups_ == kProbeLookups &&
      static_cast<double>(hits_) < kMinHitRate * kProbeLookups) {
    keys_ = {};
    bits_ = {};
    return false;
  }
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
      tally_(players, feature_count_, kind_count_) {
  for (std::size_t seat = 0;
       seat < options.policies.size() && seat < policies_.size(); ++seat) {
    policies_[seat] = options.policies[seat];
  }
  actions_.reserve(256);
}

template <bool kRecord>
void GamePlayer::tally_decision(const State& state, int player, Action chosen,
                                GameRecord* record) {
  tally_.add_decision(player);
  if (kind_count_ == 1) {
    tally_.add_kind_taken(player, 0);
    if constexpr (kRecord) record->decisions.push_back({player, 0, 1});
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
    if constexpr (kRecord) {
      record->decisions.push_back({player, chosen_kind, available});
    }
    tally_.add_kind_taken(player, chosen_kind);
    tally_.add_kinds_not_taken(player,
                               available & ~(std::uint64_t{1} << chosen_kind));
  }
  if (feature_count_ == 0) return;
  std::uint64_t* bits = bits_.data();
  // A game without a hash of its own (State::hash's default) never uses the
  // cache.
  const std::uint64_t hash = cache_.enabled() ? state.hash() : kNoStateHash;
  if (hash == kNoStateHash || !cache_.lookup(hash, player, bits)) {
    features_.evaluate(state, player, scratch_, bits);
    // The lookup may have switched the cache off.
    if (hash != kNoStateHash && cache_.enabled()) {
      cache_.store(hash, player, bits);
    }
  }
  if constexpr (kRecord) {
    record->feature_bits.insert(record->feature_bits.end(), bits,
                                bits + bits_.size());
  }
  tally_.add_features(player, bits);
}

GameSummary GamePlayer::play(std::uint64_t index, SimulationCounts& counts,
                             GameRecord* record) {
  // Looked up per game: a thread may hold another arena slot after it left
  // the arena and came back.
  std::atomic<std::uint64_t>* playing = nullptr;
  if (!options_.playing.empty()) {
    const int slot = tbb::this_task_arena::current_thread_index();
    if (slot >= 0 && static_cast<std::size_t>(slot) < options_.playing.size()) {
      playing = &options_.playing[slot];
      playing->store(index + 1, std::memory_order_release);
    }
  }
  GameSummary summary = record == nullptr
                            ? play_game<false>(index, counts, nullptr)
                            : play_game<true>(index, counts, record);
  if (playing != nullptr) playing->store(0, std::memory_order_release);
  return summary;
}

template <bool kRecord>
GameSummary GamePlayer::play_game(std::uint64_t index, SimulationCounts& counts,
                                  GameRecord* record) {
  GameSummary summary;
  summary.game_index = index;
  summary.seed = seed_for(options_.seed, index);
  tally_.reset();
  if constexpr (kRecord) {
    record->decisions.clear();
    record->feature_bits.clear();
    record->error.clear();
    record->feature_words = static_cast<int>(bits_.size());
  }
  std::uint32_t actions_played = 0;
  try {
    std::unique_ptr<State> state =
        game_.new_initial_state(summary.seed, players_);
    Rng rng(derive_seed(summary.seed, kPolicyStream));
    LoopLimits limits{static_cast<std::uint32_t>(options_.max_actions)};
    if (has_timeout_) {
      limits.deadline = std::chrono::steady_clock::now() +
                        absl::ToChronoNanoseconds(options_.game_timeout);
    }
    const LoopEnd end = play_game_loop(
        *state, players_, limits, policies_, rng, actions_, actions_played,
        [&](const State& position, int player, Action action) {
          tally_decision<kRecord>(position, player, action, record);
        });
    summary.actions = actions_played;
    if (end == LoopEnd::kTruncated) summary.status = GameStatus::kTruncated;
    if (end == LoopEnd::kTimedOut) summary.status = GameStatus::kTimedOut;
    if (end == LoopEnd::kTerminal) {
      summary.winners = checked_winners(*state, players_);
    }
  } catch (const std::exception& error) {
    summary.status = GameStatus::kFailed;
    if constexpr (kRecord) record->error = error.what();
    counts.add_failure({index, summary.seed, error.what()});
  } catch (...) {
    summary.status = GameStatus::kFailed;
    if constexpr (kRecord) record->error = "unknown exception";
    counts.add_failure({index, summary.seed, "unknown exception"});
  }
  if (summary.status == GameStatus::kFailed) {
    summary.actions = actions_played;
    summary.winners.clear();
  }
  tally_.add_game(summary.status, actions_played, summary.winners, counts);
  if constexpr (kRecord) {
    record->game_index = index;
    record->seed = summary.seed;
    record->status = summary.status;
    record->winners = summary.winners;
    if (summary.status == GameStatus::kFailed) {
      record->decisions.clear();
      record->feature_bits.clear();
    }
  }
  return summary;
}

}  // namespace selfplay
