// Boolean features of a position, seen from one player.
//
// `generate_candidate_features` instantiates the generic templates (material
// advantage, centre control, advanced pieces, score lead, connection distance,
// ...) that fit a game's declared structure; users add hand-written ones.
//
//   absl::StatusOr<FeatureSet> features =
//       generate_candidate_features(game.structure());
//   features->add({"my-rule", "my own test", "custom"},
//                 [](const State& s, int player) { return ...; });
//   FeatureScratch scratch;
//   std::vector<std::uint64_t> bits(features->words());
//   features->evaluate(state, state.current_player(), scratch, bits.data());
//
// Features are always evaluated for the player given, 0-based: in self-play
// the engine passes the deciding player.
#ifndef SELFPLAY_FEATURES_H_
#define SELFPLAY_FEATURES_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "selfplay/game.h"

namespace selfplay {

struct FeatureInfo {
  std::string id;           // stable and readable: "piece-count-advantage"
  std::string description;  // one line for people
  std::string category;     // the template family: "material", "center", ...
};

// A hand-written feature. Called concurrently from worker threads, so it must
// be thread-safe; exceptions it throws fail the game being played.
using FeaturePredicate = std::function<bool(const State& state, int player)>;

// Per-thread buffers for evaluation; reuse one per thread so that evaluation
// does not allocate. Not thread-safe: one per thread.
class FeatureScratch {
 public:
  FeatureScratch() = default;

 private:
  friend class FeatureSet;
  std::vector<Element> elements_;
  std::vector<std::int64_t> summary_;
  std::vector<std::int32_t> board_;
  std::vector<std::int32_t> distances_;
  std::vector<int> queue_;
  std::vector<int> next_queue_;
  std::vector<std::int64_t> others_;
};

// An ordered set of features. Evaluation is const and thread-safe; adding is
// not (build the set before a run).
class FeatureSet {
 public:
  FeatureSet();  // empty: no features
  ~FeatureSet();
  FeatureSet(FeatureSet&&) noexcept;
  FeatureSet& operator=(FeatureSet&&) noexcept;
  FeatureSet(const FeatureSet&);
  FeatureSet& operator=(const FeatureSet&);

  int size() const;
  // 64-bit words in a bit vector of all features.
  int words() const { return (size() + 63) / 64; }
  const std::vector<FeatureInfo>& infos() const;
  // Index of the feature with this id, if any.
  std::optional<int> find(std::string_view id) const;

  // Appends a hand-written feature. InvalidArgument if the id is empty,
  // contains whitespace, is taken, or the predicate is empty.
  [[nodiscard]] absl::Status add(FeatureInfo info, FeaturePredicate predicate);

  // Sets bit i of `bits` (words() words, overwritten) to feature i of `state`
  // for `player`. Exceptions from game code or predicates propagate.
  void evaluate(const State& state, int player, FeatureScratch& scratch,
                std::uint64_t* bits) const;

 private:
  friend absl::StatusOr<FeatureSet> generate_candidate_features(
      const GameStructure& structure);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The template features that fit `structure` (filtered by its game type).
// InvalidArgument if the structure does not validate.
[[nodiscard]] absl::StatusOr<FeatureSet> generate_candidate_features(
    const GameStructure& structure);

// A template family generate_candidate_features left out, and why.
struct SkippedFamily {
  std::string family;  // "advancement and back-row (piece)", "mobility", ...
  std::string reason;  // "the board declares no forward direction"
};

// The families generate_candidate_features leaves out for `structure`, in the
// order it considers them: those of another game type and those whose
// quantity the structure does not declare. InvalidArgument as
// generate_candidate_features.
[[nodiscard]] absl::StatusOr<std::vector<SkippedFamily>>
skipped_template_families(const GameStructure& structure);

}  // namespace selfplay

#endif  // SELFPLAY_FEATURES_H_
