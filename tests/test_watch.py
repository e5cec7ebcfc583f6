"""``flowc generate --watch``: it regenerates on a spec save, reports a broken
spec and keeps watching, ignores its own output, and ends cleanly on Ctrl-C."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Generator
from pathlib import Path

import pytest

from conftest import SPECS
from flowc.api import GenerateResult, generate
from flowc.watch import watch_generate, watched

SPEC = "integration-patterns.md"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(SPECS, tmp_path / "specs", ignore=shutil.ignore_patterns("yaml"))
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_what_a_change_must_touch(project: Path) -> None:
    result = generate([project / "specs"], project / "out", project / "impl", "shop")
    watch = watched(
        result, [project / "specs"], project, project / "impl", project / "out"
    )
    assert watch.wants(project / "specs" / SPEC)
    assert watch.wants(project / "specs" / "new-flows.md")  # joins the set
    assert watch.wants(project / "pyproject.toml")
    assert not watch.wants(project / "out" / "shop" / "app.py")  # its own writes
    assert not watch.wants(project / "specs" / "notes.txt")


def test_each_relevant_batch_runs_generate_again(project: Path) -> None:
    """The loop with the OS's events replaced: a spec save runs again, a save
    in the output folder does not, and a broken spec is reported, not fatal."""
    spec = project / "specs" / SPEC
    runs: list[GenerateResult] = []

    def run() -> GenerateResult:
        return generate([project / "specs"], project / "out", project / "impl", "shop")

    def changes(folders: list[Path]) -> Generator[set[Path]]:
        assert (project / "specs").resolve() in folders
        _edit(spec, "**SLA**: <500ms", "**SLA**: <700ms")
        yield {spec}
        yield {project / "out" / "shop" / "app.py"}
        _edit(spec, "Gateway-->>Client: 201 Created", "Gateway-->>Nobody: 201 Created")
        yield {spec}
        _edit(spec, "Gateway-->>Nobody: 201 Created", "Gateway-->>Client: 201 Created")
        yield {spec}

    watch_generate(
        run,
        lambda r: watched(
            r, [project / "specs"], project, project / "impl", project / "out"
        ),
        runs.append,
        changes,
    )
    assert len(runs) == 4  # the first run, and three spec saves
    first, changed, broken, fixed = runs
    assert first.exit_code == 0 and len(first.written) > 10
    assert (
        changed.exit_code == 0 and "shop/routes/user_registration.py" in changed.written
    )
    assert broken.exit_code == 1 and broken.written == []
    assert fixed.exit_code == 0


def _lines(process: subprocess.Popen[str]) -> queue.Queue[str]:
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return lines


def _wait_for(lines: queue.Queue[str], text: str, seen: list[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        seen.append(line)
        if text in line:
            return
    raise AssertionError(f"no line with {text!r} in:\n{''.join(seen)}")


def test_the_command_watches_the_disk_until_interrupted(project: Path) -> None:
    """The real thing: flowc in its own process, inotify (or the platform's
    events) underneath, a spec saved twice, and Ctrl-C."""
    command = [sys.executable, "-m", "flowc", "generate", "specs", "--watch"]
    command += ["--output", "out", "--stubs", "impl", "--package", "shop"]
    process = subprocess.Popen(
        command,
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    seen: list[str] = []
    try:
        lines = _lines(process)
        _wait_for(lines, "flowc: ok:", seen)
        time.sleep(0.5)  # the watcher is up
        spec = project / "specs" / SPEC
        _edit(spec, "Gateway-->>Client: 201 Created", "Gateway-->>Nobody: 201 Created")
        _wait_for(lines, "flowc: failed:", seen)
        assert process.poll() is None  # a broken spec does not end the watch
        _edit(spec, "Gateway-->>Nobody: 201 Created", "Gateway-->>Client: 201 Created")
        _edit(spec, "**SLA**: <500ms", "**SLA**: <700ms")
        _wait_for(lines, "wrote shop/routes/user_registration.py", seen)
        _wait_for(lines, "flowc: ok:", seen)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_ctrl_c_during_a_run_ends_the_watch_quietly(project: Path) -> None:
    """SIGINT may come while a run works, not only while the watch waits."""
    spec = project / "specs" / SPEC
    calls = 0

    def run() -> GenerateResult:
        nonlocal calls
        calls += 1
        if calls == 2:
            raise KeyboardInterrupt
        return generate([project / "specs"], project / "out", project / "impl", "shop")

    def changes(folders: list[Path]) -> Generator[set[Path]]:
        yield {spec}
        raise AssertionError("the watch went on after Ctrl-C")

    watch_generate(
        run,
        lambda r: watched(
            r, [project / "specs"], project, project / "impl", project / "out"
        ),
        lambda _: None,
        changes,
    )
    assert calls == 2
