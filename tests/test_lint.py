"""``flowc lint``: the Anti-Patterns rules, each firing and quiet, the
past-tense rule on real event names, inline ignores with reasons, and the
spec's own Anti-Patterns table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import REPO
from flowc.api import lint, validate
from flowc.checks import tense
from flowc.cli import app
from flowc.fmt.files import format_specs
from flowc.frontends.ignores import UNWRITTEN_REASON

EVENT_NAMES = REPO.parent / "shared" / "event-names"


def _names(file: str) -> list[str]:
    lines = (EVENT_NAMES / file).read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0] for line in lines if line and not line.startswith("#")]


# --- the past-tense rule on real names -----------------------------------------


@pytest.mark.skipif(not EVENT_NAMES.is_dir(), reason="../shared/event-names is absent")
def test_the_past_tense_rule_accepts_facts_and_fires_on_the_rest() -> None:
    facts, others = _names("past-tense.txt"), _names("not-past-tense.txt")
    assert len(facts) > 500 and len(others) > 200
    accepted = [name for name in facts if tense.is_fact(name)]
    fired = [name for name in others if not tense.is_fact(name)]
    missed = sorted(set(facts) - set(accepted))
    assert len(accepted) / len(facts) >= 0.99, missed
    passed = sorted(set(others) - set(fired))
    assert len(fired) / len(others) >= 0.90, passed


@pytest.mark.skipif(not EVENT_NAMES.is_dir(), reason="../shared/event-names is absent")
def test_the_rule_reads_words_and_lists_no_name() -> None:
    """A table of the catalogues' names would pass the test above and fail on
    the next team's names: the rule's source holds none of them."""
    source = Path(tense.__file__).read_text(encoding="utf-8").lower()
    compound = re.compile(r"[._/:\- ]|[a-z][A-Z]")
    listed = [
        name
        for name in _names("past-tense.txt") + _names("not-past-tense.txt")
        if compound.search(name)
    ]
    assert [name for name in listed if name.lower() in source] == []


@pytest.mark.parametrize(
    "name",
    [
        "ParcelDelivered",
        "refund.issued",
        "PasswordReset",
        "USER_LOGGED_IN",
        "payout-paid-out",
        "SeatsWithheld",
        "InvoiceOverdrawn",
        "com.acme.booking.rebooked",
        "ShipmentDispatchedIntegrationEvent",
        "order.placed.v2",
        "QuoteAgreed",
    ],
)
def test_facts_beyond_the_catalogues_are_accepted(name: str) -> None:
    assert tense.is_fact(name)


@pytest.mark.parametrize(
    "name",
    [
        "CreateRefund",
        "SubscriptionWillRenew",
        "refund.pending",
        "SetPrice",
        "ResetPasswordCommand",
        "PublishOrderPlaced",
        "UpcomingRenewal",
        "StockLevel",
        "ProcessPayment",
        "NeedsReview",
        "BookingReady",
    ],
)
def test_other_names_beyond_the_catalogues_fire(name: str) -> None:
    assert not tense.is_fact(name)


# --- each rule fires, and is quiet ---------------------------------------------

_DOCUMENT = """\
# Integration Patterns

## Key Flows

### Place Order

**Trigger**: `POST /orders`
**Outcome**: The order is placed
{comment}
```mermaid
sequenceDiagram
    participant Client
    participant Gateway
    participant OrderService
    participant StockService
    participant EventBus
    Client->>Gateway: POST /orders
{body}    Gateway-->>Client: 201 Created
```

### Cancel Order

**Trigger**: `POST /orders/{{order_id}}/cancel`
**Outcome**: The order is cancelled

```mermaid
sequenceDiagram
    participant Client
    participant Gateway
    participant OrderService
    participant EventBus
    Client->>Gateway: POST /orders/{{order_id}}/cancel
    Gateway->>OrderService: CancelOrder
    OrderService-->>Gateway: Order
    OrderService->>EventBus: {cancel_event} event
    Gateway-->>Client: 200 OK
```
{appendix}"""

_QUIET = (
    "    Gateway->>OrderService: CreateOrder\n"
    "    OrderService-->>Gateway: Order\n"
    "    OrderService->>EventBus: OrderPlaced event\n"
)

_LOUD = {
    "FLW701": "".join(
        f"    Gateway->>StockService: CheckStock{n}\n"
        f"    StockService-->>Gateway: Stock{n}\n"
        for n in range(4)
    )
    + _QUIET,
    "FLW702": "    Gateway->>StockService: ReserveStock\n"
    "    StockService-->>Gateway: Reservation\n" + _QUIET,
    "FLW703": "    Gateway->>StockService: CheckStock\n" + _QUIET,
    "FLW704": _QUIET.replace("OrderPlaced event", "GetOrderDetails event"),
    "FLW705": _QUIET.replace("OrderPlaced event", "PlaceOrder event"),
}


def _spec(
    tmp_path: Path,
    body: str = _QUIET,
    comment: str = "",
    cancel_event: str = "OrderCancelled",
    appendix: str = "",
) -> Path:
    path = tmp_path / "integration-patterns.md"
    path.write_text(
        _DOCUMENT.format(
            body=body, comment=comment, cancel_event=cancel_event, appendix=appendix
        ),
        encoding="utf-8",
    )
    return path


def _codes(path: Path) -> list[str]:
    return [d.code for d in validate([path]).diagnostics]


def test_the_quiet_spec_has_no_lint_finding(tmp_path: Path) -> None:
    found = lint([_spec(tmp_path)]).diagnostics
    assert found == []


@pytest.mark.parametrize("code", sorted(_LOUD))
def test_each_rule_fires_where_its_pattern_is_drawn(tmp_path: Path, code: str) -> None:
    found = lint([_spec(tmp_path, _LOUD[code])]).diagnostics
    assert code in [d.code for d in found]
    # validate runs the same analysis, so it shows the same warning
    assert code in _codes(tmp_path / "integration-patterns.md")


# --- inline ignores ---------------------------------------------------------------


def test_an_ignore_with_a_reason_silences_its_rule_in_its_flow_only(
    tmp_path: Path,
) -> None:
    spec = _spec(
        tmp_path,
        _LOUD["FLW705"],
        comment="\n<!-- flowc: ignore[FLW705] PlaceOrder is a partner's contract -->\n",
        cancel_event="CancelOrderNow",
    )
    found = validate([spec]).diagnostics
    loud = [d for d in found if d.code == "FLW705"]
    assert [d.message for d in loud] == [
        "event 'CancelOrderNow' is not a fact in the past tense"
    ]
    assert "FLW220" not in [d.code for d in found]


def test_an_ignore_takes_rule_names_too(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        _LOUD["FLW701"],
        comment="\n<!-- flowc: ignore[chatty-services] the stock API has no batch -->\n",
    )
    assert "FLW701" not in _codes(spec)


def test_an_ignore_without_a_reason_silences_nothing(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path, _LOUD["FLW705"], comment="\n<!-- flowc: ignore[FLW705] -->\n"
    )
    found = validate([spec]).diagnostics
    assert {"FLW705", "FLW217"} <= {d.code for d in found}
    reasonless = next(d for d in found if d.code == "FLW217")
    assert (reasonless.location.line, reasonless.location.column) == (10, 6)
    assert validate([spec]).exit_code == 1


def test_errors_cannot_be_ignored(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path, comment="\n<!-- flowc: ignore[FLW406] we want two sagas -->\n"
    )
    found = validate([spec]).diagnostics
    assert "FLW218" in [d.code for d in found]


def test_an_ignore_of_an_unknown_rule_is_reported(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        _LOUD["FLW705"],
        comment="\n<!-- flowc: ignore[FLW7055] a typo -->\n",
    )
    codes = _codes(spec)
    assert {"FLW219", "FLW705"} <= set(codes)


def test_an_ignore_that_silences_nothing_is_reported(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path, comment="\n<!-- flowc: ignore[FLW705] kept from an old name -->\n"
    )
    found = [d for d in validate([spec]).diagnostics if d.code == "FLW220"]
    assert len(found) == 1 and "FLW705" in found[0].message


def test_an_ignore_in_code_is_no_ignore(tmp_path: Path) -> None:
    appendix = "\n## Notes\n\n```html\n<!-- flowc: ignore[FLW705] in code -->\n```\n"
    spec = _spec(tmp_path, _LOUD["FLW705"], appendix=appendix)
    assert "FLW705" in _codes(spec) and "FLW220" not in _codes(spec)


_YAML = """\
flowc: 1
flows:
  - name: Product Search
{comment}    steps:
      - {{request: GET /search, from: Client, to: Gateway}}
      - {{call: Lookup, from: Gateway, to: Catalog}}
      - {{reply: Items, from: Catalog, to: Gateway}}
      - {{publish: SearchProducts, from: Gateway, to: EventBus}}
      - {{respond: 200 OK, from: Gateway, to: Client}}
  - name: Product View
    steps:
      - {{request: GET /view, from: Client, to: Gateway}}
      - {{call: Fetch, from: Gateway, to: Catalog}}
      - {{reply: Item, from: Catalog, to: Gateway}}
      - {{publish: ViewProduct, from: Gateway, to: EventBus}}
      - {{respond: 200 OK, from: Gateway, to: Client}}
"""


def test_a_yaml_ignore_covers_the_item_it_sits_in(tmp_path: Path) -> None:
    path = tmp_path / "search.flow.yaml"
    path.write_text(
        _YAML.format(comment="    # flowc: ignore[FLW705] a legacy topic name\n"),
        encoding="utf-8",
    )
    found = [d for d in validate([path]).diagnostics if d.code == "FLW705"]
    assert [d.message for d in found] == [
        "event 'ViewProduct' is not a fact in the past tense"
    ]


def test_flowc_disable_keeps_working_and_fmt_rewrites_it(tmp_path: Path) -> None:
    spec = _spec(
        tmp_path,
        _LOUD["FLW705"],
        comment="\n<!-- flowc-disable: event-not-past-tense -->\n",
    )
    found = validate([spec]).diagnostics
    assert "FLW705" not in {d.code for d in found}
    note = next(d for d in found if d.code == "FLW221")
    assert "flowc fmt" in note.hint

    format_specs([spec], write=True)
    rewritten = spec.read_text(encoding="utf-8")
    assert "<!-- flowc-disable" not in rewritten
    assert f"<!-- flowc: ignore[event-not-past-tense] {UNWRITTEN_REASON} -->" in (
        rewritten
    )
    found = validate([spec]).diagnostics
    assert {d.code for d in found} >= {"FLW221"}
    assert not {"FLW705", "FLW217", "FLW220"} & {d.code for d in found}
    note = next(d for d in found if d.code == "FLW221")
    assert "rewritten from flowc-disable" in note.message

    spec.write_text(
        rewritten.replace(UNWRITTEN_REASON, "the topic name is a public contract"),
        encoding="utf-8",
    )
    found = validate([spec]).diagnostics
    assert not {"FLW705", "FLW221", "FLW220"} & {d.code for d in found}


# --- the spec's own Anti-Patterns table --------------------------------------------

_TABLE = """
## Anti-Patterns

| Pattern | Problem | Alternative |
|---------|---------|-------------|
| Events for queries | Consistency | Call OrderService.GetOrder instead |
| Shared database | Coupling | Own your data |
"""


def test_a_table_row_lends_its_alternative_and_an_unknown_row_is_a_note(
    tmp_path: Path,
) -> None:
    spec = _spec(tmp_path, _LOUD["FLW704"], appendix=_TABLE)
    found = validate([spec]).diagnostics
    query = next(d for d in found if d.code == "FLW704")
    assert query.hint.startswith(
        "Call OrderService.GetOrder instead (the Anti-Patterns"
    )
    note = next(d for d in found if d.code == "FLW222")
    assert "'Shared database'" in note.message and note.severity.value == "note"


# --- the command ----------------------------------------------------------------------


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["lint", *args])
    return result.exit_code, result.output


def test_lint_exits_0_on_warnings_and_1_with_warn_as_error(tmp_path: Path) -> None:
    spec = _spec(tmp_path, _LOUD["FLW705"])
    code, output = _run(str(spec))
    assert code == 0 and "warning[FLW705]" in output
    code, output = _run(str(spec), "--warn-as-error")
    assert code == 1 and "warning[FLW705]" in output


def test_select_and_ignore_take_codes_and_names(tmp_path: Path) -> None:
    spec = _spec(tmp_path, _LOUD["FLW703"].replace("OrderPlaced", "PlaceOrder"))
    _, both = _run(str(spec))
    assert "FLW703" in both and "FLW705" in both
    _, selected = _run(str(spec), "--select", "event-not-past-tense")
    assert "FLW705" in selected and "FLW703" not in selected
    _, ignored = _run(str(spec), "--ignore", "FLW705,FLW703")
    assert "FLW70" not in ignored


def test_an_unknown_rule_on_the_command_line_exits_2(tmp_path: Path) -> None:
    code, output = _run(str(_spec(tmp_path)), "--select", "chatty")
    assert code == 2 and "no rule is named 'chatty'" in output


def test_lint_shows_errors_whatever_is_selected(tmp_path: Path) -> None:
    spec = _spec(tmp_path, comment="\n<!-- flowc: ignore[FLW705] -->\n")
    code, output = _run(str(spec), "--select", "FLW701")
    assert code == 1 and "error[FLW217]" in output
