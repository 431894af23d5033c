"""simulate(): the same result as the CLI for the same run, whatever the
thread count, with the GIL released while it runs."""

import json
import math
import os
import signal
import threading
import time

import numpy as np
import pytest

import selfplay
from conftest import cli_json, without_timing


def test_games_lists_the_cli_games(cli):
    listed = cli("games")
    assert listed.returncode == 0, listed.stderr
    cli_names = [line.split()[0] for line in listed.stdout.splitlines()[1:]]
    games = selfplay.games()
    names = [g["name"] for g in games]
    # Plugins other tests load join the bundled games.
    assert names == sorted(names) and set(cli_names) <= set(names)
    by_name = {g["name"]: g for g in games}
    connect_four = by_name["connect-four"]
    assert connect_four["type"] == "alignment"
    assert connect_four["board"] == {"rows": 6, "columns": 7, "topology": "square"}
    assert connect_four["min_players"] == connect_four["max_players"] == 2


@pytest.mark.parametrize(
    "game, options, flags",
    [
        ("connect-four", {}, []),
        ("checkers", {"max_actions": 60}, ["--max-actions", 60]),
        ("tic-tac-toe", {"keep_games": True}, ["--keep-games"]),
        ("go-fish", {"players": 3, "features": False}, ["--players", 3, "--nofeatures"]),
    ],
)
def test_to_json_is_the_cli_json(cli, tmp_path, game, options, flags):
    result = selfplay.simulate(game, games=300, seed=7, threads=2, **options)
    expected = cli_json(
        cli, tmp_path, "simulate", "--game", game, "--games", 300, "--seed", 7,
        "--threads", 2, *flags)
    assert without_timing(result.to_json()) == expected
    assert json.loads(result.to_json())["schema_version"] == selfplay.JSON_SCHEMA_VERSION


def _column(rows, field):
    """A JSON column as floats, null as NaN (how the arrays hold it)."""
    return np.array([math.nan if row[field] is None else row[field] for row in rows])


def test_arrays_hold_the_cli_statistics(cli, tmp_path):
    result = selfplay.simulate("connect-four", games=500, seed=3, threads=2)
    expected = cli_json(
        cli, tmp_path, "simulate", "--game", "connect-four", "--games", 500,
        "--seed", 3, "--threads", 2)
    assert result.games == expected["games"] == 500
    assert result.completed == expected["completed"]
    assert result.decisions == expected["total_states"]

    features = expected["features"]
    assert result.features == [f["id"] for f in features]
    assert [i["category"] for i in result.feature_infos] == [f["category"] for f in features]
    table = result.feature_table
    assert table.shape == (len(features),)
    for field in table.dtype.names:
        np.testing.assert_array_equal(table[field], _column(features, field), err_msg=field)

    actions = expected["actions"]
    assert result.action_kinds == [a["kind"] for a in actions]
    for field in result.action_table.dtype.names:
        np.testing.assert_array_equal(
            result.action_table[field], _column(actions, field), err_msg=field)

    seats = result.seat_table
    for field in ("wins", "losses", "draws"):
        assert seats[field].tolist() == [s[field] for s in expected["seat_results"]]

    lengths = result.length_histogram
    played = np.nonzero(lengths)[0]
    assert lengths.sum() == expected["completed"]
    assert (played.min(), played.max()) == (expected["length"]["min"], expected["length"]["max"])


def test_results_do_not_depend_on_the_thread_count():
    one = selfplay.simulate("checkers", games=400, seed=11, threads=1)
    two = selfplay.simulate("checkers", games=400, seed=11, threads=2)
    assert one.timing["threads"] == 1 and two.timing["threads"] == 2
    assert without_timing(one.to_json()) == without_timing(two.to_json())
    # Bit for bit, NaNs included.
    for table in ("feature_table", "action_table", "seat_table", "length_histogram"):
        assert getattr(one, table).tobytes() == getattr(two, table).tobytes(), table


def test_another_seed_is_another_run():
    one = selfplay.simulate("tic-tac-toe", games=300, seed=1)
    two = selfplay.simulate("tic-tac-toe", games=300, seed=2)
    assert without_timing(one.to_json()) != without_timing(two.to_json())


def test_python_threads_run_while_a_simulation_does():
    # With the GIL held for the whole run this thread could not loop at all
    # between the run's start and its end.
    started = threading.Event()
    finished = []

    def run():
        started.set()
        finished.append(selfplay.simulate("checkers", games=20000, seed=5, threads=1))

    worker = threading.Thread(target=run)
    worker.start()
    started.wait()
    loops = 0
    while not finished:
        time.sleep(0.001)
        loops += 1
    worker.join()
    assert finished[0].games == 20000
    assert loops >= 10


def test_ctrl_c_stops_a_run_promptly():
    # Days of games: only the interrupt can end the call in time.
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT))
    start = time.monotonic()
    timer.start()
    with pytest.raises(KeyboardInterrupt) as interrupted:
        selfplay.simulate("checkers", games=10**10, threads=1, seed=4)
    assert time.monotonic() - start < 60
    timer.join()
    # What was played before the stop comes with the exception.
    partial = interrupted.value.partial_result
    assert partial.requested == 10**10
    assert 0 < partial.games < 10**10
    assert partial.games + partial.cancelled == 10**10
    assert len(partial.feature_table) == len(partial.features) > 0
    assert partial.seat_table["wins"].sum() + partial.seat_table[
        "losses"].sum() + partial.seat_table["draws"].sum() > 0
    # The module still runs.
    assert selfplay.simulate("tic-tac-toe", games=10).games == 10


def test_progress_reports_finished_games():
    calls = []
    result = selfplay.simulate(
        "checkers", games=5000, seed=5, threads=2,
        progress=lambda finished, total: calls.append((finished, total)))
    assert calls[-1] == (5000, 5000)
    finished = [done for done, _ in calls]
    assert finished == sorted(set(finished))
    assert {total for _, total in calls} == {5000}
    plain = selfplay.simulate("checkers", games=5000, seed=5, threads=2)
    assert without_timing(result.to_json()) == without_timing(plain.to_json())


def test_an_exception_from_progress_stops_the_run():
    def give_up(finished, total):
        raise RuntimeError(f"enough after {finished}")

    with pytest.raises(RuntimeError, match="enough after"):
        selfplay.simulate("checkers", games=10**10, threads=1, progress=give_up)
