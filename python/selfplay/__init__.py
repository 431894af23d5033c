"""selfplay's engine from Python: self-play simulations, their statistics as
numpy arrays, and records files.

    import selfplay
    result = selfplay.simulate("connect-four", games=10000, seed=1)
    table = result.feature_table          # structured numpy array
    best = result.features[abs(table["phi"]).argmax()]
    document = result.to_json()           # as `selfplay simulate --json`

    records = selfplay.read_records("games.sprec")
    records.feature_matrix()              # decisions x features, bool
    result.feature_frame()                # pandas, when python3-pandas is in

    model = selfplay.train("connect-four", iterations=3, oracle="mcts:50")
    selfplay.simulate("connect-four", policies=["greedy", "mcts:50"], model=model)

    env = selfplay.VectorEnv("connect-four", 1024, num_actions=7, seed=1)
    observations, legal = env.reset()     # uint8: envs x features, x actions
    actions = env.choose(selfplay.Player("mcts:50"))  # one per env
    observations, legal, rewards, terminated, truncated = env.step(actions)

Everything is computed by the C++ library (the extension _selfplay); bad
arguments raise ValueError or TypeError with the library's message.
"""

from collections.abc import Callable
from typing import Any

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
    simulate as _simulate,
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


def _data_frame(table, labels, name):
    try:
        import pandas
    except ImportError as error:
        raise ImportError(
            "Result's data frames need pandas (apt-get install "
            "python3-pandas); the numpy tables feature_table, seat_table and "
            "action_table do not"
        ) from error
    return pandas.DataFrame(table, index=pandas.Index(list(labels), name=name))


def _feature_frame(self):
    """feature_table as a pandas DataFrame indexed by feature id, with each
    feature's description and category first, as in the CLI's JSON (needs
    pandas)."""
    frame = _data_frame(self.feature_table, self.features, "feature")
    infos = self.feature_infos
    frame.insert(0, "description", [info["description"] for info in infos])
    frame.insert(1, "category", [info["category"] for info in infos])
    return frame


def _seat_frame(self):
    """seat_table as a pandas DataFrame indexed by seat (needs pandas)."""
    return _data_frame(self.seat_table, range(len(self.seat_table)), "seat")


def _action_frame(self):
    """action_table as a pandas DataFrame indexed by action kind (needs
    pandas)."""
    return _data_frame(self.action_table, self.action_kinds, "kind")


Result.feature_frame = _feature_frame
Result.seat_frame = _seat_frame
Result.action_frame = _action_frame


def simulate(
    game: str,
    *,
    progress: Callable[[int, int], object] | bool | None = None,
    **options: Any,
) -> Result:
    """Plays self-play games and tallies them; the options are those of the
    extension's simulate (help(selfplay._selfplay.simulate)). progress: None
    or False, a callable called as progress(finished, games), or True for a
    tqdm bar on stderr when tqdm is installed (python3-tqdm; without it, no
    bar)."""
    if progress is None or progress is False:
        return _simulate(game, **options)
    if progress is not True:
        return _simulate(game, progress=progress, **options)
    try:
        import tqdm
    except ImportError:
        return _simulate(game, **options)
    with tqdm.tqdm(total=options.get("games", 10000), unit="game") as bar:

        def advance(finished, games):
            bar.total = games
            bar.update(finished - bar.n)

        return _simulate(game, progress=advance, **options)
