"""The type stub (_selfplay.pyi) names exactly what the extension defines,
and everything public has a docstring (what help(selfplay) shows)."""

import ast
import inspect
import pathlib

import selfplay
from selfplay import _selfplay


def public(names):
    return {name for name in names if not name.startswith("_")}


def stub():
    """Top-level names of the stub -> None, or for a class its members."""
    tree = ast.parse(pathlib.Path(_selfplay.__file__).with_name("_selfplay.pyi").read_text())
    names = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names[node.name] = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
        elif isinstance(node, ast.FunctionDef):
            names[node.name] = None
        elif isinstance(node, ast.AnnAssign):
            names[node.target.id] = None
    return names


def test_the_stub_names_what_the_extension_defines():
    names = stub()
    assert set(names) == public(vars(_selfplay)) | {"__version__"}
    for name, members in names.items():
        if members is not None:
            # Methods that selfplay/__init__.py adds are in the stub too.
            assert public(members) == public(vars(getattr(_selfplay, name))), name


def documentation(thing):
    """A docstring less pybind11's signature line."""
    text = inspect.getdoc(thing) or ""
    if callable(thing) and not isinstance(thing, type):
        first, _, rest = text.partition("\n")
        if first.startswith(getattr(thing, "__name__", "?") + "("):
            text = rest
    return text.strip()


def test_everything_public_has_a_docstring():
    missing = []
    assert documentation(selfplay) and documentation(_selfplay)
    for name in selfplay.__all__:
        thing = getattr(selfplay, name)
        if isinstance(thing, int):
            continue
        if not documentation(thing):
            missing.append(name)
        if isinstance(thing, type):
            for member, value in vars(thing).items():
                if member.startswith("_"):
                    continue
                if not documentation(value):
                    missing.append(f"{name}.{member}")
    assert missing == []
