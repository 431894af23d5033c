// The arithmetic of scaling experiments: the spread of repeated timings,
// Amdahl's law fitted to measured times, and the Karp-Flatt metric.
//
//   Spread time = spread_of({0.52, 0.50, 0.55});  // median 0.52, min-max
//   absl::StatusOr<AmdahlFit> fit = fit_amdahl({{1, 1.00}, {2, 0.55}});
//   // fit->serial_fraction == 0.1
//   std::optional<double> e = karp_flatt(1.8, 2);  // 0.111
#ifndef SELFPLAY_SCALING_MODEL_H_
#define SELFPLAY_SCALING_MODEL_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"

namespace selfplay::scaling {

struct Spread {
  double median = 0;  // of an even count: the mean of the middle two
  double min = 0;
  double max = 0;
};

// The median, min and max of `values`; all zero when empty.
Spread spread_of(std::vector<double> values);

// One measured point: the (median) run time at a thread count.
struct ThreadTime {
  int threads = 0;
  double seconds = 0;
};

// Amdahl's law T(p) = T1 * (f + (1 - f) / p), fitted as T = a + b / p by
// least squares over the points, so that any set of thread counts works (no
// 1-thread run needed). f = a / (a + b); it can come out slightly negative
// when the runs scale better than linearly (caches, noise).
struct AmdahlFit {
  double serial_fraction = 0;  // f
  double one_thread_s = 0;     // the fitted T1 = a + b
  int points = 0;              // points the fit used
};

// FailedPrecondition with fewer than two distinct thread counts, or when the
// fitted T1 is not positive.
[[nodiscard]] absl::StatusOr<AmdahlFit> fit_amdahl(
    absl::Span<const ThreadTime> points);

// The experimentally determined serial fraction (Karp and Flatt 1990) of a
// run on `threads` threads with speedup `speedup` over one thread:
// e = (1/S - 1/p) / (1 - 1/p). nullopt for threads < 2 or speedup <= 0.
std::optional<double> karp_flatt(double speedup, int threads);

}  // namespace selfplay::scaling

#endif  // SELFPLAY_SCALING_MODEL_H_
