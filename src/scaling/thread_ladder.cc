#include "scaling/thread_ladder.h"

#include <algorithm>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace selfplay::scaling {
namespace {

// Debian's Abseil has its own string_view, which StrSplit and SimpleAtoi take.
absl::Status bad_item(absl::string_view item, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat(
      "bad thread count '", std::string(item), "': ", std::string(why),
      " (use N, LOW:HIGH, LOW:HIGH:+STEP, LOW:HIGH:*FACTOR or auto)"));
}

// A count in 1..kMaxThreadCount.
absl::StatusOr<int> parse_count(absl::string_view item,
                                absl::string_view text) {
  int value = 0;
  if (!absl::SimpleAtoi(text, &value)) return bad_item(item, "not a number");
  if (value < 1 || value > kMaxThreadCount) {
    return bad_item(item, absl::StrCat("counts must be 1..", kMaxThreadCount));
  }
  return value;
}

absl::Status append_ladder(absl::string_view item, std::vector<int>& counts) {
  const std::vector<absl::string_view> parts = absl::StrSplit(item, ':');
  if (parts.size() > 3) return bad_item(item, "too many ':'");
  absl::StatusOr<int> low = parse_count(item, parts[0]);
  if (!low.ok()) return low.status();
  if (parts.size() == 1) {
    counts.push_back(*low);
    return absl::OkStatus();
  }
  absl::StatusOr<int> high = parse_count(item, parts[1]);
  if (!high.ok()) return high.status();
  if (*low > *high) return bad_item(item, "LOW is above HIGH");
  bool multiply = false;
  int step = 1;
  if (parts.size() == 3) {
    absl::string_view text = parts[2];
    if (!text.empty() && (text[0] == '*' || text[0] == '+')) {
      multiply = text[0] == '*';
      text.remove_prefix(1);
    }
    if (!absl::SimpleAtoi(text, &step)) {
      return bad_item(item, "the step is not a number");
    }
    if (multiply ? step < 2 : step < 1) {
      return bad_item(item, multiply ? "a factor must be at least 2"
                                     : "a step must be at least 1");
    }
  }
  // 64-bit so that the last step past HIGH cannot overflow.
  for (long long count = *low; count <= *high;
       count = multiply ? count * step : count + step) {
    counts.push_back(static_cast<int>(count));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::vector<int>> parse_thread_counts(std::string_view spec,
                                                     int available_threads) {
  const absl::string_view text(spec.data(), spec.size());
  std::vector<int> counts;
  for (absl::string_view item : absl::StrSplit(text, ',')) {
    if (item.empty()) return bad_item(text, "empty item");
    if (item == "auto") {
      const int available = std::clamp(available_threads, 1, kMaxThreadCount);
      for (int count = 1; count < available; count *= 2) {
        counts.push_back(count);
      }
      counts.push_back(available);
      continue;
    }
    if (absl::Status status = append_ladder(item, counts); !status.ok()) {
      return status;
    }
  }
  std::sort(counts.begin(), counts.end());
  counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
  return counts;
}

}  // namespace selfplay::scaling
