"""How the test suite is laid out: each test module stands on its own."""
import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def _is_test_module(dotted: list[str]) -> bool:
    return bool(dotted) and dotted[-1].startswith("test_") and ROOT.joinpath(*dotted).with_suffix(".py").is_file()


def imported_test_modules(source: str, package: list[str]) -> list[str]:
    """The test modules (tests/**/test_*.py) that code in `package` (["tests", "training"])
    imports, by absolute or relative name, at its top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            candidates = [alias.name.split(".") for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = base + (node.module.split(".") if node.module else [])
            # `from tests.training import test_rules` imports the module test_rules.
            candidates = [module] + [module + [alias.name] for alias in node.names]
        else:
            continue
        found += [".".join(dotted) for dotted in candidates if _is_test_module(dotted)]
    return found


def test_no_test_module_imports_another():
    """A test module that borrows another's helpers breaks when that one is renamed or
    trimmed, and a test function it imports runs twice. Shared helpers live in modules not
    named test_*.py: tests/factories.py, tests/client.py, tests/<part>/factories.py."""
    found = {}
    for path in sorted(TESTS.rglob("*.py")):
        package = list(path.relative_to(ROOT).parts[:-1])
        if imported := imported_test_modules(path.read_text(), package):
            found[str(path.relative_to(ROOT))] = imported
    assert found == {}


def test_the_layout_check_notices_each_way_of_importing_a_test_module():
    source = ("import tests.test_cli\nfrom tests.training.test_rules import respond\n"
              "from tests.training import test_rules, factories\nfrom . import test_authoring\n"
              "from .test_leaving import leave\nfrom ..test_mail import something\n\n\n"
              "def later():\n    from tests.training.factories import make_program\n"
              "    from tests.test_help_now import _links_to_help\n")
    assert imported_test_modules(source, ["tests", "training"]) == [
        "tests.test_cli", "tests.training.test_rules", "tests.training.test_rules", "tests.training.test_authoring",
        "tests.training.test_leaving", "tests.test_mail", "tests.test_help_now"]
