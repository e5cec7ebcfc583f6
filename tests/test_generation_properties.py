"""Property: any valid signup-style spec generates a package whose own tests pass.

Specs are drawn in the seed's shape with varied names, depth of calls,
errors (with every recovery form), field types and Schema.org columns; each
is compiled, the package imported in a fresh interpreter and its generated
tests run. This is how flowc is used on specs it has never seen.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flowc.api import generate

SERVICE_NAMES = [
    "AccountService",
    "Billing",
    "Identity",
    "ProfileStore",
    "Mailer",
    "Ledger",
    "RiskCheck",
    "Directory",
]
OPERATIONS = [
    "Register",
    "CheckRisk",
    "StoreProfile",
    "OpenAccount",
    "Verify",
    "Record",
]
EVENTS = ["AccountOpened", "ProfileStored", "CustomerRegistered", "RiskAssessed"]
SCALARS = [
    "string",
    "integer",
    "number",
    "boolean",
    "date",
    "datetime",
    "uuid",
    "email",
    "url",
    "decimal",
]
PERSON = {
    "email": "email",
    "given_name": "givenName",
    "family_name": "familyName",
    "birth_date": "birthDate",
    "telephone": "telephone",
}
PERSON_TYPES = {
    "email": "email",
    "given_name": "string",
    "family_name": "string",
    "birth_date": "date",
    "telephone": "string",
}


@st.composite
def spec(draw: st.DrawFn) -> tuple[str, str]:
    services = draw(
        st.lists(st.sampled_from(SERVICE_NAMES), min_size=3, max_size=4, unique=True)
    )
    entry, first, *rest = services
    consumer = rest[-1]
    nested = rest[0] if len(rest) > 1 else None
    operation = draw(st.sampled_from(OPERATIONS))
    event = draw(st.sampled_from(EVENTS))
    method = draw(st.sampled_from(["POST", "PUT"]))
    status = draw(st.sampled_from(["200 OK", "201 Created", "202 Accepted"]))
    person = draw(
        st.lists(st.sampled_from(sorted(PERSON)), min_size=1, max_size=5, unique=True)
    )
    extra = draw(st.lists(st.sampled_from(SCALARS), max_size=3))
    optional = draw(st.booleans())
    lines = [
        "    actor Customer",
        f"    Customer->>{entry}: {method} /signup",
        f"    {entry}->>{first}: {operation}",
    ]
    if nested:
        lines += [
            f"    {first}->>{nested}: Check{operation}",
            f"    {nested}-->>{first}: Checked",
        ]
    lines += [
        f"    {first}->>EventBus: {event} event",
        f"    {first}-->>{entry}: Done",
        f"    {entry}-->>Customer: {status}",
        f"    EventBus->>{consumer}: {event}",
        f"    {consumer}->>{consumer}: Welcome customer",
    ]
    handlers = [entry, first] + ([nested] if nested else [])
    recoveries = [
        "Retry with backoff",
        'Say "try later" | kindly',
        "Return the existing id",
    ]
    errors = ["| Invalid signup | " + entry + " | 400 | Return field errors |"]
    for index in range(draw(st.integers(0, 3))):
        handler = draw(st.sampled_from(handlers[1:] or handlers))
        status_code = draw(
            st.sampled_from([402, 403, 404, 409, 422, 429, 500, 502, 503])
        )
        recovery = draw(st.sampled_from(recoveries))
        errors.append(
            f"| Problem {chr(65 + index)} | {handler} | {status_code} | {recovery.replace('|', '/')} |"
        )
    dto_rows = [
        f"| {name} | {PERSON_TYPES[name]} | {'no' if optional and name != person[0] else 'yes'} | A field | {PERSON[name]} |"
        for name in person
    ]
    dto_rows += [
        f"| extra_{i} | {kind} | yes | Something else | |"
        for i, kind in enumerate(extra)
    ]
    entity_rows = [
        *dto_rows,
        "| id | uuid | yes | Assigned | identifier |",
        "| created_at | datetime | yes | Assigned | |",
    ]
    document = f"""# Integration Patterns

## Key Flows

### Customer Signup

**Trigger**: A customer signs up
**Outcome**: The customer exists
**SLA**: 2s

```mermaid
sequenceDiagram
{chr(10).join(lines)}
```

**Error Handling**:

| Error | Handler | HTTP | Recovery |
|-------|---------|------|----------|
{chr(10).join(errors)}

**Data Transformations**:

| Step | Input | Output |
|------|-------|--------|
| {entry} | HTTP JSON | Internal DTO |
| {first} | DTO | Customer entity |
| EventBus | Customer entity | Schema.org/Person event |

## Shared Concepts

### CustomerSignupDTO (DTO)

| Field | Type | Required | Description | Schema.org |
|-------|------|----------|-------------|------------|
{chr(10).join(dto_rows)}

### Customer (entity)

| Field | Type | Required | Description | Schema.org |
|-------|------|----------|-------------|------------|
{chr(10).join(entity_rows)}
"""
    return document, "\n".join(lines)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec())
def test_any_valid_signup_spec_generates_a_package_whose_tests_pass(
    drawn: tuple[str, str],
) -> None:
    import tempfile

    document, _ = drawn
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        specs = root / "specs"
        specs.mkdir()
        (specs / "integration-patterns.md").write_text(document, encoding="utf-8")
        result = generate(
            [specs],
            root / "generated",
            root / "implementations",
            package="drawn",
            base=root,
        )
        assert result.exit_code == 0, "\n".join(str(d) for d in result.diagnostics)
        completed = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
            cwd=root / "generated",
            capture_output=True,
            text=True,
            check=False,
        )
        assert completed.returncode == 0, document + completed.stdout[-4000:]
