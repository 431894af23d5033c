"""Records files the CLI wrote, read from Python: the statistics equal
`records stats`, and the arrays hold what `records export --csv` prints."""

import csv
import io
import sys

import numpy as np
import pytest

import selfplay
from conftest import without_timing


@pytest.fixture(scope="module")
def records_file(cli, tmp_path_factory):
    # max_actions 20 cuts some connect-four games short: truncated games
    # have decisions but no outcome.
    path = tmp_path_factory.mktemp("records") / "games.sprec"
    completed = cli(
        "simulate", "--game", "connect-four", "--games", 150, "--seed", 9,
        "--threads", 2, "--max-actions", 20, "--records", path, "--noprogress")
    assert completed.returncode == 0, completed.stderr
    return path


def test_records_stats_is_the_cli_records_stats(cli, tmp_path, records_file):
    out = tmp_path / "stats.json"
    completed = cli("records", "stats", records_file, "--json", out)
    assert completed.returncode == 0, completed.stderr
    expected = without_timing(out.read_text())
    assert without_timing(selfplay.records_stats(records_file).to_json()) == expected
    # And both are the statistics of the run that wrote the file.
    run = selfplay.simulate("connect-four", games=150, seed=9, max_actions=20)
    assert without_timing(run.to_json()) == expected


def test_read_records_holds_the_cli_export(cli, records_file):
    exported = cli("records", "export", records_file, "--csv")
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    records = selfplay.read_records(records_file)

    assert (records.game, records.players, records.seed) == ("connect-four", 2, 9)
    header = exported.stdout.splitlines()[0].split(",")
    assert records.features == header[8:]
    decisions = len(rows)
    assert records.player.shape == records.taken.shape == (decisions,)
    assert records.feature_words.shape == (decisions, (len(records.features) + 63) // 64)

    games = records.game_index.shape[0]
    assert games == 150
    assert records.decision_offsets[-1] == decisions
    game_of = np.repeat(np.arange(games), np.diff(records.decision_offsets.astype(np.int64)))
    assert records.game_index[game_of].tolist() == [int(r["game_index"]) for r in rows]
    assert records.game_seed[game_of].tolist() == [int(r["seed"]) for r in rows]
    status = [records.status_names[s] for s in records.status[game_of]]
    assert status == [r["status"] for r in rows]
    assert "truncated" in status and "completed" in status

    assert records.player.tolist() == [int(r["player"]) for r in rows]
    kinds = records.action_kinds
    assert [kinds[k] for k in records.taken] == [r["taken"] for r in rows]
    available = [
        "|".join(k for bit, k in enumerate(kinds) if mask >> bit & 1)
        for mask in records.available.tolist()
    ]
    assert available == [r["available"] for r in rows]

    # The CSV's outcome of the decider, from the game's winners.
    winners = records.winners[game_of]
    outcome = []
    for d, player in enumerate(records.player):
        if status[d] != "completed":
            outcome.append("")
        elif not winners[d].any():
            outcome.append("0.5")
        elif winners[d][player]:
            outcome.append("1" if winners[d].sum() == 1 else "0.5")
        else:
            outcome.append("0")
    assert outcome == [r["outcome"] for r in rows]
    # And the library's own column of it.
    assert ["" if np.isnan(o) else f"{o:g}" for o in records.outcome] == outcome

    matrix = records.feature_matrix()
    assert matrix.dtype == np.bool_ and matrix.shape == (decisions, len(records.features))
    expected = np.array([[r[f] == "1" for f in records.features] for r in rows])
    np.testing.assert_array_equal(matrix, expected)
    assert matrix.any() and not matrix.all()


def exported_frame(pandas, cli, path, records):
    """`records export --csv` of path, its columns typed as decisions_frame
    types them (the CSV has no types)."""
    exported = cli("records", "export", path, "--csv")
    assert exported.returncode == 0, exported.stderr
    frame = pandas.read_csv(
        io.StringIO(exported.stdout),
        dtype={"game_index": np.uint64, "seed": np.uint64, "status": str, "decision": np.int64,
               "player": np.int32, "outcome": np.float64, "taken": str, "available": str},
        keep_default_na=False, na_values={"outcome": [""]})
    frame["status"] = pandas.Categorical(frame["status"], categories=records.status_names)
    frame["taken"] = pandas.Categorical(frame["taken"], categories=records.action_kinds)
    features = list(frame.columns[8:])
    assert features == records.features
    frame[features] = frame[features].astype(bool)
    return frame


def test_decisions_frame_is_the_cli_export(cli, records_file):
    pandas = pytest.importorskip("pandas")
    records = selfplay.read_records(records_file)
    frame = records.decisions_frame()
    pandas.testing.assert_frame_equal(frame, exported_frame(pandas, cli, records_file, records))
    # Decisions of truncated games have no outcome; the others all do.
    assert frame["outcome"].isna().any() and frame["outcome"].notna().any()


def test_decisions_frame_of_three_players_without_features(cli, tmp_path):
    pandas = pytest.importorskip("pandas")
    path = tmp_path / "plain.sprec"
    completed = cli(
        "simulate", "--game", "go-fish", "--players", 3, "--games", 5, "--nofeatures",
        "--records", path, "--noprogress")
    assert completed.returncode == 0, completed.stderr
    records = selfplay.read_records(path)
    frame = records.decisions_frame()
    pandas.testing.assert_frame_equal(frame, exported_frame(pandas, cli, path, records))
    assert frame.shape[1] == 8 and sorted(set(frame["player"])) == [0, 1, 2]


def test_decisions_frame_without_pandas_raises_import_error(monkeypatch, records_file):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas fails
    records = selfplay.read_records(records_file)
    with pytest.raises(ImportError, match="python3-pandas"):
        records.decisions_frame()


def test_a_corrupt_records_file_raises_value_error(tmp_path, records_file):
    data = records_file.read_bytes()
    cut = tmp_path / "cut.sprec"
    cut.write_bytes(data[: len(data) - 10])
    with pytest.raises(ValueError, match="offset|truncated|ends"):
        selfplay.read_records(cut)
    with pytest.raises(ValueError):
        selfplay.records_stats(cut)
    foreign = tmp_path / "foreign.sprec"
    foreign.write_bytes(b"not a records file at all")
    with pytest.raises(ValueError):
        selfplay.read_records(foreign)
    with pytest.raises(ValueError, match="no file"):
        selfplay.read_records(tmp_path / "missing.sprec")


def test_records_without_features(cli, tmp_path):
    path = tmp_path / "plain.sprec"
    completed = cli(
        "simulate", "--game", "tic-tac-toe", "--games", 20, "--nofeatures",
        "--records", path, "--noprogress")
    assert completed.returncode == 0, completed.stderr
    records = selfplay.read_records(path)
    decisions = int(records.decision_offsets[-1])
    assert records.features == []
    assert records.feature_words.shape == (decisions, 0)
    assert records.feature_matrix().shape == (decisions, 0)
    assert selfplay.records_stats(path).decisions == decisions > 0
