"""selfplay's engine from Python: self-play simulations, their statistics as
numpy arrays, and records files.

    import selfplay
    result = selfplay.simulate("connect-four", games=10000, seed=1)
    table = result.feature_table          # structured numpy array
    best = result.features[abs(table["phi"]).argmax()]
    document = result.to_json()           # as `selfplay simulate --json`

    records = selfplay.read_records("games.sprec")
    records.feature_matrix()              # decisions x features, bool

    model = selfplay.train("connect-four", iterations=3, oracle="mcts:50")
    selfplay.simulate("connect-four", policies=["greedy", "mcts:50"], model=model)

    env = selfplay.VectorEnv("connect-four", 1024, num_actions=7, seed=1)
    observations, legal = env.reset()     # uint8: envs x features, x actions
    actions = env.choose(selfplay.Player("mcts:50"))  # one per env
    observations, legal, rewards, terminated, truncated = env.step(actions)

Everything is computed by the C++ library (the extension _selfplay); bad
arguments raise ValueError or TypeError with the library's message.
"""

from ._selfplay import (
    JSON_SCHEMA_VERSION as JSON_SCHEMA_VERSION,
    Model as Model,
    Player as Player,
    Records as Records,
    Result as Result,
    VectorEnv as VectorEnv,
    __version__ as __version__,
    games as games,
    load_game_library as load_game_library,
    read_records as read_records,
    records_stats as records_stats,
    simulate as simulate,
    train as train,
)

__all__ = [
    "JSON_SCHEMA_VERSION",
    "Model",
    "Player",
    "Records",
    "Result",
    "VectorEnv",
    "games",
    "load_game_library",
    "read_records",
    "records_stats",
    "simulate",
    "train",
]
