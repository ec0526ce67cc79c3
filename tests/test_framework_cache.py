"""The on-disk framework cache: a warm load skips YAML and validation, gives the same result,
and anything that does not match (text, path, rubric version, a damaged or foreign entry) is
ignored rather than trusted."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rubric.framework import cache, load
from rubric.framework.load import load_framework
from tests.conftest import DEMO, ROOT


@pytest.fixture()
def cache_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "xdg"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv(cache.ENV_OFF, raising=False)
    return home


@pytest.fixture()
def framework_file(tmp_path) -> Path:
    path = tmp_path / "fw" / "demo" / "1.0.0.yaml"
    path.parent.mkdir(parents=True)
    shutil.copy(DEMO, path)
    return path


def _entries(home: Path) -> list[Path]:
    return sorted((home / "rubric" / "frameworks").glob("*.pickle"))


def _no_yaml(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the framework was parsed again")
    monkeypatch.setattr(load, "load_framework_text", refuse)


def test_a_warm_load_skips_parsing_and_gives_the_same_framework(cache_home, framework_file,
                                                                 monkeypatch):
    cold = load_framework(framework_file)
    assert cold.valid and len(_entries(cache_home)) == 1
    _no_yaml(monkeypatch)
    warm = load_framework(framework_file)
    assert warm.framework == cold.framework
    assert warm.framework.content_hash == cold.framework.content_hash
    assert [str(p) for p in warm.report] == [str(p) for p in cold.report]
    assert warm.source is not None and warm.source.values == cold.source.values


def test_a_changed_file_is_loaded_again(cache_home, framework_file):
    load_framework(framework_file)
    text = framework_file.read_text(encoding="utf-8")
    framework_file.write_text(text.replace("title: ", "title: Changed ", 1), encoding="utf-8")
    changed = load_framework(framework_file)
    assert changed.framework.title.startswith("Changed")
    assert len(_entries(cache_home)) == 2


def test_another_rubric_version_ignores_the_entry(cache_home, framework_file, monkeypatch):
    load_framework(framework_file)
    monkeypatch.setattr(cache, "__version__", "99.0.0")
    calls = []
    real = load.load_framework_text
    monkeypatch.setattr(load, "load_framework_text",
                        lambda *a: calls.append(a) or real(*a))
    assert load_framework(framework_file).valid
    assert calls, "an entry of another rubric version was used"


@pytest.mark.parametrize("damage", ["truncated", "not a pickle", "group-writable"])
def test_a_damaged_or_foreign_entry_is_ignored(cache_home, framework_file, monkeypatch, damage):
    cold = load_framework(framework_file)
    [entry] = _entries(cache_home)
    if damage == "truncated":
        entry.write_bytes(entry.read_bytes()[:100])
    elif damage == "not a pickle":
        entry.write_bytes(b"hello")
    else:
        entry.chmod(0o664)
    calls = []
    real = load.load_framework_text
    monkeypatch.setattr(load, "load_framework_text",
                        lambda *a: calls.append(a) or real(*a))
    again = load_framework(framework_file)
    assert calls and again.framework == cold.framework


def test_an_unwritable_cache_costs_only_speed(tmp_path, framework_file, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_framework(framework_file).valid
    assert load_framework(framework_file).valid


def test_two_processes_writing_at_once_leave_a_whole_entry(cache_home, framework_file):
    code = ("import sys; from rubric.framework.load import load_framework; "
            "assert load_framework(sys.argv[1]).valid")
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    runs = [subprocess.Popen([sys.executable, "-c", code, str(framework_file)], env=env,
                             cwd=ROOT) for _ in range(4)]
    assert [run.wait(timeout=120) for run in runs] == [0, 0, 0, 0]
    [entry] = _entries(cache_home)
    assert not list(entry.parent.glob(".*.tmp"))
    assert cache._read(entry) is not None


def test_a_warm_load_in_a_new_process_builds_no_validator_and_needs_no_yaml(cache_home,
                                                                           framework_file):
    assert load_framework(framework_file).valid  # cold: this process writes the entry
    code = ("import sys; from rubric.framework.load import load_framework; "
            "from rubric.framework.model import Framework; "
            "warm = load_framework(sys.argv[1]); assert warm.valid; "
            "print(warm.framework.content_hash[:7], Framework.__pydantic_complete__, "
            "'yaml' in sys.modules, warm.source is not None, 'yaml' in sys.modules)")
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    out = subprocess.run([sys.executable, "-c", code, str(framework_file)], env=env, cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    # the hash came from the entry, no model was built, and only the source map (asked for
    # last) needed PyYAML's module to come back
    assert out == ["sha256:", "False", "False", "True", "True"]
