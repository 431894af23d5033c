#!/usr/bin/python3
"""Environment steps per second of selfplay.VectorEnv (issue 16): a batch of
envs stepped in C++ with random legal actions chosen in numpy, against a
plain Python loop that plays one state at a time through the same bindings
(a VectorEnv of one env, its action chosen in Python). Prints both figures
and their ratio. Run it on a quiet machine, with the package built:

    PYTHONPATH=build/release/python /usr/bin/python3 bench/vector_env.py
    # quick check that it runs: --steps 5 --plain-steps 200
"""

import argparse
import random
import time

import numpy as np

import selfplay


def batched(args):
    """Steps of a batch of args.envs envs: (env steps, seconds, episodes)."""
    env = selfplay.VectorEnv(args.game, args.envs, seed=args.seed,
                             threads=args.threads, features=args.features)
    rng = np.random.default_rng(args.seed)
    _, legal = env.reset()
    start = time.perf_counter()
    for _ in range(args.steps):
        actions = (rng.random(legal.shape) * legal).argmax(axis=1)
        _, legal, _, _, _ = env.step(actions)
    seconds = time.perf_counter() - start
    return args.steps * args.envs, seconds, int(env.episodes.sum())


def plain_loop(args):
    """One env, one state at a time, the action chosen in Python."""
    env = selfplay.VectorEnv(args.game, 1, seed=args.seed, threads=1,
                             features=args.features)
    choose = random.Random(args.seed).choice
    _, legal = env.reset()
    start = time.perf_counter()
    for _ in range(args.plain_steps):
        action = choose(np.flatnonzero(legal[0]).tolist())
        _, legal, _, _, _ = env.step(np.array([action]))
    seconds = time.perf_counter() - start
    return args.plain_steps, seconds, int(env.episodes.sum())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--game", default="connect-four")
    parser.add_argument("--envs", type=int, default=1024)
    parser.add_argument("--steps", type=int, default=2000, help="batched steps")
    parser.add_argument("--plain-steps", type=int, default=100000)
    parser.add_argument("--threads", type=int, default=1,
                        help="VectorEnv threads (1: the one-core figure)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--nofeatures", dest="features", action="store_false",
                        help="no observations (legal masks only)")
    args = parser.parse_args()

    steps, seconds, episodes = batched(args)
    fast = steps / seconds
    print(f"VectorEnv {args.game}, {args.envs} envs, {args.threads} thread(s), "
          f"features {'on' if args.features else 'off'}: {steps} env steps, "
          f"{episodes} episodes in {seconds:.3f} s: {fast:,.0f} steps/s")
    steps, seconds, episodes = plain_loop(args)
    slow = steps / seconds
    print(f"plain Python loop, one state at a time: {steps} steps, {episodes} "
          f"episodes in {seconds:.3f} s: {slow:,.0f} steps/s")
    print(f"ratio: {fast / slow:.1f}x")


if __name__ == "__main__":
    main()
