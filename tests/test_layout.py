"""The layout's rules, checked so they stay true: small modules, imports at the top, and no
HTML written by Python (tags live in templates/_markup.html.j2 and the page templates)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from conftest import ROOT

PACKAGE = ROOT / "scraper"
MODULES = sorted(PACKAGE.rglob("*.py"))
# The stages that write pages, feeds or the index; ingest/ reads upstream's HTML, so it names tags.
WRITING_STAGES = ("catalog", "facts", "search", "site")
TAG_RE = re.compile(r"(?<!\?P)<(?:a|p|br|code|strong|em|mark|span|div|ul|ol|li|table|tr|td|th|h[1-6]|summary|entry|feed)[\s>/]", re.I)


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_module_over_400_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400


def nested_imports(source: str) -> list[int]:
    """Lines of imports not at module top; ``if TYPE_CHECKING:`` imports count as top."""
    tree = ast.parse(source)
    allowed = {
        id(node)
        for block in tree.body
        if isinstance(block, ast.If) and isinstance(block.test, ast.Name) and block.test.id == "TYPE_CHECKING"
        for node in block.body
    }
    return [
        node.lineno
        for parent in ast.walk(tree)
        if not isinstance(parent, ast.Module)
        for node in ast.iter_child_nodes(parent)
        if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in allowed
    ]


def html_strings(source: str) -> list[tuple[int, str]]:
    """String constants, docstrings aside, that hold an HTML tag."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings and TAG_RE.search(node.value)
    ]


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_imports_sit_at_module_top(path):
    assert nested_imports(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("path", [p for p in MODULES if p.relative_to(PACKAGE).parts[0] in WRITING_STAGES], ids=_name)
def test_python_writes_no_html(path):
    assert html_strings(path.read_text(encoding="utf-8")) == [], "HTML belongs in templates/"


def test_the_checks_fail_on_what_they_name():
    bad = 'from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import ssl\n\n\ndef f():\n    """<b>doc</b>"""\n    import os\n    return f"<code>{os.sep}</code>"\n'
    assert nested_imports(bad) == [8]
    assert [line for line, _ in html_strings(bad)] == [9]
    assert html_strings('PATTERN = r"(?P<code>`+)"\nCOMPARE = "a <= b and c > d"\n') == []
