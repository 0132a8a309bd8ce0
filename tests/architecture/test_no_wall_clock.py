"""No test asserts on a wall-clock duration (rule 4 of the engineering rules; issue 16).

CI is a loaded 2-core machine: `assert time.monotonic() - started < 0.9` fails there now and then while the code is
right. A test waits for a condition (polling with a generous deadline, FakeClock/VirtualClock where the code takes a
clock); how fast something is belongs to bench/, measured against a baseline in the same run.

The scan (ast, over every .py file under tests/): a *duration* is a subtraction with a real clock reading on either
side — `time.time()`, `time.monotonic()`, `time.perf_counter()` (and `_ns`), `loop.time()` — directly or through a
name assigned from one (`started = time.monotonic()`, `elapsed = time.monotonic() - started`, `laps.append(...)`).
An `assert` comparing a duration fails the scan. Deadline loops stay allowed: `deadline = time.monotonic() + 60` then
`assert time.monotonic() < deadline, "never happened"` compares clock readings, not a duration. Injected clocks
(`clock.monotonic()` of a FakeClock) are not real clocks and are not counted.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]

_TIME_FUNCS = {"time", "monotonic", "perf_counter", "time_ns", "monotonic_ns", "perf_counter_ns"}
_LOOP_GETTERS = {"get_running_loop", "get_event_loop"}

# (path relative to tests/, function name) -> why a duration assertion is acceptable there. Keep it empty if you can.
ALLOWED: dict[tuple[str, str], str] = {}


def _time_aliases(tree: ast.Module) -> set[str]:
    """Bare names bound to a clock function: `from time import monotonic`."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "time":
            names.update(a.asname or a.name for a in node.names if a.name in _TIME_FUNCS)
    return names


def _is_clock_call(node: ast.AST, aliases: set[str]) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in aliases
    if not isinstance(func, ast.Attribute):
        return False
    owner = func.value
    if func.attr in _TIME_FUNCS and isinstance(owner, ast.Name) and owner.id == "time":
        return True
    if func.attr == "time":  # the event loop's clock: loop.time(), asyncio.get_running_loop().time()
        if isinstance(owner, ast.Name) and owner.id.lower().endswith("loop"):
            return True
        if isinstance(owner, ast.Call):
            getter = owner.func
            name = getter.attr if isinstance(getter, ast.Attribute) else getattr(getter, "id", "")
            return name in _LOOP_GETTERS
    return False


def _constant(node: ast.AST) -> bool:
    """A literal number or arithmetic of literals (`45 * 60`)."""
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp):
        return _constant(node.operand)
    return isinstance(node, ast.BinOp) and _constant(node.left) and _constant(node.right)


class _Scope:
    """Names holding clock readings and durations within one function (or the module body)."""

    def __init__(self, aliases: set[str]) -> None:
        self.aliases = aliases
        self.clock: set[str] = set()
        self.duration: set[str] = set()

    def clockish(self, node: ast.AST) -> bool:
        """A clock reading, maybe shifted: `time.time()`, `started`, `time.time() + 3600`."""
        if _is_clock_call(node, self.aliases) or (isinstance(node, ast.Name) and node.id in self.clock):
            return True
        return (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub)
                and (self.clockish(node.left) or self.clockish(node.right)))

    def is_duration(self, node: ast.AST) -> bool:
        """A clock reading minus something that is not a constant (`time.time() - 600` is a moment, not a duration)."""
        if isinstance(node, ast.Name):
            return node.id in self.duration
        if not isinstance(node, ast.BinOp):
            return False
        if isinstance(node.op, ast.Sub):
            left, right = node.left, node.right
            if (self.clockish(left) and not _constant(right)) or (self.clockish(right) and not _constant(left)):
                return True
        return self.is_duration(node.left) or self.is_duration(node.right)

    def has_duration(self, node: ast.AST) -> bool:
        return any(self.is_duration(n) for n in ast.walk(node))

    def learn(self, stmt: ast.AST) -> None:
        targets: list[ast.expr] = []
        value: ast.AST | None = None
        if isinstance(stmt, ast.Assign):
            targets, value = stmt.targets, stmt.value
        elif isinstance(stmt, ast.AnnAssign | ast.AugAssign) and stmt.value is not None:
            targets, value = [stmt.target], stmt.value
        elif (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
              and isinstance(stmt.value.func, ast.Attribute) and stmt.value.func.attr in ("append", "extend")
              and isinstance(stmt.value.func.value, ast.Name)):
            targets, value = [stmt.value.func.value], ast.Tuple(elts=list(stmt.value.args), ctx=ast.Load())
        if value is None:
            return
        names = {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
        if self.has_duration(value):
            self.duration |= names
        elif self.clockish(value):
            self.clock |= names


def _functions(tree: ast.Module) -> Iterator[tuple[str, list[ast.stmt]]]:
    yield "<module>", [s for s in tree.body if not isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef)]
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node.body


def _statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements of a body in source order, nested blocks included, nested functions excluded."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for field in ("body", "orelse", "finalbody", "handlers"):
            inner = getattr(stmt, field, None)
            if inner:
                yield from _statements(inner)


def duration_asserts(source: str, filename: str = "<test>") -> list[tuple[str, int, str]]:
    """(function, line, source text) of each assert comparing a wall-clock duration."""
    tree = ast.parse(source, filename)
    aliases = _time_aliases(tree)
    found = []
    for name, body in _functions(tree):
        scope = _Scope(aliases)
        for stmt in _statements(body):
            scope.learn(stmt)
            if isinstance(stmt, ast.Assert):
                for cmp in (n for n in ast.walk(stmt.test) if isinstance(n, ast.Compare)):
                    if any(scope.has_duration(side) for side in (cmp.left, *cmp.comparators)):
                        found.append((name, stmt.lineno, ast.get_source_segment(source, stmt) or ""))
                        break
    return found


def test_no_test_asserts_on_a_wall_clock_duration() -> None:
    offenders = []
    for path in sorted(TESTS.rglob("*.py")):
        rel = path.relative_to(TESTS).as_posix()
        for function, line, text in duration_asserts(path.read_text(encoding="utf-8"), rel):
            if (rel, function) not in ALLOWED:
                offenders.append(f"tests/{rel}:{line} in {function}: {text.splitlines()[0]}")
    assert not offenders, ("wall-clock duration asserted (wait for a condition, use a FakeClock, or measure it in "
                           "bench/):\n" + "\n".join(offenders))


def test_the_scan_finds_durations_and_spares_deadlines_and_fake_clocks() -> None:
    flagged = '''
import time
from time import perf_counter as pc

def direct():
    t = time.monotonic()
    assert time.monotonic() - t < 0.5

def through_a_name():
    started = time.perf_counter()
    work()
    elapsed = time.perf_counter() - started
    assert 0.04 <= elapsed < 0.5

def loop_clock(loop):
    t0 = loop.time()
    assert loop.time() - t0 < 1

def alias_and_list():
    laps = []
    s = pc()
    laps.append(pc() - s)
    assert max(laps) < 1.0

def timestamp_near_now(seen):
    assert abs(seen.at - time.time()) < 5
'''
    spared = '''
import time

def deadline_loop():
    deadline = time.monotonic() + 60
    while not done():
        assert time.monotonic() < deadline, "never happened"

def fake_clock(clock):
    start = clock.monotonic()
    assert clock.monotonic() - start < 5 * 60

def scheduling():
    at = time.time() + 3600
    job = make_job(time.time() - 600)
    assert run_due(now=time.time() + 60) is None and at > time.time() - 45 * 60 and job == 1
'''
    assert [f for f, _, _ in duration_asserts(flagged)] == [
        "direct", "through_a_name", "loop_clock", "alias_and_list", "timestamp_near_now"]
    assert duration_asserts(spared) == []
