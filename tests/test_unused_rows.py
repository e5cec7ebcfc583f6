"""Every Data Transformations row becomes code, or flowc says at its line why not.

A row used to vanish without a word when the service did not hold its Input at
that point of the diagram: an event drawn after the reply, a consumer's row
(now mapped), an event whose declared model is not the row's Output.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import CORPUS, SPECS
from flowc.api import generate, validate
from flowc.diagnostics import Diagnostic


def _unused(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code == "FLW423"]


def test_an_event_published_after_the_reply_is_reported_not_dropped() -> None:
    """Update Pet: PetService answers the Pet entity, then publishes PetUpdated.
    flowc does not map an event drawn after the reply yet: the row is reported
    at its line, with what the service holds and what to do instead."""
    checked = validate([CORPUS / "petstore"])
    found = _unused(checked.diagnostics)
    assert [d.location.line for d in found] == [137]
    assert found[0].severity.value == "warning"
    hint = found[0].hint or ""
    assert "PetService holds UpdatePetRequest when it publishes PetUpdated" in hint
    assert "build PetUpdated in PetService's implementation" in hint
    assert checked.analysis is not None
    publisher = next(
        p
        for p in checked.analysis.services["PetService"].publishers
        if p.event == "PetUpdated"
    )
    assert publisher.mapping is None  # the person builds the declared payload


def test_a_consumers_row_maps_the_event_it_received() -> None:
    """Schedule Shipment: ShippingService consumes StockAllocated and calls
    BookPickup with the PickupRequest the row maps it to."""
    checked = validate([CORPUS / "customers-orders"])
    assert checked.analysis is not None and not _unused(checked.diagnostics)
    consumer = next(
        c
        for c in checked.analysis.services["ShippingService"].consumers
        if c.event == "StockAllocated"
    )
    maps = [s.mapping.name for s in consumer.steps if s.mapping is not None]
    assert maps == ["stock_allocated_to_pickup_request"]
    assert [s.kind for s in consumer.steps][:2] == ["map", "call"]


def test_a_row_that_maps_nothing_is_reported_at_its_line() -> None:
    checked = validate([CORPUS / "issue-tracker"])
    found = _unused(checked.diagnostics)
    assert [(d.location.line, d.severity.value) for d in found] == [
        (61, "warning"),
        (111, "warning"),
        (150, "warning"),
    ]
    assert "IssueService holds RepoAccess when it publishes IssueOpened" in (
        found[0].hint or ""
    )


def test_a_row_the_declared_event_model_overrides_is_reported(tmp_path: Path) -> None:
    """Declare UserCreated in Shared Concepts: the row that maps the User to a
    Schema.org Person event no longer shapes the event, and flowc says so."""
    specs = tmp_path / "specs"
    shutil.copytree(SPECS, specs)
    with (specs / "shared-concepts.md").open("a", encoding="utf-8") as concepts:
        concepts.write(
            "\n## UserCreated (event)\n\n"
            "| Field | Type | Required | Description |\n"
            "|-------|------|----------|-------------|\n"
            "| user_id | uuid | yes | The new user |\n"
        )
    checked = validate([specs])
    found = _unused(checked.diagnostics)
    assert len(found) == 1
    row = found[0]
    assert row.location.file.endswith("integration-patterns.md")
    assert "Schema.org/Person event" in row.message
    assert "UserCreated carries its declared model UserCreated" in (row.hint or "")
    # generate sees the same analysis, and says the same.
    result = generate([specs], tmp_path / "out", tmp_path / "impl", base=tmp_path)
    assert [d.location.line for d in _unused(result.diagnostics)] == [row.location.line]


REPORTED = {"issue-tracker", "petstore", "user-directory", "cargo-booking"}
"""Corpus sets with rows flowc reports: each an event drawn after the reply,
or a row whose Input the service does not hold where it is drawn."""


def test_the_example_and_the_rest_of_the_corpus_use_every_row() -> None:
    for spec_set in [SPECS, *sorted(p for p in CORPUS.iterdir() if p.is_dir())]:
        if spec_set.name in REPORTED or (spec_set / "expect-errors").exists():
            continue
        assert not _unused(validate([spec_set]).diagnostics), spec_set.name
