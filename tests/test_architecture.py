"""The shape of the code: apps import one way (import-linter, run by ./bin/test) and never hide
an import of our own apps inside a function, where import-linter's layers could not see a loop."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "kraeftplan",
    "accounts",
    "initiatives",
    "budget",
    "targets",
    "contributions",
    "opendata",
    "reports",
    "dashboard",
    "search",
    "fixtures",
]


def own_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def imports_inside_functions(tree):
    """(line, module) for each import of our apps inside a function, AppConfig.ready() aside."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or node.name == "ready":
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.ImportFrom):
                names = [inner.module or ""] if inner.level == 0 else ["." * inner.level]
            elif isinstance(inner, ast.Import):
                names = [alias.name for alias in inner.names]
            else:
                continue
            for name in names:
                if name.startswith(".") or name.split(".")[0] in APPS:
                    found.append((inner.lineno, name))
    return found


@pytest.mark.parametrize("path", list(own_modules()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_imports_our_apps_inside_a_function(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    assert imports_inside_functions(tree) == []


def test_the_check_finds_an_import_hidden_in_a_function():
    tree = ast.parse("def f():\n    from reports.models import AnnualReport\n    from . import x\n")
    assert imports_inside_functions(tree) == [(2, "reports.models"), (3, ".")]


def test_no_app_holds_more_than_a_third_of_the_python():
    lines = dict.fromkeys(APPS, 0)
    for path in own_modules():
        lines[path.relative_to(ROOT).parts[0]] += len(path.read_text().splitlines())
    total = sum(lines.values())
    assert max(lines.values()) <= total / 3, lines
