"""A generate killed part way leaves the complete old output or (once the next
run completes its journal) the complete new one; no temporary file survives;
its formatter workers die with it; and two runs never write one folder at once."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO
from flowc.api import check
from flowc.output.journal import (
    JOURNAL_PATH,
    output_lock,
    recover,
    stray_temps,
)

sys.path.insert(0, str(REPO / "benchmarks"))
from bench import synthetic

FLOWS = 20


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file of the output folder, by relative path, but the local cache:
    the record of the last clean run is not output (it is checked against the
    manifest before any use, so an old one after a kill is harmless)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.relative_to(out).parts[:2] != (".flowc", "cache")
    }


def restore(out: Path, files: dict[str, bytes]) -> None:
    shutil.rmtree(out, ignore_errors=True)
    for path, data in files.items():
        (out / path).parent.mkdir(parents=True, exist_ok=True)
        (out / path).write_bytes(data)


def generate_command(specs: Path, out: Path, stubs: Path) -> list[str]:
    return [
        sys.executable, "-m", "flowc", "generate", str(specs),
        "-o", str(out), "--stubs", str(stubs), "--package", "orders",
    ]  # fmt: skip


def children_of(pid: int) -> list[int]:
    found = subprocess.run(
        ["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False
    )
    return [int(line) for line in found.stdout.split()]


@pytest.fixture(scope="module")
def versions(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, dict[str, bytes], dict[str, bytes], float]:
    """The spec set, the output of its old and new version, each complete, and
    how long the update took (so the kills can land all through it)."""
    root = tmp_path_factory.mktemp("interrupted")
    specs = synthetic(root / "specs", FLOWS)
    out, stubs = root / "out", root / "impl"
    subprocess.run(generate_command(specs, out, stubs), check=True, capture_output=True)
    old = snapshot(out)
    document = specs / "integration-patterns.md"
    document.write_text(
        document.read_text(encoding="utf-8").replace(
            "**SLA**: 800ms", "**SLA**: 900ms"
        ),
        encoding="utf-8",
    )
    began = time.monotonic()
    subprocess.run(generate_command(specs, out, stubs), check=True, capture_output=True)
    took = time.monotonic() - began
    new = snapshot(out)
    assert old != new and old.keys() == new.keys()
    return root, old, new, took


# Moments through the update, as fractions of its uninterrupted run. They land
# while it renders and formats (where workers must die with it); the writes
# themselves take a few milliseconds, so the test below kills inside them.
MOMENTS = [0.3, 0.6, 0.9, 0.97]


@pytest.mark.parametrize("moment", MOMENTS)
def test_a_kill_at_any_moment_leaves_the_old_or_the_new_output(
    versions: tuple[Path, dict[str, bytes], dict[str, bytes], float], moment: float
) -> None:
    root, old, new, took = versions
    out = root / "out"
    restore(out, old)
    run = subprocess.Popen(
        generate_command(root / "specs", out, root / "impl"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(moment * took)
    workers = children_of(run.pid)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers):
        assert time.monotonic() < deadline, f"workers outlived flowc: {workers}"
        time.sleep(0.05)
    # Before anything else runs, check names what the kill left (if anything).
    leftovers = stray_temps(out) + (
        [JOURNAL_PATH] if (out / JOURNAL_PATH).exists() else []
    )
    if leftovers:
        found = check([root / "specs"], out, package="orders")
        named = {d.location.file for d in found.diagnostics if d.code == "FLW806"}
        assert {(out / path).as_posix() for path in leftovers} <= named
    recover(out)  # what the next run does first, under the lock
    after = snapshot(out)
    print(
        f"moment {moment}: {'new' if after == new else 'old' if after == old else 'mix'}, left {len(leftovers)}"
    )
    assert after in (old, new), "a mix of the old and new output"
    assert not stray_temps(out) and not (out / JOURNAL_PATH).exists()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/stat")
    return not (status.exists() and status.read_text().split()[2] == "Z")


def test_a_second_run_on_a_locked_folder_is_refused_and_writes_nothing(
    versions: tuple[Path, dict[str, bytes], dict[str, bytes], float],
) -> None:
    root, old, _, _ = versions
    out = root / "out"
    restore(out, old)
    with output_lock(out):
        second = subprocess.run(
            generate_command(root / "specs", out, root / "impl"),
            capture_output=True,
            text=True,
            check=False,
        )
    assert second.returncode != 0
    assert "FLW805" in second.stdout + second.stderr
    assert snapshot(out) == old


# Inside the writes: the run kills itself at its k-th rename (the journal's is
# the first, then one per changed file, the manifest last).
KILL_AT_RENAME = """
import os, signal, sys
from flowc.cli import main

stop, renames, rename = int(sys.argv[1]), [0], os.replace


def replace(source, target):
    renames[0] += 1
    if renames[0] == stop:
        os.kill(os.getpid(), signal.SIGKILL)
    rename(source, target)


os.replace = replace
sys.argv = ["flowc", *sys.argv[2:]]
main()
"""


@pytest.mark.parametrize(
    "moment", ["journal", "first file", "middle", "last file", "manifest"]
)
def test_a_kill_between_renames_is_completed_by_the_next_run(
    versions: tuple[Path, dict[str, bytes], dict[str, bytes], float], moment: str
) -> None:
    root, old, new, _ = versions
    changed = sum(old[path] != new[path] for path in old)  # the manifest is one
    rename = {
        "journal": 1,
        "first file": 2,
        "middle": 1 + changed // 2,
        "last file": changed,
        "manifest": 1 + changed,
    }[moment]
    out = root / "out"
    restore(out, old)
    killed = subprocess.run(
        [
            sys.executable,
            "-c",
            KILL_AT_RENAME,
            str(rename),
            *generate_command(root / "specs", out, root / "impl")[3:],
        ],
        capture_output=True,
        check=False,
    )
    assert killed.returncode == -signal.SIGKILL
    left_journal = (out / JOURNAL_PATH).exists()
    if rename > 1:
        assert left_journal  # the new files were all staged before the journal
        found = check([root / "specs"], out, package="orders")
        assert "FLW806" in {d.code for d in found.diagnostics}
    recover(out)
    assert snapshot(out) == (new if left_journal else old)
    assert not stray_temps(out)
