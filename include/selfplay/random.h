// Seeding and random numbers that depend on nothing but their seed.
//
// Every game i of a run gets `seed_for(base_seed, i)`: a pure function, so a
// game's outcome never depends on which thread or MPI rank played it.
//
//   Rng rng(seed_for(base_seed, game_index));
//   int pick = rng.uniform(legal.size());
#ifndef SELFPLAY_RANDOM_H_
#define SELFPLAY_RANDOM_H_

#include <cstdint>

namespace selfplay {

// The SplitMix64 finaliser (Steele, Lea, Flood 2014): a bijective mix with
// good avalanche, used for seeds and as the generator's output function.
constexpr std::uint64_t splitmix64_mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

inline constexpr std::uint64_t kGoldenGamma = 0x9e3779b97f4a7c15ULL;

// Seed of game `index` in a run with `base_seed`:
// splitmix64_mix(splitmix64_mix(base_seed) + (index + 1) * golden gamma).
constexpr std::uint64_t seed_for(std::uint64_t base_seed, std::uint64_t index) {
  return splitmix64_mix(splitmix64_mix(base_seed) + (index + 1) * kGoldenGamma);
}

// A derived, independent stream for another consumer of the same seed (the
// policy, a shuffle): `stream` is a small constant that names the consumer.
constexpr std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream) {
  return splitmix64_mix(seed ^ splitmix64_mix(stream + kGoldenGamma));
}

// SplitMix64 generator: 8 bytes of state, passes BigCrush, and is fast enough
// that a random playout is dominated by the game, not the RNG.
class Rng {
 public:
  explicit constexpr Rng(std::uint64_t seed) : state_(seed) {}

  constexpr std::uint64_t next() {
    state_ += kGoldenGamma;
    return splitmix64_mix(state_);
  }
  // Uniform in [0, n), n > 0, by Lemire's multiply-shift (bias below 2^-32
  // for the n a game uses, and identical on every platform).
  constexpr std::uint32_t uniform(std::uint32_t n) {
    return static_cast<std::uint32_t>(((next() >> 32) * n) >> 32);
  }

 private:
  std::uint64_t state_;
};

}  // namespace selfplay

#endif  // SELFPLAY_RANDOM_H_
