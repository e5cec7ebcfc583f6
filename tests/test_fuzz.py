"""No input gives an internal error: a short, deterministic run of the fuzz harness.

The harness is ``tests/fuzzing.py``; ``scripts/fuzz.py`` runs it for 100,000
cases (docs/fuzzing.md). Here about 150 cases run with Hypothesis (derandomized,
so CI sees the same cases every time), then the crashes the fuzzer found, each
as a plain test with its minimal input.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from fuzzing import (
    EXAMPLES,
    ExampleCase,
    RandomChooser,
    mutate,
    mutated,
    mutated_examples,
    run_case,
    signature,
    suffix_of,
    valid_texts,
)
from hypothesis import HealthCheck, given, settings
from typer.testing import CliRunner

from flowc.api import validate
from flowc.cli import app
from flowc.frontends.common import (
    DurationError,
    parse_breaker,
    parse_duration,
    parse_retries,
)

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
)


# --- the short run (about 150 cases) ------------------------------------------------


@settings(FUZZ, max_examples=40)
@given(case=valid_texts())
def test_valid_documents_give_no_internal_error(case: tuple[str, str]) -> None:
    run_case(*case)


@settings(FUZZ, max_examples=40)
@given(case=mutated(valid_texts()))
def test_mutated_documents_give_no_internal_error(case: tuple[str, str]) -> None:
    run_case(*case)


@settings(FUZZ, max_examples=70)
@given(case=mutated_examples())
def test_mutated_examples_give_no_internal_error(case: ExampleCase) -> None:
    run_case(
        case.text,
        suffix_of(case.file_name),
        companions=case.companions,
        name=case.file_name,
    )


# --- the harness itself ---------------------------------------------------------------


def test_the_corpus_holds_the_examples() -> None:
    names = {s.name for s in EXAMPLES}
    assert {"specs", "specs/yaml", "seed"} <= names
    assert all(s.files for s in EXAMPLES)


def test_mutation_is_reproducible_from_a_seed() -> None:
    text = next(s for s in EXAMPLES if s.name == "specs").files[
        "integration-patterns.md"
    ]
    first = [mutate(text, RandomChooser(random.Random(7))) for _ in range(3)]
    again = [mutate(text, RandomChooser(random.Random(7))) for _ in range(3)]
    assert first == again
    assert any(m != text for m in first)


def test_signature_names_the_innermost_flowc_frame() -> None:
    try:
        parse_duration(object())  # type: ignore[arg-type]
    except AttributeError as exc:
        assert (
            signature(exc)
            == "AttributeError @ flowc/frontends/common.py:parse_duration"
        )


# --- regressions: crashes the fuzzer found ------------------------------------------

EXAMPLE = Path(__file__).parents[1] / "specs" / "integration-patterns.md"


def _cli_validate(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert "internal error" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.output


def test_a_400_digit_sla_is_a_diagnostic(tmp_path: Path) -> None:
    """flowc 0.1: OverflowError in parse_duration (float('9'*400) is inf)."""
    text = "# Integration Patterns\n\n## Key Flows\n\n### Signup\n\n**SLA**: <"
    text += "9" * 400 + "ms\n"
    run_case(text, ".md", render_valid=False)
    assert "FLW110" in _cli_validate(tmp_path, "sla.md", text)


def test_a_400_digit_sla_in_the_example_is_a_diagnostic(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    huge = text.replace("**SLA**: <500ms", "**SLA**: <" + "9" * 400 + "ms")
    assert huge != text
    assert "FLW110" in _cli_validate(tmp_path, "integration-patterns.md", huge)


def test_huge_yaml_durations_and_counts_are_diagnostics(tmp_path: Path) -> None:
    """An int SLA of 400 digits was taken as it was; 5,000-digit text overflowed."""
    text = (
        "flowc: 1\nflows:\n  - name: X\n    sla: " + "9" * 400 + "\n"
        "  - name: Y\n    sla: " + "9" * 5000 + "ms\n"
    )
    run_case(text, ".flow.yaml", render_valid=False)
    path = tmp_path / "big.flow.yaml"
    path.write_text(text, encoding="utf-8")
    codes = [d.code for d in validate([path]).diagnostics]
    assert codes.count("FLW110") == 2


@pytest.mark.parametrize(
    ("parse", "text"),
    [
        (parse_duration, "<" + "9" * 400 + "ms"),
        (parse_duration, "9" * 5000),
        (parse_duration, "8761h"),
        (parse_retries, "9" * 5000 + ", exponential backoff"),
        (parse_breaker, "9" * 5000 + " failures, 30s open"),
    ],
    ids=["400-digit-ms", "5000-digit", "over-a-year", "retries", "failures"],
)
def test_huge_numbers_are_not_durations_or_counts(parse: object, text: str) -> None:
    """Each raised OverflowError or ValueError (int() refuses 4,300+ digits)."""
    with pytest.raises(DurationError):
        parse(text)  # type: ignore[operator]


def test_ordinary_durations_and_counts_still_parse() -> None:
    assert parse_duration("8760h") == 365 * 24 * 3_600_000
    assert parse_duration("<500ms") == 500
    assert parse_retries("003, linear backoff") == (3, "linear")
    assert parse_breaker("5 failures, 30s open") == (5, 30_000)


def test_a_250_character_service_name_is_no_internal_error(tmp_path: Path) -> None:
    """flowc 0.1 gave an internal error for a 250-character service name."""
    long_name = "A" * 250
    text = EXAMPLE.read_text(encoding="utf-8").replace("NotificationService", long_name)
    assert long_name in text
    shared = EXAMPLE.with_name("shared-concepts.md").read_text(encoding="utf-8")
    run_case(text, ".md", companions={"shared-concepts.md": shared})
    _cli_validate(tmp_path, "integration-patterns.md", text)


@pytest.mark.parametrize("suffix", [".md", ".flow.yaml"])
def test_a_link_to_a_file_name_too_long_is_a_warning(
    tmp_path: Path, suffix: str
) -> None:
    """OSError (ENAMETOOLONG) from Path.is_file() when looking for the linked file."""
    target = "a" * 300 + ".yaml"
    if suffix == ".md":
        text = (
            f"# Integration Patterns\n\n## Related Documents\n\n- [Other]({target})\n"
        )
    else:
        text = f"flowc: 1\ntitle: T\nrelated:\n  - text: Other\n    target: {target}\n"
    run_case(text, suffix, render_valid=False)
    path = tmp_path / f"spec{suffix}"
    path.write_text(text, encoding="utf-8")
    assert "FLW205" in [d.code for d in validate([path]).diagnostics]


# --- findings whose causes were outside the readers (checks, backend) ---------------

FOUND = sorted((Path(__file__).parent / "fixtures" / "fuzz").glob("*.*"))


@pytest.mark.parametrize("path", FOUND, ids=[p.name for p in FOUND])
def test_fuzz_findings_in_checks_and_backend(path: Path) -> None:
    """Each file once gave an internal error in ``flowc generate``: a model named
    ``Ec5 x`` (generated ``-> models.Ec5 x:``) or ``Ec5.X`` (AssertionError in
    backends/python/models.py). Both are FLW405 errors now."""
    run_case(path.read_text(encoding="utf-8"), suffix_of(path.name))
