"""The README's table of error codes is complete and correct: every code the app can answer is in it,
in the row of the status it comes with, and it names no code the app no longer has.

The codes are read from the source itself: every Refusal subclass, every `code="..."` given where a
refusal is raised, every `answer(status, "code", ...)`, the HTTP errors' codes and the door's check-in
results. A new code without its README line fails here.
"""
import ast
import importlib
import pathlib
import pkgutil
import re

import points
from points.api.checkins import STATUS as CHECKIN_STATUS
from points.errors import Refusal
from points.lifecycle import HTTP_CODES
from points.redemption.models import CheckInResult

ROOT = pathlib.Path(points.__file__).parent
README = ROOT.parent / "README.md"
# Base classes that are never raised as themselves: each of their refusals carries its own code.
NEVER_RAISED = {"ledger_error"}


def readme_table():
    """{code: statuses of its row} from the table of "## The API"."""
    section = README.read_text().split("## The API", 1)[1].split("\n## ", 1)[0]
    table = {}
    for statuses, codes in re.findall(r"^\| ([\d /]+) \| (.+) \|$", section, flags=re.MULTILINE):
        for code in re.findall(r"`([a-z_]+)`", codes):
            table.setdefault(code, set()).update(int(s) for s in statuses.split("/"))
    return table


def source_codes():
    """{code: statuses} of everything the app can answer with."""
    for module in pkgutil.walk_packages(points.__path__, "points."):
        importlib.import_module(module.name)  # every Refusal subclass is defined
    codes = {}
    for cls in _subclasses(Refusal):
        if "code" in vars(cls):
            codes.setdefault(cls.code, set()).add(cls.status)
    for path in sorted(ROOT.rglob("*.py")):
        for code, status in _raised(path):
            codes.setdefault(code, set()).add(status)
    for status, code in HTTP_CODES.items():
        codes.setdefault(code, set()).add(status)
    for result in CheckInResult:
        if result != CheckInResult.OK:
            codes.setdefault(result.value, set()).add(CHECKIN_STATUS.get(result, 409))
    return {code: statuses for code, statuses in codes.items() if code not in NEVER_RAISED}


def _subclasses(cls):
    yield cls
    for sub in cls.__subclasses__():
        yield from _subclasses(sub)


def _raised(path):
    """(code, status) of each `Kind(..., code="x", status=n)` and `answer(n, "x", ...)` in a file."""
    namespace = vars(importlib.import_module(_module_name(path)))
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        keywords = {k.arg: k.value for k in node.keywords}
        if isinstance(keywords.get("code"), ast.Constant):
            kind = _resolve(namespace, ast.unparse(node.func))
            status = keywords["status"].value if isinstance(keywords.get("status"), ast.Constant) else kind.status
            yield keywords["code"].value, status
        elif ast.unparse(node.func) == "answer" and all(isinstance(a, ast.Constant) for a in node.args[:2]):
            yield node.args[1].value, node.args[0].value


def _module_name(path):
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(namespace, dotted):
    first, *rest = dotted.split(".")
    value = namespace[first]
    for name in rest:
        value = getattr(value, name)
    return value


def test_every_code_the_app_answers_is_in_the_readme_with_its_status():
    table = readme_table()
    wrong = [f"{code}: answered with {sorted(statuses)}, README says {sorted(table.get(code, ()))}"
             for code, statuses in sorted(source_codes().items()) if not statuses <= table.get(code, set())]
    assert wrong == [], "\n".join(wrong)


def test_the_readme_names_no_code_the_app_does_not_have():
    assert sorted(set(readme_table()) - set(source_codes())) == []
