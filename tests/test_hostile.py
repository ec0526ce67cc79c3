"""Guarantees over the whole hostile corpus, through the real CLI in a bounded subprocess.

Whatever arrives, rubric must answer with coded, located problems (exit 1) or accept the input
(exit 0); never a traceback, a crash, a hang or unbounded memory; never change its input; never
leave half-written or temporary outputs; never overwrite an output without --force; and never let
formula-looking text become a formula or text become markup. The corpus is built once per
session and every command runs once per case, in parallel, from the main thread (preexec_fn is
not safe with threads); each guarantee is then its own test over the recorded runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import os
import re
import resource
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FRAMEWORKS, ROOT
from tests.hostile import corpus
from tests.hostile.corpus import EXCEL_CELL_LIMIT, Case

TIMEOUT = 10.0  # seconds per command
MEMORY = 2 * 1024**3  # address space per command
WORKERS = max(2, min(4, os.cpu_count() or 2))
TEMPORARY = ".*.tmp"  # what rubric's atomic writes leave behind if they fail



def _params(cases: list[Case], test: str) -> list[Any]:
    """Cases as pytest params, one per case id (``test`` names the test, for readers)."""
    return [pytest.param(case, id=case.id) for case in cases]


# --- running the CLI -----------------------------------------------------------------------------

@dataclass(slots=True)
class Run:
    """One finished (or killed) command: exit code (negative for a signal), output, duration."""

    args: list[str]
    returncode: int | None  # None when it was killed at the timeout
    output: str
    seconds: float

    @property
    def timed_out(self) -> bool:
        return self.returncode is None

    def describe(self) -> str:
        shown = self.output if len(self.output) <= 3000 else (
            f"{self.output[:1500]}\n[...]\n{self.output[-1500:]}")
        return f"rubric {' '.join(self.args)}\n-> exit {self.returncode} after " \
               f"{self.seconds:.1f}s\n{shown}"


@dataclass(slots=True)
class Outcome:
    """Everything recorded about one case: runs, input hashes and output snapshots."""

    case: Case
    path: Path
    directory: Path
    runs: dict[str, Run] = field(default_factory=dict)
    before: dict[Path, str] = field(default_factory=dict)
    after: dict[Path, str] = field(default_factory=dict)
    outputs_after_first: dict[str, bool] = field(default_factory=dict)
    snapshot: dict[str, bytes] = field(default_factory=dict)
    temporaries: list[str] = field(default_factory=list)

    @property
    def out(self) -> Path:
        return self.directory / "out"


def _limit_memory() -> None:
    """Runs in the child before exec: bound its address space so a bomb cannot take the host."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RUBRIC_")}
    env["PYTHONIOENCODING"] = "utf-8"
    env["RUST_BACKTRACE"] = "0"  # a panic's message, not 60 frames of it
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


_ENV = _environment()
Job = Generator[list[str], Run, None]


@dataclass(slots=True)
class _Active:
    job: Job
    args: list[str]
    process: subprocess.Popen[bytes]
    started: float
    log: Path


def _start(job: Job, args: list[str], logs: Path, counter: list[int]) -> _Active:
    counter[0] += 1
    log = logs / f"{counter[0]}.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "rubric", *args], cwd=ROOT, env=_ENV, stdin=subprocess.DEVNULL,
            stdout=sink, stderr=subprocess.STDOUT, preexec_fn=_limit_memory,
            start_new_session=True)
    return _Active(job, args, process, time.monotonic(), log)


def _finish(active: _Active, *, kill: bool) -> Run:
    if kill:
        with contextlib.suppress(ProcessLookupError):  # our own child's process group
            os.killpg(active.process.pid, signal.SIGKILL)
    returncode = active.process.wait()
    output = active.log.read_bytes().decode("utf-8", errors="replace")
    return Run(active.args, None if kill else returncode, output,
               time.monotonic() - active.started)


def run_jobs(jobs: list[Job], logs: Path) -> None:
    """Drive each job (a generator of commands) to its end, WORKERS commands at a time."""
    logs.mkdir(parents=True, exist_ok=True)
    waiting: deque[Job] = deque(jobs)
    active: list[_Active] = []
    counter = [0]
    while waiting or active:
        while waiting and len(active) < WORKERS:
            job = waiting.popleft()
            with contextlib.suppress(StopIteration):
                active.append(_start(job, next(job), logs, counter))
        time.sleep(0.01)
        for item in list(active):
            elapsed = time.monotonic() - item.started
            if item.process.poll() is None and elapsed <= TIMEOUT:
                continue
            active.remove(item)
            run = _finish(item, kill=item.process.poll() is None)
            with contextlib.suppress(StopIteration):
                active.append(_start(item.job, item.job.send(run), logs, counter))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"


def _temporaries(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.glob(TEMPORARY)) if directory.is_dir() else []


def _workbook_job(outcome: Outcome, partner: Path) -> Job:
    """validate, score, compare (and compare again when it wrote something) one return."""
    case, path = outcome.case, outcome.path
    store = outcome.directory / "store" if case.store else FRAMEWORKS
    inputs = [path, partner, *([store / "demo" / "1.0.0.yaml"] if case.store else [])]
    outcome.before = {p: _sha256(p) for p in inputs}
    frameworks = ["--frameworks", str(store)]
    outcome.runs["validate"] = yield ["validate", *frameworks, str(path)]
    outcome.runs["score"] = yield ["score", *frameworks, str(path)]
    xlsx, page = outcome.out / "quad.xlsx", outcome.out / "quad.html"
    compare = ["compare", *frameworks, str(path), str(partner), "-o", str(xlsx), "--html",
               str(page)]
    outcome.runs["compare"] = yield compare
    outcome.outputs_after_first = {"xlsx": xlsx.exists(), "html": page.exists()}
    outcome.temporaries = _temporaries(outcome.out)
    if outcome.runs["compare"].returncode == 0 and xlsx.exists() and page.exists():
        outcome.snapshot = {"xlsx": xlsx.read_bytes(), "html": page.read_bytes()}
        outcome.runs["compare-again"] = yield compare
        outcome.temporaries += _temporaries(outcome.out)
    outcome.after = {p: _sha256(p) for p in inputs}


def _framework_job(outcome: Outcome) -> Job:
    """lint and template one framework file."""
    path = outcome.path
    outcome.before = {path: _sha256(path)}
    outcome.runs["lint"] = yield ["framework", "lint", str(path)]
    target = outcome.out / "workbook.xlsx"
    outcome.runs["template"] = yield ["template", str(path), "--authority", "Fife", "-o",
                                      str(target)]
    outcome.outputs_after_first = {"xlsx": target.exists()}
    outcome.temporaries = _temporaries(outcome.out)
    outcome.after = {path: _sha256(path)}


def _selected(request: pytest.FixtureRequest, kind: str) -> list[Case]:
    """The cases the collected tests of this session need (all, unless -k narrowed them)."""
    wanted: dict[str, Case] = {}
    for item in request.session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        case = params.get(f"{kind}_case")
        if isinstance(case, Case):
            wanted[case.id] = case
    return list(wanted.values())


def _build(case: Case, directory: Path) -> Outcome:
    directory.mkdir(parents=True)
    path = case.build(directory)
    outcome = Outcome(case, path, directory)
    outcome.out.mkdir()
    return outcome


@pytest.fixture(scope="session")
def workbook_outcomes(request: pytest.FixtureRequest,
                      tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    root = tmp_path_factory.mktemp("hostile-workbooks")
    for which in "AB":  # build the base returns once, before the cases copy them
        corpus.demo_return_bytes(which)
    partners = {name: corpus.partner_return(root / "partners", name)
                for name in ("demo", "hgioea")}
    outcomes = {case.id: _build(case, root / case.id) for case in _selected(request, "workbook")}
    run_jobs([_workbook_job(o, partners[o.case.framework or "demo"]) for o in outcomes.values()],
             root / "logs")
    return outcomes


@pytest.fixture(scope="session")
def framework_outcomes(request: pytest.FixtureRequest,
                       tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    root = tmp_path_factory.mktemp("hostile-frameworks")
    outcomes = {case.id: _build(case, root / case.id) for case in _selected(request, "framework")}
    run_jobs([_framework_job(o) for o in outcomes.values()], root / "logs")
    return outcomes


# --- assertions ----------------------------------------------------------------------------------

def _codes_in(run: Run) -> set[str]:
    return set(re.findall(r"\b([a-z][a-z0-9]*(?:-[a-z0-9]+)+): ", run.output))


def _assert_clean(run: Run, exits: tuple[int, ...] = (0, 1)) -> None:
    assert not run.timed_out, f"killed after {TIMEOUT}s:\n{run.describe()}"
    assert run.returncode in exits, f"crashed or misused:\n{run.describe()}"
    assert "Traceback" not in run.output, run.describe()


def _assert_refused(run: Run, case: Case, path: Path) -> None:
    """Exit 1, one of the expected codes, the file named, no traceback."""
    _assert_clean(run)
    assert run.returncode == 1, run.describe()
    assert _codes_in(run) & case.codes, (f"expected one of {sorted(case.codes)}, found "
                                         f"{sorted(_codes_in(run))}:\n{run.describe()}")
    assert str(path) in run.output, f"the file is not named:\n{run.describe()}"


def _warnings(run: Run) -> int:
    found = re.findall(r"; (\d+) warnings?$", run.output, re.M)
    assert found, run.describe()
    return int(found[-1])


# --- workbooks -----------------------------------------------------------------------------------

WORKBOOKS = corpus.WORKBOOKS
REFUSED = [c for c in WORKBOOKS if c.refused]
ACCEPTED = [c for c in WORKBOOKS if not c.refused]
FORMULA = [c for c in WORKBOOKS if c.formula]
LONG_TEXT = [c for c in WORKBOOKS if c.long_text]


@pytest.mark.parametrize("workbook_case", _params(WORKBOOKS, "test_workbook_finishes_in_time"))
def test_workbook_finishes_in_time(workbook_case: Case,
                                   workbook_outcomes: dict[str, Outcome]) -> None:
    """A hostile return must not hang rubric: every command ends within the timeout."""
    outcome = workbook_outcomes[workbook_case.id]
    for run in outcome.runs.values():
        assert not run.timed_out, run.describe()


@pytest.mark.parametrize("workbook_case",
                         _params(WORKBOOKS, "test_workbook_commands_exit_cleanly"))
def test_workbook_commands_exit_cleanly(workbook_case: Case,
                                        workbook_outcomes: dict[str, Outcome]) -> None:
    """Exit 0 or 1 only: no signal (memory bomb), no usage error, no traceback, anywhere (but
    the second compare, which is refused because its outputs exist)."""
    for name, run in workbook_outcomes[workbook_case.id].runs.items():
        _assert_clean(run, exits=(2,) if name == "compare-again" else (0, 1))


@pytest.mark.parametrize("workbook_case", _params(WORKBOOKS, "test_workbook_validate_outcome"))
def test_workbook_validate_outcome(workbook_case: Case,
                                   workbook_outcomes: dict[str, Outcome]) -> None:
    """validate refuses exactly the cases it must (exit 1, file named) and accepts the rest."""
    outcome = workbook_outcomes[workbook_case.id]
    run = outcome.runs["validate"]
    _assert_clean(run)
    if workbook_case.refused:
        assert run.returncode == 1, run.describe()
        assert str(outcome.path) in run.output, run.describe()
    else:
        assert run.returncode == 0, run.describe()
        warnings = _warnings(run)
        if workbook_case.expect == corpus.VALID:
            assert warnings == 0, run.describe()
        else:
            assert warnings > 0, run.describe()


@pytest.mark.parametrize("workbook_case",
                         _params(REFUSED, "test_workbook_refusal_names_an_expected_code"))
def test_workbook_refusal_names_an_expected_code(workbook_case: Case,
                                                 workbook_outcomes: dict[str, Outcome]) -> None:
    """validate, score and compare all say why, with a catalogued code and the file's path."""
    outcome = workbook_outcomes[workbook_case.id]
    for name in ("validate", "score", "compare"):
        _assert_refused(outcome.runs[name], workbook_case, outcome.path)


@pytest.mark.parametrize("workbook_case", _params(WORKBOOKS, "test_workbook_score_outcome"))
def test_workbook_score_outcome(workbook_case: Case,
                                workbook_outcomes: dict[str, Outcome]) -> None:
    """score scores what validates and refuses the rest, cleanly."""
    outcome = workbook_outcomes[workbook_case.id]
    run = outcome.runs["score"]
    _assert_clean(run)
    if workbook_case.refused:
        assert run.returncode == 1 and str(outcome.path) in run.output, run.describe()
    else:
        assert run.returncode == 0, run.describe()
        assert "overall" in run.output, run.describe()


@pytest.mark.parametrize("workbook_case",
                         _params(WORKBOOKS, "test_workbook_compare_writes_only_on_success"))
def test_workbook_compare_writes_only_on_success(workbook_case: Case,
                                                 workbook_outcomes: dict[str, Outcome]) -> None:
    """Outputs appear only when compare succeeds, and never leave temporary files behind."""
    outcome = workbook_outcomes[workbook_case.id]
    run = outcome.runs["compare"]
    _assert_clean(run)
    written = outcome.outputs_after_first
    if run.returncode == 0:
        assert written == {"xlsx": True, "html": True}, run.describe()
    else:
        assert written == {"xlsx": False, "html": False}, run.describe()
    assert (run.returncode == 0) == (not workbook_case.refused), run.describe()
    assert outcome.temporaries == [], f"left behind: {outcome.temporaries}"


@pytest.mark.parametrize("workbook_case",
                         _params(ACCEPTED, "test_workbook_compare_never_replaces_output"))
def test_workbook_compare_never_replaces_output(workbook_case: Case,
                                                workbook_outcomes: dict[str, Outcome]) -> None:
    """A second compare without --force refuses with output-exists and changes nothing."""
    outcome = workbook_outcomes[workbook_case.id]
    assert "compare-again" in outcome.runs, outcome.runs["compare"].describe()
    again = outcome.runs["compare-again"]
    _assert_clean(again, exits=(2,))  # the command cannot run as asked
    assert "output-exists" in again.output, again.describe()
    assert (outcome.out / "quad.xlsx").read_bytes() == outcome.snapshot["xlsx"]
    assert (outcome.out / "quad.html").read_bytes() == outcome.snapshot["html"]


@pytest.mark.parametrize("workbook_case", _params(WORKBOOKS, "test_workbook_input_unchanged"))
def test_workbook_input_unchanged(workbook_case: Case,
                                  workbook_outcomes: dict[str, Outcome]) -> None:
    """Reading a return (or its partner) never modifies it, whatever happens."""
    outcome = workbook_outcomes[workbook_case.id]
    assert outcome.before and outcome.after == outcome.before


def _comparison_cells(path: Path) -> Iterator[tuple[str, int, int, Any, str]]:
    import openpyxl

    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield sheet.title, cell.row, cell.column, cell.value, cell.data_type


@pytest.mark.parametrize("workbook_case",
                         _params(FORMULA, "test_formula_looking_text_stays_text"))
def test_formula_looking_text_stays_text(workbook_case: Case,
                                         workbook_outcomes: dict[str, Outcome]) -> None:
    """Evidence typed as =..., +..., -..., @..., DDE or markup reaches outputs as inert text."""
    outcome = workbook_outcomes[workbook_case.id]
    assert outcome.runs["compare"].returncode == 0, outcome.runs["compare"].describe()
    cells = list(_comparison_cells(outcome.out / "quad.xlsx"))
    formulas = [(s, r, c, v) for s, r, c, v, kind in cells if kind == "f"]
    assert not formulas, f"formula cells in the comparison: {formulas[:5]}"
    payload = workbook_case.payload
    if payload is not None:
        exact = [(s, r, c) for s, r, c, v, kind in cells if v == payload and kind == "s"]
        assert exact, f"{payload!r} is not in the comparison as exact text"
    page = (outcome.out / "quad.html").read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    for text in (payload, workbook_case.markup):
        if text is not None and html.escape(text) != text:
            assert text not in page, f"{text!r} reached the HTML unescaped"
    if workbook_case.markup is not None:
        assert html.escape(workbook_case.markup) in page, "the text is not shown, escaped"


@pytest.mark.parametrize("workbook_case", _params(LONG_TEXT, "test_text_above_cell_limit_survives"))
def test_text_above_cell_limit_survives(workbook_case: Case,
                                        workbook_outcomes: dict[str, Outcome]) -> None:
    """Text above 32,767 characters is split over cells in order, never cut or over-filled."""
    outcome = workbook_outcomes[workbook_case.id]
    assert outcome.runs["validate"].returncode == 0, outcome.runs["validate"].describe()
    assert outcome.runs["compare"].returncode == 0, outcome.runs["compare"].describe()
    payload = workbook_case.payload or ""
    assert len(payload) > EXCEL_CELL_LIMIT
    cells = list(_comparison_cells(outcome.out / "quad.xlsx"))
    too_long = [(s, r, c, len(str(v))) for s, r, c, v, _ in cells
                if len(str(v)) > EXCEL_CELL_LIMIT]
    assert not too_long, f"cells above Excel's limit: {too_long}"
    pieces = [str(v) for _, _, _, v, _ in sorted(cells, key=lambda x: x[:3])
              if isinstance(v, str) and len(v) >= 200 and v in payload]
    assert "".join(pieces) == payload, (f"{len(pieces)} piece(s) of "
                                        f"{sum(map(len, pieces)):,} characters found")
    sheets = {s for s, _, _, v, _ in cells if isinstance(v, str) and len(v) >= 200 and v in payload}
    notes = [v for s, _, _, v, _ in cells if s in sheets and isinstance(v, str)
             and "continue" in v.lower()]
    assert notes, "no note says the text continues in the next cell"


# --- frameworks ----------------------------------------------------------------------------------

FRAMEWORK_CASES = corpus.FRAMEWORKS


@pytest.mark.parametrize("framework_case",
                         _params(FRAMEWORK_CASES, "test_framework_lint_refuses_cleanly"))
def test_framework_lint_refuses_cleanly(framework_case: Case,
                                        framework_outcomes: dict[str, Outcome]) -> None:
    """lint names an expected code at the file, exits 1, in time, without a traceback."""
    outcome = framework_outcomes[framework_case.id]
    _assert_refused(outcome.runs["lint"], framework_case, outcome.path)


@pytest.mark.parametrize("framework_case",
                         _params(FRAMEWORK_CASES, "test_framework_template_refuses_cleanly"))
def test_framework_template_refuses_cleanly(framework_case: Case,
                                            framework_outcomes: dict[str, Outcome]) -> None:
    """template refuses the same way and writes nothing (not even a temporary file)."""
    outcome = framework_outcomes[framework_case.id]
    _assert_refused(outcome.runs["template"], framework_case, outcome.path)
    assert outcome.outputs_after_first == {"xlsx": False}
    assert outcome.temporaries == [], f"left behind: {outcome.temporaries}"


@pytest.mark.parametrize("framework_case",
                         _params(FRAMEWORK_CASES, "test_framework_input_unchanged"))
def test_framework_input_unchanged(framework_case: Case,
                                   framework_outcomes: dict[str, Outcome]) -> None:
    """Linting never modifies the file, and no YAML tag ever runs code."""
    outcome = framework_outcomes[framework_case.id]
    assert outcome.before and outcome.after == outcome.before
    assert not (outcome.directory / "pwned").exists(), "a YAML tag ran a command"


# --- the corpus itself ---------------------------------------------------------------------------

def test_corpus_is_broad_and_well_formed() -> None:
    """Enough cases of each kind, unique ids, and expected codes from the real catalogue."""
    from rubric.problems import CATALOGUE

    assert len(corpus.by_id(WORKBOOKS)) >= 40
    assert len(corpus.by_id(FRAMEWORK_CASES)) >= 15
    for case in [*WORKBOOKS, *FRAMEWORK_CASES]:
        assert case.refused or case.expect in (corpus.VALID, corpus.VALID_WITH_WARNINGS)
        assert case.codes <= set(CATALOGUE), case.id
    assert all(case.refused for case in FRAMEWORK_CASES)
    assert all(case.payload for case in LONG_TEXT)
