"""Models split into groups of models that reference each other, one module each."""

from __future__ import annotations

import ast
from typing import Any

from flowc.backends.python.model_groups import model_groups, module_names
from flowc.backends.python.models import generate_model_modules
from flowc.model import Model, ModelField, Scalar, TypeRef

TEXT = TypeRef(scalar=Scalar.STRING)


def ref(name: str) -> TypeRef:
    return TypeRef(model=name)


def enum(*values: str) -> TypeRef:
    return TypeRef(enum_values=values)


def listed(item: TypeRef) -> TypeRef:
    return TypeRef(item=item)


def model(model_name: str, **fields: TypeRef) -> Model:
    return Model(
        name=model_name,
        fields=tuple(ModelField(name=n, type=t) for n, t in fields.items()),
    )


def schema_model(name: str, schema: dict[str, Any]) -> Model:
    return Model(name=name, json_schema=schema)


def names(models: list[Model]) -> list[list[str]]:
    return [[m.name for m in group] for group in model_groups(models)]


def test_connected_components_through_fields_and_lists() -> None:
    models = [
        model("Order", lines=listed(ref("Line")), buyer=ref("Customer")),
        model("Line", sku=TEXT),
        model("Customer", name=TEXT),
        model("User", name=TEXT),
        model("CheckoutRequest", order=ref("Order")),
        model("SignupRequest", email=TEXT),
    ]
    assert names(models) == [
        ["CheckoutRequest", "Customer", "Line", "Order"],
        ["SignupRequest"],
        ["User"],
    ]


def test_a_model_referenced_only_from_one_side_joins_the_group() -> None:
    # Edges are undirected: B and C both point at A, so all three share a module.
    models = [model("B", a=ref("A")), model("C", a=ref("A")), model("A", x=TEXT)]
    assert names(models) == [["A", "B", "C"]]


def test_enum_classes_belong_to_their_model_and_join_models_that_share_a_name() -> None:
    models = [
        model("User", status=enum("active", "gone")),
        model("Order", state=listed(enum("open", "paid"))),
        # UserStatus is also the enum class of User.status: one module for both.
        model("UserStatus", label=TEXT),
        # Both fields make the enum class ``CartPayState``: one module for both.
        model("Cart", **{"pay state": enum("x")}),
        model("CartPay", state=enum("y")),
    ]
    assert names(models) == [["Cart", "CartPay"], ["Order"], ["User", "UserStatus"]]


def test_json_schema_refs_to_declared_models_join_groups() -> None:
    models = [
        schema_model(
            "Invoice",
            {
                "type": "object",
                "properties": {
                    "to": {"$ref": "#/$defs/Party"},
                    "$ref": {"type": "string"},
                    "items": {"type": "array", "items": [{"$ref": "#/$defs/Item"}]},
                },
            },
        ),
        model("Party", name=TEXT),
        model("Item", sku=TEXT),
        schema_model("Other", {"$ref": "#/$defs/Undeclared"}),
        schema_model("Free", {"$ref": "https://example.com/x.json"}),
    ]
    assert names(models) == [["Free"], ["Invoice", "Item", "Party"], ["Other"]]


def test_module_names_are_snake_case_distinct_and_importable() -> None:
    groups = model_groups(
        [
            model("UserAccount"),
            model("User Account"),
            model("user_account"),
            model("Class"),
            model("Init"),
        ]
    )
    assert module_names(groups) == [
        "class_",
        "init",
        "user_account",
        "user_account_2",
        "user_account_3",
    ]


def test_no_models_is_no_group() -> None:
    assert model_groups([]) == []


def test_index_reexports_every_class_of_every_module() -> None:
    models = [
        model("Order", lines=listed(ref("Line")), state=enum("open", "paid")),
        model("Line", sku=TEXT),
        model("Item10"),
        model("Item2"),
    ]
    files = {m.path: m.text for m in generate_model_modules(models, "# header", "shop")}
    assert sorted(files) == [
        "models/__init__.py",
        "models/item10.py",
        "models/item2.py",
        "models/line.py",
    ]
    index = ast.parse(files["models/__init__.py"])
    imports = {
        node.module: [a.name for a in node.names]
        for node in index.body
        if isinstance(node, ast.ImportFrom)
    }
    assert imports == {
        "shop.models.item10": ["Item10"],
        "shop.models.item2": ["Item2"],
        "shop.models.line": ["Line", "Order", "OrderState"],
    }
    exported = next(
        node.value
        for node in index.body
        if isinstance(node, ast.AnnAssign) and node.value is not None
    )
    assert ast.literal_eval(exported) == [
        "Item2",
        "Item10",
        "Line",
        "Order",
        "OrderState",
    ]
    assert all(text.startswith("# header") for text in files.values())


def test_no_models_is_an_empty_index() -> None:
    files = generate_model_modules([], "# header", "shop")
    assert [module.path for module in files] == ["models/__init__.py"]
    assert "__all__: list[str] = []" in files[0].text
