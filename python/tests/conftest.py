"""Shared helpers of the Python tests: the CLI, which is the oracle the
module's results are compared with, and the test plugins. CMake passes their
paths (python/CMakeLists.txt)."""

import json
import os
import subprocess

import pytest


def _path(variable):
    path = os.environ.get(variable)
    if not path:
        pytest.fail(f"{variable} is not set: run the tests through ctest")
    return path


@pytest.fixture(scope="session")
def cli():
    """Runs the selfplay CLI; returns the completed process (never raises)."""
    program = _path("SELFPLAY_CLI")

    def run(*args):
        return subprocess.run(
            [program, *map(str, args)],
            capture_output=True,
            text=True,
            check=False,
        )

    return run


@pytest.fixture(scope="session")
def nim_plugin():
    return _path("SELFPLAY_NIM_PLUGIN")


@pytest.fixture(scope="session")
def take_away_plugin():
    return _path("SELFPLAY_TAKE_AWAY_PLUGIN")


@pytest.fixture(scope="session")
def plugins(nim_plugin, take_away_plugin):
    """Loads the test plugins; their game names -> paths. The registry is the
    process's: each library is loaded once."""
    import selfplay

    selfplay.load_game_library(nim_plugin)
    selfplay.load_game_library(take_away_plugin)
    return {"nim": nim_plugin, "take-away": take_away_plugin}


def without_timing(text):
    """A result document without its "timing", the one part that differs
    between identical runs."""
    document = json.loads(text)
    assert "timing" in document
    del document["timing"]
    return document


def cli_json(cli, tmp_path, *args):
    """The --json document of a CLI run, without its timing."""
    out = tmp_path / "cli.json"
    completed = cli(*args, "--json", out, "--noprogress")
    assert completed.returncode == 0, completed.stderr
    return without_timing(out.read_text())
