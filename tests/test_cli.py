"""Every command documents itself with an example; the library's doctests run."""

import doctest
import importlib
import pkgutil

import click
import pytest

import glocal
from glocal.cli import main


def commands(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from commands(command, (*prefix, name))


@pytest.mark.parametrize("path, command", list(commands(main)), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_command_has_help_with_example(cli, path, command):
    assert command.help and "Example" in command.help, f"glocal {' '.join(path)} has no Example"
    result = cli(*path, "--help")
    assert result.exit_code == 0


def test_readme_mentions_every_command():
    from pathlib import Path

    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for path, _ in commands(main):
        assert f"glocal {' '.join(path)}" in readme, f"README does not show glocal {' '.join(path)}"


MODULES = sorted(m.name for m in pkgutil.walk_packages(glocal.__path__, "glocal.") if m.name != "glocal.__main__")


@pytest.mark.parametrize("module", MODULES)
def test_doctests(module):
    failures, _ = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert failures == 0
