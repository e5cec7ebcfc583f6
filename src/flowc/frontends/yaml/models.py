"""``models:`` -> Models of the IR, each field's type parsed and positioned."""

from __future__ import annotations

from flowc.frontends.yaml import syntax as s
from flowc.frontends.yaml.base import ReaderBase
from flowc.model import Model, ModelField, ModelKind, TypeSyntaxError, parse_type
from flowc.rules import report


class ModelReader(ReaderBase):
    """Reads ``models:`` entries."""

    def model(self, name: str, spec: s.ModelSpec) -> Model:
        fields: list[ModelField] = []
        for index, item in enumerate(spec.fields or []):
            path = ("models", name, "fields", index)
            try:
                type_ref = parse_type(item.type)
            except TypeSyntaxError as exc:
                self.out.append(
                    report(
                        "FLW111",
                        f"field {item.name!r}: {exc}",
                        self.positions.at((*path, "type")),
                        "use string, integer, number, boolean, date, datetime, uuid, email, url, decimal, list[T], enum(a, b) or a model name",
                    )
                )
                continue
            fields.append(
                ModelField(
                    name=item.name,
                    type=type_ref.at(self.positions.at((*path, "type"))),
                    required=item.required,
                    description=item.description,
                    schema_org=item.schema_org,
                    secret=item.secret,
                    loc=self.positions.at(path),
                )
            )
        return Model(
            name=name,
            kind=ModelKind(spec.kind),
            description=spec.description,
            fields=tuple(fields),
            json_schema=spec.json_schema,
            schema_org_type=spec.schema_org_type,
            loc=self.positions.at(("models", name), key=True),
        )
