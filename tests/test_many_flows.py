"""A generated system of many flows runs: its app starts and serves, its CLI
answers, however many flows the specs hold.

Found at 500 flows: FastAPI nests the lifespan of every included router, so a
router per flow overflowed the stack at startup. Here the stack is made small
instead of the system large: the depth the app needs must not grow with the
number of flows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO
from flowc.api import generate

sys.path.insert(0, str(REPO / "benchmarks"))
from synthetic import write_spec_set

FLOWS = 120

PROBE = """
import json, sys
sys.setrecursionlimit(int(sys.argv[1]))
from fastapi.testclient import TestClient
from bench.app import create_app
from bench.runtime import Settings
from bench.testing import fake_implementations

app = create_app(fake_implementations(), Settings())
with TestClient(app) as client:
    document = client.get("/openapi.json").json()
print(json.dumps(sorted(document["paths"])))
"""


def test_the_app_of_many_flows_starts_on_a_small_stack(tmp_path: Path) -> None:
    specs = write_spec_set(tmp_path / "specs", FLOWS)
    out = tmp_path / "out"
    result = generate([specs], out, tmp_path / "impl", package="bench", base=tmp_path)
    assert result.exit_code == 0, [str(d) for d in result.errors]
    # Two frames a flow would need 240 more than the app's own depth.
    ran = subprocess.run(
        [sys.executable, "-c", PROBE, "200"],
        cwd=out,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join((str(out), str(tmp_path / "impl"))),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    paths = json.loads(ran.stdout.splitlines()[-1])
    assert len(paths) >= FLOWS
