#include "selfplay/match_result.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace selfplay {

Interval wilson_interval(double successes, std::uint64_t trials, double z) {
  if (trials == 0) return {0, 0, 1};
  const double n = static_cast<double>(trials);
  const double p = successes / n;
  const double z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half =
      z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {p, std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

double elo_difference(double score) {
  if (score <= 0) return -std::numeric_limits<double>::infinity();
  if (score >= 1) return std::numeric_limits<double>::infinity();
  return 400 * std::log10(score / (1 - score));
}

Interval MatchResult::elo() const {
  const Interval s = score();
  return {elo_difference(s.value), elo_difference(s.low),
          elo_difference(s.high)};
}

}  // namespace selfplay
