"""The documents layer sits low in the import graph: producers (reports, statistics,
participants, …) pass their data in, and the layer imports nothing of theirs."""

import ast
from pathlib import Path

import finsam.documents

ALLOWED = ("finsam.core", "finsam.documents")


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_the_documents_layer_imports_only_core():
    root = Path(finsam.documents.__file__).parent
    sources = [p for p in root.rglob("*.py") if "tests" not in p.parts]
    assert len(sources) >= 8
    found = {
        (path.name, module)
        for path in sources
        for module in _imports(path)
        if module.startswith("finsam") and not module.startswith(ALLOWED)
    }
    assert found == set()


def test_the_core_formats_import_nothing_of_finsam():
    import finsam.core.formats as formats

    modules = set(_imports(Path(formats.__file__)))
    assert not [m for m in modules if m.startswith("finsam")]
