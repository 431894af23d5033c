#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "features/position_summary.h"
#include "selfplay/features.h"

namespace selfplay {
namespace {

// How a template feature compares the summary. "Lead" is the player's value
// minus the best value among the other players.
enum class Comparison {
  kLeadAtLeast,      // lead >= a
  kLeadAtMost,       // lead <= a
  kAtLeast,          // mine >= a
  kAtMost,           // mine <= a
  kShareAbove,       // mine / total over players > a / b, total > 0
  kOpponentAtLeast,  // best other >= a
  kControl,          // mine >= 1 and every other player 0
};

struct TemplateTest {
  Comparison comparison;
  int slot;
  std::int64_t a = 0;
  std::int64_t b = 1;
};

// The template part of a feature set, as the generator builds it, and the
// families it left out.
struct TemplateFeatures {
  SummaryLayout layout;
  std::vector<FeatureInfo> infos;
  std::vector<TemplateTest> templates;
  std::vector<SkippedFamily> skipped;

  void add_template(std::string id, std::string description,
                    std::string category, TemplateTest test) {
    infos.push_back(
        {std::move(id), std::move(description), std::move(category)});
    templates.push_back(test);
  }
};

// A template test as comparisons of linear combinations of one slot's values
// for the evaluated player ("mine"), the best other player ("best") and the
// other players together ("rest"), so that evaluating a feature takes no
// branch: which comparison a feature makes is data, and a mispredicted jump
// per feature cost more than the arithmetic. An "at most" comparison is an
// "at least" one with the signs turned (x <= a is -x >= -a).
struct LinearTest {
  // Holds when times_mine * mine + times_best * best + times_rest * rest >=
  // at_least. All 64 bits: no sign extension per test.
  std::int64_t slot = 0;
  std::int64_t times_mine = 0;
  std::int64_t times_best = 0;
  std::int64_t times_rest = 0;
  std::int64_t at_least = 0;
};

// The primary comparison is all most templates make; a few also need the
// guard (a share needs a positive total, control no opponent piece) or an
// opponent (an opponent's feature).
struct LinearTemplate {
  LinearTest primary;
  bool guarded = false;
  LinearTest guard;
  bool needs_opponent = false;  // false whenever the player is alone
};

// times_mine * mine + times_best * best + times_rest * rest >= at_least.
LinearTest linear(int slot, std::int64_t times_mine, std::int64_t times_best,
                  std::int64_t times_rest, std::int64_t at_least) {
  return {slot, times_mine, times_best, times_rest, at_least};
}

LinearTemplate linear_template(const TemplateTest& test) {
  using C = Comparison;
  const int s = test.slot;
  LinearTemplate linear_test;
  LinearTest& primary = linear_test.primary;
  switch (test.comparison) {
    case C::kLeadAtLeast:  // mine - best >= a
      primary = linear(s, 1, -1, 0, test.a);
      break;
    case C::kLeadAtMost:  // best - mine >= -a
      primary = linear(s, -1, 1, 0, -test.a);
      break;
    case C::kAtLeast:
      primary = linear(s, 1, 0, 0, test.a);
      break;
    case C::kAtMost:
      primary = linear(s, -1, 0, 0, -test.a);
      break;
    case C::kShareAbove:
      // mine / total > a / b with total = mine + rest > 0, in integers:
      // b * mine - a * total >= 1.
      primary = linear(s, test.b - test.a, 0, -test.a, 1);
      linear_test.guarded = true;
      linear_test.guard = linear(s, 1, 0, 1, 1);
      break;
    case C::kOpponentAtLeast:
      primary = linear(s, 0, 1, 0, test.a);
      linear_test.needs_opponent = true;
      break;
    case C::kControl:  // mine >= 1 and -best >= 0
      primary = linear(s, 1, 0, 0, 1);
      linear_test.guarded = true;
      linear_test.guard = linear(s, 0, -1, 0, 0);
      break;
  }
  return linear_test;
}

// Whether `test` fails (1) or holds (0) for a player whose values are `mine`,
// `best` and `rest` (in a two-player game the one opponent's are both).
// Summary values lie within +-2^40 and players are at most 16, so no
// combination overflows. The sign of value - threshold rather than a compare
// and a flag move.
inline std::uint64_t fails(const LinearTest& test, const std::int64_t* mine,
                           const std::int64_t* best, const std::int64_t* rest) {
  const std::int64_t value = test.times_mine * mine[test.slot] +
                             test.times_best * best[test.slot] +
                             test.times_rest * rest[test.slot];
  return static_cast<std::uint64_t>(value - test.at_least) >> 63;
}

// fails() for a test that does not read `rest`.
inline std::uint64_t fails(const LinearTest& test, const std::int64_t* mine,
                           const std::int64_t* best) {
  const std::int64_t value =
      test.times_mine * mine[test.slot] + test.times_best * best[test.slot];
  return static_cast<std::uint64_t>(value - test.at_least) >> 63;
}

// The templates of a feature set as evaluation runs them.
struct CompiledTemplates {
  // Word w's tests are tests[word_begin[w]..word_begin[w + 1]), padded with
  // copies of its first test to a multiple of kTestsPerStep, so that the
  // unrolled loop has no remainder; `valid` masks the padding's bits off.
  static constexpr int kTestsPerStep = 4;
  std::vector<LinearTest> tests;
  std::vector<int> word_begin{0};
  std::vector<std::uint64_t> valid;
  std::vector<std::uint64_t> needs_opponent;
  struct Guard {
    LinearTest test;
    int word;
    int bit;
  };
  std::vector<Guard> guards;
  int count = 0;

  int words() const { return static_cast<int>(valid.size()); }

  void add(const LinearTemplate& linear_test) {
    const int feature = count++;
    const int bit = feature % 64;
    if (bit == 0) {
      valid.push_back(0);
      needs_opponent.push_back(0);
      word_begin.push_back(word_begin.back());
    }
    const int begin = word_begin[word_begin.size() - 2];
    // A test of the other players together (a share) is rare: it runs with
    // the guards, and the word's loop, which then reads two values a test,
    // holds a test that always holds (0 >= 0) in its place.
    LinearTest test = linear_test.primary;
    if (test.times_rest != 0) {
      guards.push_back({test, feature / 64, bit});
      test = LinearTest{};
    }
    // The real test takes its place, the padding follows the word's tests.
    if (begin + bit < static_cast<int>(tests.size())) {
      tests[begin + bit] = test;
    } else {
      tests.push_back(test);
    }
    while (tests.size() % kTestsPerStep != 0) tests.push_back(tests[begin]);
    word_begin.back() = static_cast<int>(tests.size());
    valid.back() |= std::uint64_t{1} << bit;
    needs_opponent.back() |= std::uint64_t{linear_test.needs_opponent} << bit;
    if (linear_test.guarded) {
      guards.push_back({linear_test.guard, feature / 64, bit});
    }
  }

  // Writes words() words of `bits`.
  void evaluate(const std::int64_t* mine, const std::int64_t* best,
                const std::int64_t* rest, std::uint64_t* bits) const {
    for (int w = 0; w < words(); ++w) {
      // A word at a time in a register (or-ing each bit into memory would
      // chain every feature to the previous one's store), from the word's
      // last test down, shifting the word one place per test (cheaper than
      // a shift by a variable count).
      std::uint64_t failed = 0;
      const LinearTest* first = tests.data() + word_begin[w];
      for (const LinearTest* test = tests.data() + word_begin[w + 1];
           test != first;) {
        for (int k = 0; k < kTestsPerStep; ++k) {
          --test;
          failed = 2 * failed + fails(*test, mine, best);
        }
      }
      bits[w] = ~failed & valid[w];
    }
    for (const Guard& guard : guards) {
      bits[guard.word] &= ~(fails(guard.test, mine, best, rest) << guard.bit);
    }
  }
};

}  // namespace

struct FeatureSet::Impl {
  GameStructure structure;
  SummaryLayout layout;
  std::vector<FeatureInfo> infos;
  // The templates come first, then the predicates.
  CompiledTemplates templates;
  // The summary offsets of the slots some template reads, seat by seat for
  // every seat of the layout; read_per_player of them per seat.
  std::vector<int> read_offsets;
  int read_per_player = 0;
  std::vector<FeaturePredicate> predicates;
};

FeatureSet::FeatureSet() : impl_(std::make_unique<Impl>()) {}
FeatureSet::~FeatureSet() = default;
FeatureSet::FeatureSet(FeatureSet&&) noexcept = default;
FeatureSet& FeatureSet::operator=(FeatureSet&&) noexcept = default;
FeatureSet::FeatureSet(const FeatureSet& other)
    : impl_(std::make_unique<Impl>(*other.impl_)) {}
FeatureSet& FeatureSet::operator=(const FeatureSet& other) {
  if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
  return *this;
}

int FeatureSet::size() const { return static_cast<int>(impl_->infos.size()); }

const std::vector<FeatureInfo>& FeatureSet::infos() const {
  return impl_->infos;
}

std::optional<int> FeatureSet::find(std::string_view id) const {
  for (int i = 0; i < size(); ++i) {
    if (impl_->infos[i].id == id) return i;
  }
  return std::nullopt;
}

absl::Status FeatureSet::add(FeatureInfo info, FeaturePredicate predicate) {
  if (info.id.empty() ||
      std::any_of(info.id.begin(), info.id.end(),
                  [](char c) { return absl::ascii_isspace(c); })) {
    return absl::InvalidArgumentError(
        absl::StrCat("feature id '", info.id, "' is empty or has whitespace"));
  }
  if (find(info.id)) {
    return absl::InvalidArgumentError(
        absl::StrCat("feature id '", info.id, "' is already in the set"));
  }
  if (!predicate) {
    return absl::InvalidArgumentError(
        absl::StrCat("feature '", info.id, "' has no predicate"));
  }
  if (info.category.empty()) info.category = "custom";
  impl_->infos.push_back(std::move(info));
  impl_->predicates.push_back(std::move(predicate));
  return absl::OkStatus();
}

namespace {

// Read slots cleared one by one rather than with the whole summary.
constexpr int kClearOneByOne = 16;

// The best value of each slot among the players other than `player` and
// their sum, seat by seat over the contiguous slots (a seat test per seat, not
// per slot and seat), for three or more players; for a lone player, zeros
// (a lone player leads an empty field).
void other_players(const std::int64_t* summary, int slots, int players,
                   int player, std::int64_t* best, std::int64_t* rest) {
  const int first = player == 0 ? 1 : 0;
  if (first >= players) {
    std::fill_n(best, slots, 0);
    std::fill_n(rest, slots, 0);
    return;
  }
  std::copy_n(summary + first * slots, slots, best);
  std::copy_n(summary + first * slots, slots, rest);
  for (int q = first + 1; q < players; ++q) {
    if (q == player) continue;
    const std::int64_t* values = summary + q * slots;
    for (int s = 0; s < slots; ++s) {
      best[s] = std::max(best[s], values[s]);
      rest[s] += values[s];
    }
  }
}

}  // namespace

void FeatureSet::evaluate(const State& state, int player,
                          FeatureScratch& scratch, std::uint64_t* bits) const {
  const Impl& impl = *impl_;
  const CompiledTemplates& templates = impl.templates;
  // The templates write their words whole; only the predicates' own words
  // need clearing.
  if (!impl.predicates.empty()) {
    std::fill(bits + templates.words(), bits + words(), 0);
  }
  if (templates.count > 0) {
    const int players = std::min(state.num_players(), impl.layout.players);
    const int slots = impl.layout.slots_per_player;
    scratch.summary_.resize(impl.layout.size());
    std::int64_t* summary = scratch.summary_.data();
    // The slots of the seats in play start at 0 (go-fish's layout has room
    // for six players). Slots no template reads are never read, so when the
    // read ones are few, only they are cleared, one store each (for
    // connect-four, 6 stores against a call to memset of 10 values).
    const int read = players * impl.read_per_player;
    if (read <= kClearOneByOne) {
      for (int i = 0; i < read; ++i) summary[impl.read_offsets[i]] = 0;
    } else {
      std::fill_n(summary, players * slots, 0);
    }
    PositionSummary native(impl.layout, summary);
    if (!state.summarize(native)) {
      std::fill(scratch.summary_.begin(), scratch.summary_.end(), 0);
      compute_summary_from_elements(
          impl.structure, impl.layout, state,
          {scratch.elements_, scratch.board_, scratch.distances_,
           scratch.queue_, scratch.next_queue_},
          summary);
    }
    const std::int64_t* mine = summary + player * slots;
    if (players == 2) {
      // Most games: the one opponent's values are read where they are.
      const std::int64_t* theirs = summary + (1 - player) * slots;
      templates.evaluate(mine, theirs, theirs, bits);
    } else {
      scratch.others_.resize(2 * static_cast<std::size_t>(slots));
      std::int64_t* best = scratch.others_.data();
      other_players(summary, slots, players, player, best, best + slots);
      templates.evaluate(mine, best, best + slots, bits);
      if (players < 2) {
        for (int w = 0; w < templates.words(); ++w) {
          bits[w] &= ~templates.needs_opponent[w];
        }
      }
    }
  }
  for (std::size_t j = 0; j < impl.predicates.size(); ++j) {
    const int i = impl.templates.count + static_cast<int>(j);
    if (impl.predicates[j](state, player)) {
      bits[i >> 6] |= std::uint64_t{1} << (i & 63);
    }
  }
}

namespace {

bool fits(GameType type, std::initializer_list<GameType> types) {
  return std::find(types.begin(), types.end(), type) != types.end();
}

// Why the summary has no slot for something the board would declare.
std::string board_lacks(const GameStructure& structure, const char* what) {
  return structure.board ? absl::StrCat("the board declares no ", what)
                         : "the game declares no board";
}

// Whether `family` applies: the game is of one of `types` and the summary
// has its slot. When not, records why in impl.skipped.
bool applies(TemplateFeatures& impl, const GameStructure& structure,
             std::string family, std::initializer_list<GameType> types,
             bool has_slot, std::string missing_slot) {
  if (!fits(structure.type, types)) {
    std::string names;
    for (GameType type : types) {
      absl::StrAppend(&names, names.empty() ? "" : ", ", game_type_name(type));
    }
    impl.skipped.push_back(
        {std::move(family),
         absl::StrCat("only for ", names, " games; ", structure.name, " is a ",
                      game_type_name(structure.type), " game")});
    return false;
  }
  if (!has_slot) {
    impl.skipped.push_back({std::move(family), std::move(missing_slot)});
    return false;
  }
  return true;
}

// Ids are lower-case with dashes: "piece-king-count-advantage".
std::string slug(std::string_view text) {
  std::string result;
  for (char c : text) {
    result += absl::ascii_isalnum(c) ? absl::ascii_tolower(c) : '-';
  }
  return result;
}

// The relative families shared by every compared quantity: ahead, behind,
// level or ahead, and ahead by at least each of `leads`.
void add_lead_family(TemplateFeatures& impl, const std::string& id,
                     const std::string& what, const std::string& category,
                     int slot, std::initializer_list<int> leads) {
  using C = Comparison;
  impl.add_template(id + "-advantage", "more " + what + " than any opponent",
                    category, {C::kLeadAtLeast, slot, 1});
  impl.add_template(id + "-disadvantage",
                    "fewer " + what + " than the best opponent", category,
                    {C::kLeadAtMost, slot, -1});
  impl.add_template(id + "-not-behind",
                    "at least as many " + what + " as any opponent", category,
                    {C::kLeadAtLeast, slot, 0});
  for (int lead : leads) {
    impl.add_template(absl::StrCat(id, "-lead-", lead),
                      absl::StrCat("ahead by ", lead, " or more ", what),
                      category, {C::kLeadAtLeast, slot, lead});
  }
}

void add_element_type_features(TemplateFeatures& impl,
                               const GameStructure& structure, int type_index) {
  using C = Comparison;
  const ElementType& type = structure.element_types[type_index];
  const SummaryLayout::TypeSlots& slots = impl.layout.types[type_index];
  const std::string name = slug(type.name);
  const std::string plural = type.name + "s";
  if (applies(impl, structure, "material (" + type.name + ")",
              {GameType::kCapture, GameType::kRacing, GameType::kCollection},
              true, "")) {
    add_lead_family(impl, name + "-count", plural, "material", slots.count,
                    {3, 5});
    impl.add_template(name + "-count-zero", "no " + plural + " left",
                      "material", {C::kAtMost, slots.count, 0});
    // With two players a majority is exactly a count advantage.
    if (structure.max_players > 2) {
      impl.add_template(name + "-majority", "more than half of all " + plural,
                        "majority", {C::kShareAbove, slots.count, 1, 2});
    }
    impl.add_template(name + "-dominance",
                      "more than two thirds of all " + plural, "majority",
                      {C::kShareAbove, slots.count, 2, 3});
  }
  if (applies(impl, structure, "center (" + type.name + ")",
              {GameType::kConnection, GameType::kAlignment, GameType::kCapture},
              slots.center >= 0, board_lacks(structure, "centre"))) {
    impl.add_template(name + "-center-control",
                      "the only player with " + plural + " in the centre",
                      "center", {C::kControl, slots.center});
    impl.add_template(name + "-center-advantage",
                      "more " + plural + " in the centre than any opponent",
                      "center", {C::kLeadAtLeast, slots.center, 1});
  }
  if (applies(impl, structure, "advancement and back-row (" + type.name + ")",
              {GameType::kCapture, GameType::kRacing}, slots.advanced >= 0,
              board_lacks(structure, "forward direction"))) {
    impl.add_template(name + "-advanced-advantage",
                      "more " + plural + " in the far half than any opponent",
                      "advancement", {C::kLeadAtLeast, slots.advanced, 1});
    impl.add_template(name + "-advanced-at-least-1",
                      "a " + type.name + " in the far half", "advancement",
                      {C::kAtLeast, slots.advanced, 1});
    impl.add_template(name + "-advanced-at-least-3",
                      "3 or more " + plural + " in the far half", "advancement",
                      {C::kAtLeast, slots.advanced, 3});
    impl.add_template(name + "-back-row-advantage",
                      "more " + plural + " guarding the home row", "back-row",
                      {C::kLeadAtLeast, slots.back_row, 1});
    impl.add_template(name + "-back-row-at-least-2",
                      "2 or more " + plural + " on the home row", "back-row",
                      {C::kAtLeast, slots.back_row, 2});
  }
  for (std::size_t i = 0; i < type.properties.size(); ++i) {
    const PropertySpec& property = type.properties[i];
    const std::string prefix = name + "-" + slug(property.name);
    const int slot = slots.property[i];
    switch (property.kind) {
      case PropertyKind::kBoolean:
        add_lead_family(impl, prefix + "-count", property.name + " " + plural,
                        "property", slot, {});
        impl.add_template(prefix + "-at-least-1",
                          "at least one " + property.name + " " + type.name,
                          "property", {C::kAtLeast, slot, 1});
        break;
      case PropertyKind::kNumeric:
        add_lead_family(impl, prefix + "-sum",
                        "total " + property.name + " of " + plural, "property",
                        slot, {3, 5});
        for (int threshold : {1, 3, 5}) {
          impl.add_template(absl::StrCat(prefix, "-sum-at-least-", threshold),
                            absl::StrCat("total ", property.name, " of ",
                                         plural, " >= ", threshold),
                            "property", {C::kAtLeast, slot, threshold});
        }
        break;
      case PropertyKind::kString:
        for (std::size_t v = 0; v < property.values.size(); ++v) {
          const std::string value_id = prefix + "-" + slug(property.values[v]);
          const std::string value_name =
              type.name + " with " + property.name + " " + property.values[v];
          const int value_slot = slot + static_cast<int>(v);
          impl.add_template(value_id + "-present", "holds a " + value_name,
                            "string-value", {C::kAtLeast, value_slot, 1});
          impl.add_template(value_id + "-advantage",
                            "more of " + value_name + " than any opponent",
                            "string-value", {C::kLeadAtLeast, value_slot, 1});
          impl.add_template(value_id + "-at-least-3",
                            "3 or more of " + value_name, "string-value",
                            {C::kAtLeast, value_slot, 3});
        }
        break;
    }
  }
}

void add_player_features(TemplateFeatures& impl,
                         const GameStructure& structure) {
  using C = Comparison;
  for (std::size_t q = 0; q < structure.player_properties.size(); ++q) {
    const std::string& name = structure.player_properties[q];
    const int slot = impl.layout.player_properties[q];
    const std::string id = slug(name);
    impl.add_template(id + "-lead", "more " + name + " than any opponent",
                      "score", {C::kLeadAtLeast, slot, 1});
    impl.add_template(id + "-behind",
                      "less " + name + " than the best opponent", "score",
                      {C::kLeadAtMost, slot, -1});
    impl.add_template(id + "-tied-or-ahead",
                      "at least as much " + name + " as any opponent", "score",
                      {C::kLeadAtLeast, slot, 0});
    for (int lead : {2, 3, 5}) {
      impl.add_template(absl::StrCat(id, "-lead-", lead),
                        absl::StrCat("ahead by ", lead, " or more ", name),
                        "score", {C::kLeadAtLeast, slot, lead});
    }
    impl.add_template(id + "-zero", "no " + name, "score",
                      {C::kAtMost, slot, 0});
  }
  if (structure.player_properties.empty()) {
    impl.skipped.push_back({"score", "the game declares no player properties"});
  }
  if (applies(impl, structure, "mobility",
              {GameType::kCapture, GameType::kRacing, GameType::kCollection},
              impl.layout.mobility >= 0, "the game does not report mobility")) {
    impl.add_template("mobility-advantage",
                      "more legal actions than any opponent would have",
                      "mobility", {C::kLeadAtLeast, impl.layout.mobility, 1});
    impl.add_template("mobility-disadvantage",
                      "fewer legal actions than the best opponent would have",
                      "mobility", {C::kLeadAtMost, impl.layout.mobility, -1});
  }
}

void add_board_features(TemplateFeatures& impl,
                        const GameStructure& structure) {
  using C = Comparison;
  if (const int slot = impl.layout.connection;
      applies(impl, structure, "connection", {GameType::kConnection}, slot >= 0,
              "the game declares no board")) {
    impl.add_template("connection-distance-advantage",
                      "fewer empty cells to connect than any opponent",
                      "connection", {C::kLeadAtLeast, slot, 1});
    impl.add_template("connection-distance-not-behind",
                      "no opponent is closer to connecting", "connection",
                      {C::kLeadAtLeast, slot, 0});
    for (int cells = 1; cells <= kNearWinCells; ++cells) {
      impl.add_template(
          absl::StrCat("near-win-", cells),
          absl::StrCat("connects with ", cells, " more cell(s) or fewer"),
          "connection", {C::kAtLeast, slot, -cells});
    }
    impl.add_template("opponent-near-win-1",
                      "an opponent connects with one more cell", "connection",
                      {C::kOpponentAtLeast, slot, -1});
  }
  if (const int slot = impl.layout.line_threats; slot < 0) {
    impl.skipped.push_back({"lines", board_lacks(structure, "line length")});
  } else {
    impl.add_template("line-threat-advantage",
                      "more lines one piece from complete than any opponent",
                      "lines", {C::kLeadAtLeast, slot, 1});
    impl.add_template("line-threats-at-least-1",
                      "a line one piece from complete", "lines",
                      {C::kAtLeast, slot, 1});
    impl.add_template("line-threats-at-least-2",
                      "two or more lines one piece from complete", "lines",
                      {C::kAtLeast, slot, 2});
    impl.add_template("opponent-line-threat",
                      "an opponent has a line one piece from complete", "lines",
                      {C::kOpponentAtLeast, slot, 1});
    impl.add_template("open-line-advantage",
                      "more lines still open to the player than to any "
                      "opponent",
                      "lines", {C::kLeadAtLeast, impl.layout.open_lines, 1});
  }
}

// The generator itself, for a validated structure.
TemplateFeatures build_templates(const GameStructure& structure) {
  TemplateFeatures impl;
  impl.layout = make_summary_layout(structure);
  bool any_owned = false;
  for (std::size_t t = 0; t < structure.element_types.size(); ++t) {
    if (structure.element_types[t].owned) {
      any_owned = true;
      add_element_type_features(impl, structure, static_cast<int>(t));
    }
  }
  if (!any_owned) {
    impl.skipped.push_back(
        {"material, center, advancement, property",
         "the game declares no element type that players own"});
  }
  add_player_features(impl, structure);
  add_board_features(impl, structure);
  return impl;
}

}  // namespace

absl::StatusOr<std::vector<SkippedFamily>> skipped_template_families(
    const GameStructure& structure) {
  if (absl::Status status = validate_structure(structure); !status.ok()) {
    return status;
  }
  return build_templates(structure).skipped;
}

absl::StatusOr<FeatureSet> generate_candidate_features(
    const GameStructure& structure) {
  if (absl::Status status = validate_structure(structure); !status.ok()) {
    return status;
  }
  TemplateFeatures impl = build_templates(structure);
  // A native path may skip mobility when no template reads it.
  for (const TemplateTest& test : impl.templates) {
    if (test.slot == impl.layout.mobility) impl.layout.mobility_read = true;
  }
  FeatureSet set;
  set.impl_->structure = structure;
  set.impl_->layout = std::move(impl.layout);
  set.impl_->infos = std::move(impl.infos);
  std::vector<int> read_slots;
  for (const TemplateTest& test : impl.templates) {
    set.impl_->templates.add(linear_template(test));
    if (std::find(read_slots.begin(), read_slots.end(), test.slot) ==
        read_slots.end()) {
      read_slots.push_back(test.slot);
    }
  }
  const SummaryLayout& layout = set.impl_->layout;
  for (int p = 0; p < layout.players; ++p) {
    for (int slot : read_slots) {
      set.impl_->read_offsets.push_back(p * layout.slots_per_player + slot);
    }
  }
  set.impl_->read_per_player = static_cast<int>(read_slots.size());
  return set;
}

}  // namespace selfplay
