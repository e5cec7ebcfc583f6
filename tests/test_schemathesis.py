"""Schemathesis against the generated apps: the committed example and the corpus.

Every operation of each app's own OpenAPI document is called with generated
requests (valid ones and, in the negative mode, invalid ones) and every check
Schemathesis ships is run on the answers: no 5xx, no response outside the
declared statuses, content types, headers and schemas, invalid requests
refused (with the spec's validation status) and valid ones accepted.

The apps run with their fakes (``<package>.testing.fake_implementations()``),
which answer every operation with samples, in process through ASGI. The number
of examples per operation is bounded and the run derandomized, so the file is
quick and a failure reproduces.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path

import email_validator
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.python.asgi import shutdown_lifespans
from test_corpus import DOCUMENTS, IDS, generate_document

# The fakes accept one bearer token behind 401/403 rows (``testing.TEST_TOKEN``);
# Schemathesis sends it, and checks that missing or other tokens are refused.
AUTH = {"Authorization": "Bearer flowc-test-token"}


# Schemathesis writes addresses under `.test`, the domain RFC 2606 keeps for
# testing; email-validator refuses it outside its documented test mode.
email_validator.TEST_ENVIRONMENT = True

EXAMPLES = settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _app(package: str, state: Path | None = None) -> object:
    """The app on its fakes; saga state (when it has sagas) in ``state``."""
    app_module = import_module(f"{package}.app")
    runtime = import_module(f"{package}.runtime")
    testing = import_module(f"{package}.testing")
    settings = runtime.Settings()
    if state is not None and hasattr(settings, "saga_database_url"):
        settings.saga_database_url = f"sqlite:///{state / 'sagas.db'}"
    return app_module.create_app(testing.fake_implementations(), settings)


# (a) The committed example, generated/signup (on sys.path through conftest).

example = schemathesis.openapi.from_asgi("/openapi.json", _app("signup"))


@example.parametrize()
@EXAMPLES
def test_example_app(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=AUTH)


# (b) Each document of the corpus, generated once into a temporary folder and
# imported in process under its own package name.


@pytest.fixture(scope="module", params=DOCUMENTS, ids=IDS)
def corpus_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[object]:
    folder: Path = request.param
    generated = generate_document(
        folder, tmp_path_factory.mktemp(f"schemathesis-{folder.name}")
    )
    package = generated.package
    assert package not in sys.modules, f"{package} is already imported"
    output = str(generated.output)
    sys.path.insert(0, output)
    try:
        yield _app(package, generated.root)
    finally:
        shutdown_lifespans()
        sys.path.remove(output)
        for name in list(sys.modules):
            if name == package or name.startswith(f"{package}."):
                del sys.modules[name]


@pytest.fixture
def corpus_schema(
    corpus_app: object, request: pytest.FixtureRequest
) -> schemathesis.BaseSchema:
    # Schemathesis 4.32 names each operation's subtest through the node's
    # `_nodeid`, an attribute pytest 9.2 no longer has (it keeps `_id`).
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid
    return schemathesis.openapi.from_asgi("/openapi.json", corpus_app)


corpus = schemathesis.pytest.from_fixture("corpus_schema")


@corpus.parametrize()
@EXAMPLES
def test_corpus_app(case: schemathesis.Case) -> None:
    case.call_and_validate(headers=AUTH)
