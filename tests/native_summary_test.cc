// Differential tests of the games' native position summaries: on every
// position of tic-tac-toe and on a million positions from random play of each
// other bundled game, the candidate feature bits from the native path equal
// those of the generic element path, for every seat, and the native path's
// bits are the same with the AVX2 kernels as with the portable ones
// (vector_kernels.h). The generic path is reached through a wrapper state
// that forwards everything but `summarize`.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "selfplay/bitboard_lines.h"
#include "selfplay/features.h"
#include "selfplay/position_summary.h"
#include "selfplay/random.h"
#include "selfplay/registry.h"
#include "selfplay/simulation.h"
#include "selfplay/vector_kernels.h"
#include "simulation/game_player.h"

namespace selfplay {
namespace {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr int kPositionsPerGame = 50'000;  // sanitizers run ~10x slower
#else
constexpr int kPositionsPerGame = 1'000'000;
#endif

// The portable kernels while in scope (vector_kernels.h).
struct PortableKernels {
  PortableKernels() { set_vector_kernels(false); }
  ~PortableKernels() { set_vector_kernels(true); }
};

// The same position without a native summary, so features take the generic
// path through elements(), player_property() and mobility().
class GenericOnly final : public State {
 public:
  explicit GenericOnly(const State& inner) : inner_(inner) {}
  int num_players() const override { return inner_.num_players(); }
  int current_player() const override { return inner_.current_player(); }
  bool is_terminal() const override { return inner_.is_terminal(); }
  void legal_actions(std::vector<Action>& actions) const override {
    inner_.legal_actions(actions);
  }
  void apply_action(Action) override {}
  std::vector<int> winners() const override { return inner_.winners(); }
  ActionKind action_kind(Action action) const override {
    return inner_.action_kind(action);
  }
  std::uint64_t hash() const override { return inner_.hash(); }
  std::unique_ptr<State> clone() const override { return nullptr; }
  std::string to_string() const override { return inner_.to_string(); }
  void elements(std::vector<Element>& elements) const override {
    inner_.elements(elements);
  }
  std::int64_t player_property(int player, int property) const override {
    return inner_.player_property(player, property);
  }
  int mobility(int player) const override { return inner_.mobility(player); }

 private:
  const State& inner_;
};

class Comparer {
 public:
  explicit Comparer(const Game& game)
      : features_(*generate_candidate_features(game.structure())),
        native_(features_.words()),
        portable_(features_.words()),
        generic_(features_.words()) {}

  // Compares both paths for every seat; false (with a message) on the first
  // difference.
  bool same_for_every_seat(const State& state) {
    const GenericOnly generic_state(state);
    for (int player = 0; player < state.num_players(); ++player) {
      features_.evaluate(state, player, scratch_, native_.data());
      features_.evaluate(generic_state, player, scratch_, generic_.data());
      {
        const PortableKernels portable;
        features_.evaluate(state, player, scratch_, portable_.data());
      }
      ++evaluations_;
      if (native_ != portable_) {
        ADD_FAILURE() << "the AVX2 and portable kernels differ for player "
                      << player << " in\n"
                      << state.to_string();
        return false;
      }
      if (native_ != generic_) {
        ADD_FAILURE() << "feature " << first_difference() << " differs for "
                      << "player " << player << " in\n"
                      << state.to_string();
        return false;
      }
    }
    return true;
  }
  std::int64_t evaluations() const { return evaluations_; }
  int feature_count() const { return features_.size(); }

 private:
  std::string first_difference() const {
    for (int i = 0; i < features_.size(); ++i) {
      if (((native_[i / 64] ^ generic_[i / 64]) >> (i % 64)) & 1) {
        return features_.infos()[i].id + (((native_[i / 64] >> (i % 64)) & 1)
                                              ? " (native true)"
                                              : " (native false)");
      }
    }
    return "?";
  }

  FeatureSet features_;
  FeatureScratch scratch_;
  std::vector<std::uint64_t> native_, portable_, generic_;
  std::int64_t evaluations_ = 0;
};

// Every position on the way, the terminal ones included, of random games
// until `positions` have been compared.
void compare_random_play(const Game& game, int players, int positions) {
  Comparer comparer(game);
  ASSERT_GT(comparer.feature_count(), 0);
  std::vector<Action> legal;
  int compared = 0;
  for (std::uint64_t i = 0; compared < positions; ++i) {
    const std::uint64_t seed = seed_for(20261202, i);
    std::unique_ptr<State> state = game.new_initial_state(seed, players);
    Rng rng(seed);
    for (;;) {
      ASSERT_TRUE(comparer.same_for_every_seat(*state))
          << game.name() << " game " << i << ", position " << compared;
      ++compared;
      if (state->is_terminal()) break;
      state->legal_actions(legal);
      state->apply_action(
          legal[rng.uniform(static_cast<std::uint32_t>(legal.size()))]);
      // Play on from copies too: a clone must carry what the native path
      // reads (hex's group bitboards, for one).
      if (compared % 7 == 0) state = state->clone();
    }
  }
  EXPECT_GE(comparer.evaluations(),
            static_cast<std::int64_t>(positions) * players);
}

const GameRegistry& registry() {
  static const GameRegistry kRegistry = GameRegistry::with_bundled_games();
  return kRegistry;
}

const Game& game_named(const std::string& name) {
  return **registry().find(name);
}

TEST(NativeSummary, EveryBundledGameHasANativePath) {
  for (const Game* game : registry().games()) {
    const SummaryLayout layout = make_summary_layout(game->structure());
    std::vector<std::int64_t> values(layout.size());
    PositionSummary summary(layout, values.data());
    EXPECT_TRUE(game->new_initial_state(1, game->structure().default_players)
                    ->summarize(summary))
        << game->name();
  }
}

TEST(NativeSummary, TicTacToeEveryPositionEqualsTheGenericPath) {
  const Game& game = game_named("tic-tac-toe");
  Comparer comparer(game);
  std::int64_t positions = 0;
  std::vector<std::unique_ptr<State>> stack;
  stack.push_back(game.new_initial_state(0, 2));
  std::vector<Action> legal;
  // Depth first over the whole game tree: 549,946 positions.
  while (!stack.empty()) {
    std::unique_ptr<State> state = std::move(stack.back());
    stack.pop_back();
    ASSERT_TRUE(comparer.same_for_every_seat(*state));
    ++positions;
    state->legal_actions(legal);
    for (Action action : legal) {
      stack.push_back(state->clone());
      stack.back()->apply_action(action);
    }
  }
  EXPECT_EQ(positions, 549'946);
}

TEST(NativeSummary, ConnectFourEqualsTheGenericPath) {
  compare_random_play(game_named("connect-four"), 2, kPositionsPerGame);
}

TEST(NativeSummary, CheckersEqualsTheGenericPath) {
  compare_random_play(game_named("checkers"), 2, kPositionsPerGame);
}

TEST(NativeSummary, Hex7EqualsTheGenericPath) {
  compare_random_play(game_named("hex"), 2, kPositionsPerGame);
}

TEST(NativeSummary, Hex9EqualsTheGenericPath) {
  compare_random_play(game_named("hex-9"), 2, kPositionsPerGame);
}

TEST(NativeSummary, Hex11EqualsTheGenericPath) {
  compare_random_play(game_named("hex-11"), 2, kPositionsPerGame);
}

TEST(NativeSummary, GoFishEqualsTheGenericPathForTwoToSixPlayers) {
  for (int players = 2; players <= 6; ++players) {
    compare_random_play(game_named("go-fish"), players, kPositionsPerGame / 5);
  }
}

// The AVX2 kernels run by default exactly where the CPU has AVX2, and the
// switch turns them off and on again.
TEST(VectorKernels, OnWhereTheCpuHasAvx2AndSwitchable) {
#if defined(__x86_64__)
  EXPECT_EQ(vector_kernels_enabled(), __builtin_cpu_supports("avx2") != 0);
#else
  EXPECT_FALSE(vector_kernels_enabled());
#endif
  const bool by_default = vector_kernels_enabled();
  {
    const PortableKernels portable;
    EXPECT_FALSE(vector_kernels_enabled());
  }
  EXPECT_EQ(vector_kernels_enabled(), by_default);
}

// Line counts against a brute force over explicit cells, on random boards
// with any mix of pieces (not only reachable ones), in both bit layouts, by
// each kernel.
TEST(BitboardLines, CountsEqualABruteForceOverCells) {
  struct Board {
    int rows, columns, length, row_stride, column_stride;
  };
  for (const Board& b :
       {Board{3, 3, 3, 3, 1}, Board{6, 7, 4, 1, 7}, Board{5, 5, 4, 5, 1},
        Board{8, 8, 5, 8, 1}, Board{6, 7, 6, 1, 7}}) {
    const BitboardLines lines(b.rows, b.columns, b.length, b.row_stride,
                              b.column_stride);
    Rng rng(b.rows * 100 + b.columns);
    for (int trial = 0; trial < 2000; ++trial) {
      std::vector<int> owner(b.rows * b.columns);
      std::uint64_t bits[2] = {0, 0};
      for (int row = 0; row < b.rows; ++row) {
        for (int column = 0; column < b.columns; ++column) {
          const int o = static_cast<int>(rng.uniform(3)) - 1;  // -1, 0, 1
          owner[row * b.columns + column] = o;
          if (o >= 0) {
            bits[o] |= std::uint64_t{1}
                       << (row * b.row_stride + column * b.column_stride);
          }
        }
      }
      BitboardLines::Counts expected[2];
      const int steps[4][2] = {{0, 1}, {1, 0}, {1, 1}, {1, -1}};
      for (auto [dr, dc] : steps) {
        for (int row = 0; row < b.rows; ++row) {
          for (int column = 0; column < b.columns; ++column) {
            const int end_row = row + dr * (b.length - 1);
            const int end_column = column + dc * (b.length - 1);
            if (end_row >= b.rows || end_column < 0 ||
                end_column >= b.columns) {
              continue;
            }
            int held[2] = {0, 0};
            for (int i = 0; i < b.length; ++i) {
              const int o = owner[(row + dr * i) * b.columns + column + dc * i];
              if (o >= 0) ++held[o];
            }
            for (int p = 0; p < 2; ++p) {
              if (held[p] > 0 && held[1 - p] == 0) {
                ++expected[p].open;
                if (held[p] == b.length - 1) ++expected[p].threats;
              }
            }
          }
        }
      }
      // The AVX2 kernel where the CPU has it, and the portable one.
      BitboardLines::Counts counts[2], portable[2];
      lines.count(bits[0], bits[1], counts);
      {
        const PortableKernels portable_kernels;
        lines.count(bits[0], bits[1], portable);
      }
      for (int p = 0; p < 2; ++p) {
        ASSERT_EQ(counts[p].open, expected[p].open) << trial;
        ASSERT_EQ(counts[p].threats, expected[p].threats) << trial;
        ASSERT_EQ(portable[p].open, expected[p].open) << trial;
        ASSERT_EQ(portable[p].threats, expected[p].threats) << trial;
      }
    }
  }
}

TEST(FeatureCache, SwitchesItselfOffWhenItRarelyAnswers) {
  FeatureCache cache(4096, 1);
  std::uint64_t bits = 0;
  // Every lookup a new position: no hits at all.
  for (std::uint64_t i = 0; i < FeatureCache::kProbeLookups - 1; ++i) {
    ASSERT_FALSE(cache.lookup(i, 0, &bits));
    cache.store(i, 0, &bits);
  }
  EXPECT_TRUE(cache.enabled());
  EXPECT_FALSE(cache.lookup(123456789, 0, &bits));
  EXPECT_FALSE(cache.enabled());
}

TEST(FeatureCache, StaysOnWhenItAnswersOften) {
  FeatureCache cache(4096, 1);
  std::uint64_t bits = 0, stored = 0b1011;
  // One position in two is new, the others repeat: half the lookups hit.
  for (std::uint64_t i = 0; i < 3 * FeatureCache::kProbeLookups; ++i) {
    const std::uint64_t hash = i % 2 ? 7 : 1000 + i;
    if (!cache.lookup(hash, 1, &bits)) {
      cache.store(hash, 1, &stored);
    } else {
      ASSERT_EQ(bits, stored);
    }
  }
  EXPECT_TRUE(cache.enabled());
  EXPECT_GT(cache.hits(), FeatureCache::kProbeLookups);
}

// The cache only saves time: counts with and without it are the same, on a
// game that keeps it (tic-tac-toe) and one that drops it (checkers).
TEST(FeatureCache, LeavesTheCountsAsTheyAreWithoutIt) {
  for (const char* name : {"tic-tac-toe", "checkers"}) {
    const Game& game = game_named(name);
    const FeatureSet features = *generate_candidate_features(game.structure());
    SimulationOptions options;
    options.games = 3000;
    options.threads = 2;
    options.feature_cache_entries = 4096;
    absl::StatusOr<SimulationResult> cached =
        run_simulations(game, features, options);
    options.feature_cache_entries = 0;
    absl::StatusOr<SimulationResult> uncached =
        run_simulations(game, features, options);
    ASSERT_TRUE(cached.ok() && uncached.ok());
    EXPECT_EQ(cached->counts, uncached->counts) << name;
    EXPECT_GT(cached->timing.cache_lookups, 0u) << name;
  }
}

}  // namespace
}  // namespace selfplay
