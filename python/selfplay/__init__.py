"""selfplay's engine from Python: self-play simulations, their statistics as
numpy arrays, and records files.

    import selfplay
    result = selfplay.simulate("connect-four", games=10000, seed=1)
    table = result.feature_table          # structured numpy array
    best = result.features[abs(table["phi"]).argmax()]
    document = result.to_json()           # as `selfplay simulate --json`

    records = selfplay.read_records("games.sprec")
    records.feature_matrix()              # decisions x features, bool
    records.decisions_frame()             # pandas, when python3-pandas is in
    result.feature_frame()                # pandas too

    model = selfplay.train("connect-four", iterations=3, oracle="mcts:50")
    selfplay.simulate("connect-four", policies=["greedy", "mcts:50"], model=model)

    env = selfplay.VectorEnv("connect-four", 1024, seed=1)
    observations, legal = env.reset()     # uint8: envs x features, x actions
    actions = env.choose(selfplay.Player("mcts:50"))  # one per env
    observations, legal, rewards, terminated, truncated = env.step(actions)

Everything is computed by the C++ library (the extension _selfplay); bad
arguments raise ValueError or TypeError with the library's message.
"""

from collections.abc import Callable
from typing import Any

import numpy as np

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


def _pandas():
    try:
        import pandas
    except ImportError as error:
        raise ImportError(
            "the data frames need pandas (apt-get install python3-pandas); "
            "the numpy arrays they are made of do not"
        ) from error
    return pandas


def _data_frame(table, labels, name):
    pandas = _pandas()
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


def _decisions_frame(self):
    """The decisions as a pandas DataFrame, one row each, with the columns
    of `selfplay records export --csv`: game_index, seed, status (a
    categorical of status_names), decision (its number in the game), player,
    outcome (NaN where the game did not complete), taken (a categorical of
    action_kinds), available (the kinds available, joined by "|"), then one
    bool column per feature, named by its id (needs pandas)."""
    pandas = _pandas()
    per_game = np.diff(self.decision_offsets.astype(np.int64))
    game_of = np.repeat(np.arange(per_game.size), per_game)
    first_of_game = np.repeat(self.decision_offsets[:-1].astype(np.int64), per_game)
    kinds = self.action_kinds
    # One string per distinct mask, not per decision.
    masks, mask_of = np.unique(self.available, return_inverse=True)
    available = np.array(
        ["|".join(k for bit, k in enumerate(kinds) if mask >> bit & 1) for mask in masks.tolist()],
        dtype=object,
    )
    frame = pandas.DataFrame(
        {
            "game_index": self.game_index[game_of],
            "seed": self.game_seed[game_of],
            "status": pandas.Categorical.from_codes(self.status[game_of], self.status_names),
            "decision": np.arange(game_of.size) - first_of_game,
            "player": self.player,
            "outcome": self.outcome,
            "taken": pandas.Categorical.from_codes(self.taken, kinds),
            "available": available[mask_of],
        }
    )
    features = pandas.DataFrame(self.feature_matrix(), columns=self.features)
    return pandas.concat([frame, features], axis=1)


Result.feature_frame = _feature_frame
Result.seat_frame = _seat_frame
Result.action_frame = _action_frame
Records.decisions_frame = _decisions_frame


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


# help(selfplay.simulate) shows the options too.
simulate.__doc__ += "\n\n" + _simulate.__doc__
