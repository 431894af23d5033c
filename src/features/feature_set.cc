#include <algorithm>
#include <limits>

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

// What a template compares, derived once per evaluation from each slot's
// values for the evaluated player ("other" is the best other player's value,
// "total" the sum over all players). An "at most" test is the negation of an
// "at least" one (x <= a is !(x >= a + 1)), so no negated value is derived.
enum Derived {
  kLead,            // mine - other
  kMine,            // mine
  kOther,           // other
  kTotal,           // total
  kShareHalf,       // 2 * mine - total: >= 1 when mine / total > 1/2
  kShareTwoThirds,  // 3 * mine - 2 * total: >= 1 when mine / total > 2/3
  kDerivedCount,
};

// A template test as comparisons with derived values, so that evaluating a
// feature takes no branch: which comparison a feature makes is data, and a
// mispredicted jump per feature cost more than the arithmetic. The primary
// comparison is all most templates make; a few also need the guard (a share
// needs a positive total, control no opponent piece, an opponent's feature
// an opponent). A comparison holds when (value >= at_least) != negated.
struct DerivedTest {
  int primary;  // slot * kDerivedCount + Derived
  std::int64_t primary_at_least;
  bool primary_negated = false;
  bool guarded = false;
  int guard = 0;
  std::int64_t guard_at_least = 0;
  bool guard_negated = false;
  bool needs_opponent = false;  // false whenever the player is alone
};

DerivedTest derived_test(const TemplateTest& test) {
  using C = Comparison;
  const int base = test.slot * kDerivedCount;
  DerivedTest derived{};
  auto primary = [&](Derived value, std::int64_t at_least, bool negated) {
    derived.primary = base + value;
    derived.primary_at_least = at_least;
    derived.primary_negated = negated;
  };
  auto guard = [&](Derived value, std::int64_t at_least, bool negated) {
    derived.guarded = true;
    derived.guard = base + value;
    derived.guard_at_least = at_least;
    derived.guard_negated = negated;
  };
  switch (test.comparison) {
    case C::kLeadAtLeast:
      primary(kLead, test.a, false);
      break;
    case C::kLeadAtMost:
      primary(kLead, test.a + 1, true);
      break;
    case C::kAtLeast:
      primary(kMine, test.a, false);
      break;
    case C::kAtMost:
      primary(kMine, test.a + 1, true);
      break;
    case C::kShareAbove:
      // The generator asks for more than 1/2 (majority) or 2/3 (dominance).
      primary(test.a * 3 == test.b * 2 ? kShareTwoThirds : kShareHalf, 1,
              false);
      guard(kTotal, 1, false);
      break;
    case C::kOpponentAtLeast:
      primary(kOther, test.a, false);
      derived.guarded = true;  // the guard itself always holds
      derived.guard = base + kMine;
      derived.guard_at_least = std::numeric_limits<std::int64_t>::min();
      derived.needs_opponent = true;
      break;
    case C::kControl:  // mine >= 1 and other <= 0
      primary(kMine, 1, false);
      guard(kOther, 1, true);
      break;
  }
  return derived;
}

}  // namespace

struct FeatureSet::Impl {
  GameStructure structure;
  SummaryLayout layout;
  std::vector<FeatureInfo> infos;
  // The templates come first, then the predicates. Template i holds when
  // (derived[tests[i].primary] >= tests[i].at_least) != bit i of
  // negated[i / 64], and for the templates in `guarded`, when their guard
  // holds too.
  struct Primary {
    std::int64_t primary;  // 64 bits: no sign extension per feature
    std::int64_t at_least;
  };
  std::vector<Primary> tests;
  std::vector<std::uint64_t> negated;
  struct Guard {
    int feature;
    int guard;
    std::int64_t guard_at_least;
    bool guard_negated;
    bool needs_opponent;
  };
  std::vector<Guard> guarded;
  // The slots some template reads, so that nothing else is derived.
  std::vector<int> read_slots;
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

// The derived values of one slot from the evaluated player's value, the best
// other player's and the sum over all players.
inline void fill_derived(std::int64_t* d, std::int64_t mine, std::int64_t other,
                         std::int64_t total) {
  d[kLead] = mine - other;
  d[kMine] = mine;
  d[kOther] = other;
  d[kTotal] = total;
  d[kShareHalf] = 2 * mine - total;
  d[kShareTwoThirds] = 3 * mine - 2 * total;
}

// Fills `derived` (kDerivedCount values per slot) for `player` and the slots
// templates read, once per evaluation, so that each feature is two
// comparisons whatever the number of players.
void derive_slots(const std::int64_t* summary, int slots,
                  const std::vector<int>& read_slots, int players, int player,
                  std::vector<std::int64_t>& derived) {
  // With two slots' worth of scratch at the end, for more than two players.
  derived.resize((kDerivedCount + 2) * static_cast<std::size_t>(slots));
  std::int64_t* out = derived.data();
  const std::int64_t* mine = summary + player * slots;
  if (players == 2) {
    // Most games: the other player is the one opponent, with no loop over
    // seats (that loop was a third of go-fish's evaluation).
    const std::int64_t* theirs = summary + (1 - player) * slots;
    for (int s : read_slots) {
      fill_derived(out + kDerivedCount * s, mine[s], theirs[s],
                   mine[s] + theirs[s]);
    }
    return;
  }
  // The best other value and the total of every slot, seat by seat over the
  // contiguous slots (a seat test per seat, not per slot and seat), in
  // `derived`'s tail: the first opponent sets them, the others join in.
  std::int64_t* other = out + kDerivedCount * slots;
  std::int64_t* total = other + slots;
  const int first = player == 0 ? 1 : 0;
  if (first >= players) {
    // A lone player leads an empty field.
    std::fill_n(other, slots, 0);
    std::copy_n(mine, slots, total);
  } else {
    const std::int64_t* values = summary + first * slots;
    for (int s = 0; s < slots; ++s) {
      other[s] = values[s];
      total[s] = mine[s] + values[s];
    }
  }
  for (int q = first + 1; q < players; ++q) {
    if (q == player) continue;
    const std::int64_t* values = summary + q * slots;
    for (int s = 0; s < slots; ++s) {
      const std::int64_t value = values[s];
      other[s] = std::max(other[s], value);
      total[s] += value;
    }
  }
  for (int s : read_slots) {
    fill_derived(out + kDerivedCount * s, mine[s], other[s], total[s]);
  }
}

}  // namespace

void FeatureSet::evaluate(const State& state, int player,
                          FeatureScratch& scratch, std::uint64_t* bits) const {
  const Impl& impl = *impl_;
  const int template_count = static_cast<int>(impl.tests.size());
  // The templates write their words whole; only the predicates' own words
  // need clearing.
  std::fill(bits + (template_count + 63) / 64, bits + words(), 0);
  if (template_count > 0) {
    // Only the seats in play are read, so only they are cleared for a native
    // summary: go-fish's layout has room for six players.
    const int players = std::min(state.num_players(), impl.layout.players);
    scratch.summary_.resize(impl.layout.size());
    std::fill_n(scratch.summary_.data(), players * impl.layout.slots_per_player,
                0);
    PositionSummary native(impl.layout, scratch.summary_.data());
    if (!state.summarize(native)) {
      std::fill(scratch.summary_.begin(), scratch.summary_.end(), 0);
      compute_summary_from_elements(
          impl.structure, impl.layout, state,
          {scratch.elements_, scratch.board_, scratch.distances_,
           scratch.queue_, scratch.next_queue_},
          scratch.summary_.data());
    }
    derive_slots(scratch.summary_.data(), impl.layout.slots_per_player,
                 impl.read_slots, players, player, scratch.derived_);
    const std::int64_t* derived = scratch.derived_.data();
    const bool alone = players < 2;
    // A word at a time in a register: or-ing each bit into memory would chain
    // every feature to the previous one's store.
    const Impl::Primary* tests = impl.tests.data();
    for (int first = 0; first < template_count; first += 64) {
      const int end = std::min(first + 64, template_count);
      // From the last feature of the word down, shifting the word one place
      // per feature (cheaper than a shift by a variable count), and taking
      // the sign of value - threshold rather than a compare and a flag move
      // (summary values lie within +-2^40, so derived values within +-2^46
      // and the difference cannot overflow).
      std::uint64_t below = 0;  // bit i - first: feature i does not hold
#pragma GCC unroll 4
      for (int i = end - 1; i >= first; --i) {
        below =
            2 * below + (static_cast<std::uint64_t>(derived[tests[i].primary] -
                                                    tests[i].at_least) >>
                         63);
      }
      bits[first >> 6] = (~below ^ impl.negated[first >> 6]) &
                         (~std::uint64_t{0} >> (64 - (end - first)));
    }
    for (const Impl::Guard& guard : impl.guarded) {
      const bool holds = ((derived[guard.guard] >= guard.guard_at_least) !=
                          guard.guard_negated) &
                         !(guard.needs_opponent & alone);
      bits[guard.feature >> 6] &=
          ~(std::uint64_t{!holds} << (guard.feature & 63));
    }
  }
  for (std::size_t j = 0; j < impl.predicates.size(); ++j) {
    const int i = template_count + static_cast<int>(j);
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
  for (const TemplateTest& test : impl.templates) {
    const DerivedTest derived = derived_test(test);
    const int feature = static_cast<int>(set.impl_->tests.size());
    set.impl_->tests.push_back({derived.primary, derived.primary_at_least});
    if (feature % 64 == 0) set.impl_->negated.push_back(0);
    set.impl_->negated.back() |= std::uint64_t{derived.primary_negated}
                                 << (feature % 64);
    if (derived.guarded) {
      set.impl_->guarded.push_back(
          {feature, derived.guard, derived.guard_at_least,
           derived.guard_negated, derived.needs_opponent});
    }
    std::vector<int>& read = set.impl_->read_slots;
    if (std::find(read.begin(), read.end(), test.slot) == read.end()) {
      read.push_back(test.slot);
    }
  }
  return set;
}

}  // namespace selfplay
