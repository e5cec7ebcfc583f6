"""``*.flow.yaml`` text -> a Document of the IR, with positions and diagnostics.

The entry point: load the YAML, validate it against the syntax models, then
let one reader (a mixin per part of the file) build the Document.
"""

from __future__ import annotations

from flowc.diagnostics import Diagnostic, Location
from flowc.frontends.yaml import syntax as s
from flowc.frontends.yaml.flows import FlowReader
from flowc.frontends.yaml.ignores import read_ignores
from flowc.frontends.yaml.loader import load_yaml
from flowc.frontends.yaml.models import ModelReader
from flowc.frontends.yaml.patterns import PatternReader
from flowc.frontends.yaml.validate import validate_spec
from flowc.model import DEFAULT_BUS, AntiPattern, Document, Link, Prose, SyncArrow
from flowc.rules import report


def read_yaml(text: str, file: str) -> tuple[Document | None, list[Diagnostic]]:
    """Read one YAML spec; invalid entries are reported and left out, not fatal."""
    data, positions, diagnostics = load_yaml(text, file)
    if diagnostics and data is None:
        return None, diagnostics
    if data is None:
        return Document(path=file, loc=Location(file=file)), diagnostics
    if not isinstance(data, dict):
        diagnostics.append(
            report(
                "FLW107",
                f"a spec file is a mapping of sections, not a {type(data).__name__}",
                positions.at(()),
                "start with keys such as 'flows:', 'models:' or 'sagas:'",
            )
        )
        return None, diagnostics
    spec = validate_spec(data, positions, diagnostics)
    reader = _Reader(file, text, positions, diagnostics)
    document = reader.document(spec)
    ignores = read_ignores(text, positions)
    return document.model_copy(update={"suppressions": ignores}), diagnostics


class _Reader(FlowReader, ModelReader, PatternReader):
    """Builds the IR from validated syntax, attaching positions by data path."""

    def document(self, spec: s.SpecFile) -> Document:
        self.bus = spec.bus or DEFAULT_BUS
        return Document(
            path=self.file,
            unfilled=spec.unfilled,
            title=spec.title,
            status=spec.status,
            last_updated=spec.last_updated,
            summary=spec.summary,
            bus=spec.bus,
            services=tuple(
                self.service(item, i) for i, item in enumerate(spec.services)
            ),
            models=tuple(self.model(name, item) for name, item in spec.models.items()),
            flows=tuple(self.flow(item, i) for i, item in enumerate(spec.flows)),
            sagas=tuple(self.saga(item, i) for i, item in enumerate(spec.sagas)),
            choreographies=tuple(
                self.choreography(item, i) for i, item in enumerate(spec.choreographies)
            ),
            sync_policy=self.policy(spec.sync, ("sync",)) if spec.sync else None,
            sync_use_when=spec.sync_use_when,
            sync_arrows=tuple(
                SyncArrow(
                    source=arrow.source,
                    target=arrow.target,
                    loc=self.at("sync_arrows", i),
                )
                for i, arrow in enumerate(spec.sync_arrows)
            ),
            anti_patterns=tuple(
                AntiPattern(
                    pattern=item.pattern,
                    problem=item.problem,
                    alternative=item.alternative,
                    loc=self.at("anti_patterns", i),
                )
                for i, item in enumerate(spec.anti_patterns)
            ),
            related=tuple(
                Link(text=item.text, target=item.target, loc=self.at("related", i))
                for i, item in enumerate(spec.related)
            ),
            prose=tuple(
                Prose(heading=item.heading, text=item.text, loc=self.at("prose", i))
                for i, item in enumerate(spec.prose)
            ),
            loc=Location(file=self.file),
        )
