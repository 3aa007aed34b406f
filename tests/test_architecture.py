"""How the code is laid out: no import cycles between our modules, no private
attribute of a library read, written or overridden by our code (a library upgrade may
change those without notice), and no test module importing a conftest."""

import ast
import importlib
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("config", "home", "events", "forms_app")
# Django's documented model API despite the underscore: Model._meta, and Model._state
# ("Model._state", in the model instance reference: the database an instance was read from).
DOCUMENTED = {"_meta", "_state"}


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def _cycles(graph):
    """Pairs of our modules that import each other, directly or through others (imports
    inside functions included)."""
    found = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if graph.chain_exists(importer=imported, imported=module):
                found.append(f"{module} -> {imported} -> … -> {module}")
    return found


def test_no_import_cycles_between_our_modules(graph):
    assert _cycles(graph) == []


def test_models_import_no_views_or_admin(graph):
    """Layers: models ← services ← views and admin. A model module reaching up into a view
    or admin module (even inside a function) is a cycle waiting to happen."""
    upper = ("views", "admin_views", "wagtail_hooks", "email_settings", "summary")
    offending = [
        (module, imported)
        for module in graph.modules
        if module.endswith(".models")
        for imported in graph.find_modules_directly_imported_by(module)
        if imported.rsplit(".", 1)[-1] in upper
    ]
    assert offending == []


def _our_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _names_we_define():
    names = set()
    for path in _our_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.ctx, ast.Store)
                and isinstance(node.value, ast.Name)
                and node.value.id in ("self", "cls")
            ):
                names.add(node.attr)
    return names


def test_no_private_attribute_of_a_library_is_read_or_written():
    ours = _names_we_define() | DOCUMENTED
    found = []
    for path in _our_files():
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and node.attr not in ours
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(node)}")
    assert found == []


def test_no_private_method_of_a_library_is_overridden():
    """A method named `_x` that we write on one of our classes must not replace a
    library's `_x` (as overriding Django's `Sitemap._urls` did)."""
    found = []
    for cls, names in _our_private_methods():
        for name in names:
            for base in cls.__mro__[1:]:
                if not base.__module__.startswith(PACKAGES) and name in vars(base):
                    found.append(f"{cls.__module__}.{cls.__qualname__}.{name} ({base})")
    assert found == []


def _our_private_methods():
    """(class, names of the `_x` methods its source defines) for each of our classes."""
    for path in _our_files():
        module_name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if "settings" in module_name:
            continue
        private = {
            node.name: [
                item.name
                for item in node.body
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef))
                and item.name.startswith("_")
                and not item.name.startswith("__")
            ]
            for node in ast.parse(path.read_text()).body
            if isinstance(node, ast.ClassDef)
        }
        private = {name: methods for name, methods in private.items() if methods}
        if not private:
            continue
        module = importlib.import_module(module_name)
        for class_name, methods in private.items():
            yield getattr(module, class_name), methods


def test_no_test_module_imports_a_conftest():
    """pytest loads a conftest itself, for its folder; a module importing one loads it a
    second time under another name. What tests share lives in tests/helpers.py and in
    modules named for what they hold (tests/browser/chromium.py)."""
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if "node_modules" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            if any(name.split(".")[-1] == "conftest" for name in names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, found
