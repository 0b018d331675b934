"""Shared fixtures: one graph built from the shipped data for the whole session."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import glocal
from glocal.cli import main

TESTS = Path(__file__).parent


@pytest.fixture(scope="session")
def store(tmp_path_factory) -> Path:
    """A store built once from the curated data that ships with Glocal."""
    location = tmp_path_factory.mktemp("glocal") / "store"
    glocal.build(location)
    return location


@pytest.fixture(scope="session")
def world_graph(tmp_path_factory):
    """The graph built with the worldwide sources (slow: about five minutes of CPU)."""
    location = tmp_path_factory.mktemp("glocal-world") / "store"
    glocal.build(location, worldwide=True)
    return glocal.open_graph(location)


@pytest.fixture(scope="session")
def graph(store):
    return glocal.open_graph(store)


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the shipped data folder, to break on purpose."""
    from glocal.resources import data_dir

    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    return copy


@pytest.fixture
def cli():
    """Run the glocal command in-process: cli("query", "…") → click Result."""
    runner = CliRunner()

    def run(*args, input=None):
        return runner.invoke(main, [str(a) for a in args], input=input)

    return run
