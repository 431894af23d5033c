#include "nim.h"

#include <stdexcept>

#include "selfplay/random.h"

namespace nim {
namespace {

constexpr std::array<int, kHeaps> kInitialHeaps = {3, 4, 5};

// An action takes `count` tokens from heap `heap`: heap * 8 + count.
constexpr selfplay::Action encode(int heap, int count) {
  return heap * 8 + count;
}
constexpr int heap_of(selfplay::Action action) { return action / 8; }
constexpr int count_of(selfplay::Action action) { return action % 8; }

// Indices into GameStructure::action_kinds.
enum Kind : selfplay::ActionKind { kTakeOne, kTakeSeveral, kClearHeap };

// What Nim declares about itself, so that selfplay can generate candidate
// features: heaps are unowned elements with a token count, and each player
// has a score, the tokens it took.
selfplay::GameStructure nim_structure() {
  selfplay::GameStructure s;
  s.name = "nim";
  s.description = "heaps of 3, 4 and 5; take from one heap; last token wins";
  s.type = selfplay::GameType::kCollection;
  s.element_types = {{.name = "heap",
                      .owned = false,
                      .properties = {{.name = "tokens",
                                      .kind = selfplay::PropertyKind::kNumeric,
                                      .values = {}}}}};
  s.player_properties = {"tokens-taken"};
  s.action_kinds = {"take-one", "take-several", "clear-heap"};
  s.num_actions = kHeaps * 8;  // encode(heap, count), count at most 7
  s.deterministic = true;
  return s;
}

class NimGame final : public selfplay::Game {
 public:
  const selfplay::GameStructure& structure() const override {
    return structure_;
  }
  // Nim has no chance: the seed is not needed.
  std::unique_ptr<selfplay::State> new_initial_state(std::uint64_t,
                                                     int) const override {
    return std::make_unique<NimState>();
  }

 private:
  const selfplay::GameStructure structure_ = nim_structure();
};

}  // namespace

NimState::NimState() : heaps_(kInitialHeaps) {}

bool NimState::is_terminal() const {
  for (int heap : heaps_) {
    if (heap > 0) return false;
  }
  return true;
}

void NimState::legal_actions(std::vector<selfplay::Action>& actions) const {
  actions.clear();
  for (int heap = 0; heap < kHeaps; ++heap) {
    for (int count = 1; count <= heaps_[heap]; ++count) {
      actions.push_back(encode(heap, count));
    }
  }
}

void NimState::apply_action(selfplay::Action action) {
  const int heap = heap_of(action);
  const int count = count_of(action);
  // The engine only applies legal actions; a check costs little and turns a
  // bug into a failed game with this message instead of a wrong statistic.
  if (heap < 0 || heap >= kHeaps || count < 1 || count > heaps_[heap]) {
    throw std::invalid_argument("nim: illegal action " +
                                std::to_string(action));
  }
  heaps_[heap] -= count;
  taken_[mover_] += count;
  last_mover_ = mover_;
  mover_ = 1 - mover_;
}

std::vector<int> NimState::winners() const { return {last_mover_}; }

selfplay::ActionKind NimState::action_kind(selfplay::Action action) const {
  const int count = count_of(action);
  if (count == heaps_[heap_of(action)]) return kClearHeap;
  return count == 1 ? kTakeOne : kTakeSeveral;
}

std::uint64_t NimState::hash() const {
  // Everything features can see: heaps, the mover and the tokens taken
  // (player 1's follow from the rest).
  std::uint64_t key = mover_;
  for (int heap : heaps_) key = key * 8 + heap;
  key = key * 16 + taken_[0];
  return selfplay::splitmix64_mix(key);
}

std::unique_ptr<selfplay::State> NimState::clone() const {
  return std::make_unique<NimState>(*this);
}

std::string NimState::to_string() const {
  return "heaps " + std::to_string(heaps_[0]) + " " +
         std::to_string(heaps_[1]) + " " + std::to_string(heaps_[2]) +
         ", player " + std::to_string(mover_) + " to move";
}

void NimState::elements(std::vector<selfplay::Element>& elements) const {
  elements.clear();
  for (int heap : heaps_) {
    elements.push_back({.type = 0, .properties = {heap}});
  }
}

std::int64_t NimState::player_property(int player, int) const {
  return taken_[player];
}

std::unique_ptr<selfplay::Game> make_nim_game() {
  return std::make_unique<NimGame>();
}

}  // namespace nim
