#include "selfplay/random.h"

#include <gtest/gtest.h>
namespace selfplay {
namespace {
TEST(SeedFor, IsAPureFunctionOfBaseSeedAndIndex) {
  EXPECT_EQ(seed_for(7, 3), seed_for(7, 3));
  EXPECT_NE(seed_for(7, 3), seed_for(7, 4));
  EXPECT_NE(seed_for(7, 3), seed_for(8, 3));
}
TEST(Rng, UniformStaysInRangeAndCoversIt) {
  Rng rng(1);
  int seen[7] = {};
  for (int i = 0; i < 7000; ++i) {
    std::uint32_t v = rng.uniform(7);
    ASSERT_LT(v, 7u);
    ++seen[v];
  }
  for (int count : seen) EXPECT_GT(count, 850);
}
}  // namespace
}  // namespace selfplay
