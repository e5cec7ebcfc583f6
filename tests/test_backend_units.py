"""Backend pieces on small inputs: attribute names, aliases, unused results, samples."""

from __future__ import annotations

import re
import sys
import types

from flowc.backends.python.imports import ModuleImports
from flowc.backends.python.models import generate_models
from flowc.backends.python.samples import invalid_request, sample_expression
from flowc.backends.python.spans import without_unused
from flowc.checks.analysis import Held
from flowc.checks.analysis.attributes import field_attribute
from flowc.model import Model, ModelField, parse_type


def test_wire_names_become_snake_case_attributes_that_cannot_clash() -> None:
    assert field_attribute("given-name") == "given_name"
    assert field_attribute("Given Name") == "given_name"
    assert field_attribute("givenName") == "given_name"
    assert field_attribute("@id") == "id"
    assert field_attribute("class") == "class_"
    assert field_attribute("json") == "json_"
    assert field_attribute("model_config") == "model_config_"
    assert field_attribute("1st") == "field_1st"


def test_aliased_fields_keep_the_wire_name_both_ways_and_default_optionals() -> None:
    model = Model(
        name="Person",
        fields=(
            ModelField(name="given-name", type=parse_type("string")),
            ModelField(name="class", type=parse_type("string"), required=False),
        ),
    )
    source = generate_models([model], "# header")
    # flowc formats the file afterwards; before that either quote may stand
    assert re.search(
        r"validation_alias=(['\"])given-name\1, serialization_alias=\1given-name\1",
        source,
    )
    assert "Field(default=None," in source
    assert " alias=" not in source
    assert "serialize_by_alias=True" in source
    module = types.ModuleType("flowc_test_models")
    sys.modules[module.__name__] = module  # pydantic resolves annotations there
    try:
        exec(compile(source, "models.py", "exec"), module.__dict__)
    finally:
        del sys.modules[module.__name__]
    person_class = module.__dict__["Person"]
    person = person_class.model_validate({"given-name": "Ada"})  # type: ignore[attr-defined]
    assert person.given_name == "Ada"
    assert person.model_dump() == {"given-name": "Ada", "class": None}
    assert person_class(given_name="Ada").given_name == "Ada"  # type: ignore[operator]


def test_results_nobody_reads_are_not_assigned() -> None:
    lines = ["a = await f()", "b = await g(a)", "c = await h()"]
    assert without_unused(lines) == ["a = await f()", "await g(a)", "await h()"]
    assert without_unused(lines, keep="c") == [
        "a = await f()",
        "await g(a)",
        "c = await h()",
    ]


def test_samples_say_what_they_need_imported() -> None:
    uuid = sample_expression(parse_type("uuid"), "id", 3, "Order")
    assert uuid.imports == {"from uuid import UUID"}
    nested = sample_expression(parse_type("list[Address]"), "addresses", 1, "Order")
    assert nested.text == "[sample_address()]"
    assert nested.samples == {"sample_address"}
    enum = sample_expression(parse_type("enum(a, b)"), "status", 1, "Order")
    assert enum.text == 'models.OrderStatus("a")' and enum.modules == {"models"}


def test_imports_follow_the_values_a_module_names() -> None:
    imports = ModuleImports()
    imports.add_value(
        Held("union", "payload", (Held("model", "A"), Held("schemaorg", "Person")))
    )
    imports.add_value(Held("open", "Anything"))
    assert imports.package_modules() == ["models", "schemaorg"]
    assert imports.lines == {"from typing import Any"}


def test_an_invalid_request_for_a_route_whose_fields_are_all_optional() -> None:
    model = Model(
        name="ListPetsRequest",
        fields=(
            ModelField(name="tag", type=parse_type("string"), required=False),
            ModelField(name="limit", type=parse_type("integer"), required=False),
        ),
    )
    invalid = invalid_request(model)
    assert invalid is not None
    assert invalid.payload == {"limit": "not-a-number"}
    only_text = Model(
        name="R",
        fields=(ModelField(name="q", type=parse_type("string"), required=False),),
    )
    assert invalid_request(only_text) is None
