"""The optional extras: pandas data frames of a result, compared with the
CLI's JSON for the same run, and a tqdm progress bar."""

import sys

import pytest

import selfplay
from conftest import cli_json, without_timing


@pytest.fixture(scope="module")
def run(cli, tmp_path_factory):
    """A result and the CLI's JSON document for the same run."""
    result = selfplay.simulate("tic-tac-toe", games=400, seed=11, threads=2)
    document = cli_json(
        cli, tmp_path_factory.mktemp("cli"), "simulate", "--game",
        "tic-tac-toe", "--games", 400, "--seed", 11, "--threads", 2)
    return result, document


def _expected(pandas, rows, key, name):
    """The CLI's rows as a frame indexed by `key`, renamed `name`; the JSON's
    nulls (undefined rates) are NaN in the numpy tables."""
    frame = pandas.DataFrame(rows).set_index(key).fillna(float("nan"))
    frame.index.name = name
    return frame


def test_frames_hold_the_cli_statistics(run):
    pandas = pytest.importorskip("pandas")
    result, document = run
    features = result.feature_frame()
    assert len(features) > 0
    pandas.testing.assert_frame_equal(
        features, _expected(pandas, document["features"], "id", "feature"),
        check_dtype=False)
    assert len(result.action_frame()) > 0
    pandas.testing.assert_frame_equal(
        result.action_frame(),
        _expected(pandas, document["actions"], "kind", "kind"),
        check_dtype=False)
    pandas.testing.assert_frame_equal(
        result.seat_frame(),
        _expected(pandas, document["seat_results"], "seat", "seat"),
        check_dtype=False)


def test_frames_without_pandas_raise_import_error(run, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import fails
    result, _ = run
    frames = (result.feature_frame, result.seat_frame, result.action_frame)
    for frame in frames:
        with pytest.raises(ImportError, match="python3-pandas"):
            frame()


def test_a_tqdm_bar_draws_and_keeps_the_result(capsys):
    pytest.importorskip("tqdm")
    plain = selfplay.simulate("connect-four", games=3000, seed=4, threads=2)
    barred = selfplay.simulate(
        "connect-four", games=3000, seed=4, threads=2, progress=True)
    assert without_timing(barred.to_json()) == without_timing(plain.to_json())
    assert "3000/3000" in capsys.readouterr().err


def test_progress_true_without_tqdm_draws_nothing(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tqdm", None)
    plain = selfplay.simulate("connect-four", games=300, seed=4, threads=2)
    quiet = selfplay.simulate(
        "connect-four", games=300, seed=4, threads=2, progress=True)
    assert without_timing(quiet.to_json()) == without_timing(plain.to_json())
    assert capsys.readouterr().err == ""


def test_progress_false_is_no_progress():
    result = selfplay.simulate("tic-tac-toe", games=50, seed=2, progress=False)
    assert result.games == 50
