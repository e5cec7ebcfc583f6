"""The shipped Schema.org table and its lookup API."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from flowc.schemaorg import SCALAR_TYPES, PropertyInfo, Vocabulary, vocabulary
from flowc.schemaorg.vocabulary import load_table

REPO_ROOT = Path(__file__).resolve().parent.parent
SCRIPT = REPO_ROOT / "scripts" / "derive_schemaorg.py"
TABLE = REPO_ROOT / "src" / "flowc" / "schemaorg" / "vocabulary.json"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("derive_schemaorg", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _prop(*ranges: str) -> PropertyInfo:
    return PropertyInfo(name="probe", ranges=ranges, domains=(), superseded_by=None)


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return vocabulary()


def test_release_and_singleton(vocab: Vocabulary) -> None:
    assert vocab.release == "30.0"
    assert vocabulary() is vocab


def test_person_own_and_inherited_property_counts(vocab: Vocabulary) -> None:
    props = vocab.properties("Person")
    own = [name for name, info in props.items() if "Person" in info.domains]
    from_thing = [name for name, info in props.items() if "Thing" in info.domains]
    assert (len(own), len(from_thing), len(props)) == (68, 13, 81)
    assert list(props) == sorted(props)
    assert "name" in from_thing


@pytest.mark.parametrize("prop", ["givenName", "familyName", "email"])
def test_person_text_properties(vocab: Vocabulary, prop: str) -> None:
    info = vocab.property("Person", prop)
    assert info is not None
    assert info.ranges == ("Text",)
    assert vocab.accepts(info, "string")


def test_email_property_takes_email_field(vocab: Vocabulary) -> None:
    info = vocab.property("Person", "email")
    assert info is not None and vocab.accepts(info, "email")


def test_address_takes_text_or_postal_address(vocab: Vocabulary) -> None:
    info = vocab.property("Person", "address")
    assert info is not None
    assert info.ranges == ("PostalAddress", "Text")
    assert vocab.accepts(info, "string")
    assert vocab.accepts(info, "PostalAddress")
    assert not vocab.accepts(info, "Person")


@pytest.mark.parametrize("prop", ["homeLocation", "birthPlace"])
def test_place_property_rejects_string(vocab: Vocabulary, prop: str) -> None:
    info = vocab.property("Person", prop)
    assert info is not None and "Place" in info.ranges
    assert not vocab.accepts(info, "string")
    assert not vocab.accepts(info, "url")
    assert vocab.accepts(info, "Place")
    assert vocab.accepts(info, "City")  # City -> AdministrativeArea -> Place
    assert not vocab.accepts(info, "Person")


def test_birth_date_takes_date_only(vocab: Vocabulary) -> None:
    info = vocab.property("Person", "birthDate")
    assert info is not None and info.ranges == ("Date",)
    assert vocab.accepts(info, "date")
    assert not vocab.accepts(info, "datetime")
    assert not vocab.accepts(info, "string")


def test_superseded_property_and_type(vocab: Vocabulary) -> None:
    awards = vocab.property("Person", "awards")
    assert awards is not None and awards.superseded_by == "award"
    award = vocab.property("Person", "award")
    assert award is not None and award.superseded_by is None
    assert vocab.type_superseded_by("Taxi") == "TaxiService"
    assert vocab.type_superseded_by("Person") is None


def test_multiple_inheritance_hospital(vocab: Vocabulary) -> None:
    ancestors = vocab.ancestors("Hospital")
    assert ancestors[:3] == (
        "CivicStructure",
        "EmergencyService",
        "MedicalOrganization",
    )
    assert ancestors[-1] == "Thing"
    assert len(set(ancestors)) == len(ancestors)
    assert {"Place", "Organization", "LocalBusiness"} <= set(ancestors)
    for prop, declared_on in [
        ("medicalSpecialty", "Hospital"),
        ("openingHours", "CivicStructure"),
        ("priceRange", "LocalBusiness"),
        ("geo", "Place"),
        ("founder", "Organization"),
        ("name", "Thing"),
    ]:
        info = vocab.property("Hospital", prop)
        assert info is not None and declared_on in info.domains, prop


def test_multiple_inheritance_local_business(vocab: Vocabulary) -> None:
    assert vocab.ancestors("LocalBusiness") == ("Organization", "Place", "Thing")
    assert vocab.property("LocalBusiness", "founder") is not None  # from Organization
    assert vocab.property("LocalBusiness", "geo") is not None  # from Place
    assert vocab.property("Organization", "geo") is None


def test_ancestors_nearest_first(vocab: Vocabulary) -> None:
    assert vocab.ancestors("Thing") == ()
    assert vocab.ancestors("Person") == ("Thing",)
    assert vocab.ancestors("Integer") == ("Number",)
    assert vocab.ancestors("City") == ("AdministrativeArea", "Place", "Thing")


DATATYPES = (
    "DataType",
    "Text",
    "URL",
    "Number",
    "Integer",
    "Float",
    "Boolean",
    "Date",
    "DateTime",
    "Time",
    "CssSelectorType",
    "XPathType",
    "PronounceableText",
    "Quantity",
    "Duration",
)


@pytest.mark.parametrize("name", DATATYPES)
def test_datatypes(vocab: Vocabulary, name: str) -> None:
    assert vocab.has_type(name)
    assert vocab.is_datatype(name)


@pytest.mark.parametrize("name", ["Thing", "Person", "Place", "Enumeration", "Nope"])
def test_not_datatypes(vocab: Vocabulary, name: str) -> None:
    assert not vocab.is_datatype(name)


def test_unknown_type_and_property(vocab: Vocabulary) -> None:
    assert not vocab.has_type("Persn")
    assert vocab.ancestors("Persn") == ()
    assert vocab.properties("Persn") == {}
    assert vocab.property("Persn", "givenName") is None
    assert vocab.property("Person", "givenname") is None
    assert vocab.property("Person", "startDate") is None
    assert vocab.lookup_property("startDate") is not None
    assert not vocab.is_subclass("Persn", "Persn")
    assert not vocab.accepts(_prop("DeliveryTimeSettings"), "DeliveryTimeSettings")


def test_suggestions(vocab: Vocabulary) -> None:
    assert vocab.suggest_property("Person", "givenname") == "givenName"
    assert vocab.suggest_property("Person", "brithDate") == "birthDate"
    assert vocab.suggest_property("Persn", "givenname") == "givenName"
    assert vocab.suggest_property("Person", "zzzzqqqq") is None
    assert vocab.suggest_type("Persn") == "Person"
    assert vocab.suggest_type("person") == "Person"
    assert vocab.suggest_type("Qqqqqzzz") is None


@pytest.mark.parametrize(
    ("range_type", "accepted"),
    [
        ("Text", SCALAR_TYPES),
        ("URL", {"url"}),
        ("Number", {"integer", "number", "decimal"}),
        ("Integer", {"integer"}),
        ("Float", {"number", "decimal"}),
        ("Boolean", {"boolean"}),
        ("Date", {"date"}),
        ("DateTime", {"datetime"}),
        ("Time", {"string"}),
        ("Duration", {"string"}),
        ("CssSelectorType", {"string"}),
        ("EventStatusType", {"url"}),
        ("Place", set()),
    ],
)
def test_scalar_range_rules(
    vocab: Vocabulary, range_type: str, accepted: set[str]
) -> None:
    prop = _prop(range_type)
    assert {
        scalar for scalar in SCALAR_TYPES if vocab.accepts(prop, scalar)
    } == accepted


def test_class_values_fit_class_ranges(vocab: Vocabulary) -> None:
    author = vocab.property("CreativeWork", "author")
    assert author is not None
    assert vocab.accepts(author, "Person")
    assert vocab.accepts(
        author, "Hospital"
    )  # an Organization through MedicalOrganization
    assert not vocab.accepts(author, "Place")
    assert not vocab.accepts(author, "Persn")
    assert vocab.accepts(_prop("Thing"), "Event")
    assert not vocab.accepts(_prop("Text"), "Person")
    assert vocab.accepts(_prop("Number"), "Integer")


def test_table_matches_derivation() -> None:
    if not SCRIPT.exists():
        pytest.skip(f"{SCRIPT} not present (installed or sdist tree); cannot re-derive")
    script = _script()
    source: Path = script.DEFAULT_SOURCE
    if not source.exists():
        pytest.skip(f"shared vocabulary not present at {source}; cannot re-derive")
    table = script.derive_file(source)
    stale = "vocabulary.json is stale: run python scripts/derive_schemaorg.py"
    assert TABLE.read_text(encoding="utf-8") == script.render(table), stale
    assert script.dangling(table) == ["DeliveryTimeSettings"]
    assert script.main(["--check", "--output", str(TABLE)]) == 0


def test_table_is_compact_and_pinned() -> None:
    table = load_table()
    assert TABLE.stat().st_size < 400_000
    assert table["release"] == "30.0"
    assert table["source"]["sha256"] == (
        "4467fa19edcb1d7fb3c46c0adf3591b7f870c4a60b7838bdb61694fd02864cf6"
    )
    assert (len(table["classes"]), len(table["properties"])) == (933, 1521)


def test_the_shipped_table_loads_on_its_own() -> None:
    """Load time is measured in benchmarks/parsers.py, never asserted here."""
    fresh = Vocabulary(load_table())
    assert "givenName" in fresh.properties("Person")
