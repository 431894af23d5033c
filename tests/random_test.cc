// Seeding against published answers and a reimplementation from the README:
// Rng is Vigna's SplitMix64 (its reference outputs for seeds 0 and 1234567),
// seed_for(base, i) is README.md's formula computed here from a SplitMix64
// written apart, and uniform() covers its range evenly.
#include "selfplay/random.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace selfplay {
namespace {

TEST(Rng, ReproducesTheReferenceSplitMix64Outputs) {
  // splitmix64.c (Vigna) seeded with 0, and the sequence for 1234567 that
  // other SplitMix64 implementations test against.
  Rng zero(0);
  for (std::uint64_t expected :
       {0xe220a8397b1dcdafULL, 0x6e789e6aa1b965f4ULL, 0x06c45d188009454fULL,
        0xf88bb8a8724c81ecULL, 0x1b39896a51a8749bULL}) {
    EXPECT_EQ(zero.next(), expected);
  }
  Rng seeded(1234567);
  for (std::uint64_t expected :
       {6457827717110365317ULL, 3203168211198807973ULL, 9817491932198370423ULL,
        4593380528125082431ULL, 16408922859458223821ULL}) {
    EXPECT_EQ(seeded.next(), expected);
  }
}

// README.md: seed_for(seed, i) = splitmix64(splitmix64(seed) + (i + 1) *
// 0x9e3779b97f4a7c15), with splitmix64 the finaliser, written out here.
std::uint64_t readme_seed_for(std::uint64_t seed, std::uint64_t index) {
  const auto finalise = [](std::uint64_t z) {
    z ^= z >> 30;
    z *= 0xbf58476d1ce4e5b9ULL;
    z ^= z >> 27;
    z *= 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  return finalise(finalise(seed) + (index + 1) * 0x9e3779b97f4a7c15ULL);
}

TEST(SeedFor, IsTheReadmeFormula) {
  for (std::uint64_t seed : {0ULL, 1ULL, 7ULL, 21ULL, ~0ULL}) {
    for (std::uint64_t index : {0ULL, 1ULL, 2ULL, 999ULL, 1ULL << 40, ~0ULL}) {
      EXPECT_EQ(seed_for(seed, index), readme_seed_for(seed, index))
          << seed << ", " << index;
    }
  }
  // So a run's game seeds are one SplitMix64 stream: game i's is the
  // (i+1)-th output of a generator started at the finalised base seed.
  Rng stream(splitmix64_mix(7));
  for (std::uint64_t index = 0; index < 100; ++index) {
    EXPECT_EQ(seed_for(7, index), stream.next()) << index;
  }
}

TEST(Rng, UniformStaysInRangeAndCoversItEvenly) {
  Rng rng(1);
  int seen[7] = {};
  for (int i = 0; i < 7000; ++i) {
    std::uint32_t v = rng.uniform(7);
    ASSERT_LT(v, 7u);
    ++seen[v];
  }
  // 1000 expected per value, standard deviation about 29.
  for (int count : seen) {
    EXPECT_GT(count, 850);
    EXPECT_LT(count, 1150);
  }
}

}  // namespace
}  // namespace selfplay
