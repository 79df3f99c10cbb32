"""The house style's layering, checked on the source: services take Python values and know nothing of DRF."""
from __future__ import annotations

import ast
import inspect
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "core", "documents", "events", "financing", "monitoring", "patents", "registration", "valuation")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _module_path(name: str) -> Path | None:
    path = ROOT / Path(*name.split("."))
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    return None


def _reaches(start: Path) -> set[str]:
    """Every module imported from `start`, following the project's own modules."""
    seen, todo, reached = set(), [start], set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _imports(path):
            reached.add(name)
            if name.split(".")[0] in APPS and (found := _module_path(name)):
                todo.append(found)
    return reached


def test_no_service_module_reaches_rest_framework():
    services = sorted(ROOT.glob("*/services.py"))
    assert len(services) >= 5
    offenders = {
        str(path.relative_to(ROOT)): sorted(n for n in _reaches(path) if n.split(".")[0] == "rest_framework")
        for path in services
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_financing_has_one_typed_service_per_transition():
    from financing import services
    from financing.models import TRANSITION_NAMES

    for name in TRANSITION_NAMES:
        service = getattr(services, f"application_{name}")
        assert services.TRANSITIONS[name] is service
        parameters = inspect.signature(service).parameters
        assert {"application", "by"} <= set(parameters)
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values()), name
