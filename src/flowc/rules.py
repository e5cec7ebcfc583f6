"""Every rule ID flowc reports, with its name and meaning.

The table is the single source for docs/rules.md (a test keeps them in step)
and for the exit code: input rules (FLW0xx) and FLW808 (an output folder that
cannot be compared) are I/O problems, exit 2.
"""

from __future__ import annotations

from dataclasses import dataclass

from flowc.diagnostics import Diagnostic, Location, Severity


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str


E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTE

_TABLE: tuple[tuple[str, str, Severity, str], ...] = (
    # Input: reading files.
    ("FLW001", "path-not-found", E, "A path given on the command line does not exist."),
    ("FLW002", "file-unreadable", E, "A spec file cannot be read (permissions, I/O)."),
    ("FLW003", "file-too-large", E, "A spec file is larger than the 4 MiB limit."),
    ("FLW004", "not-text", E, "A spec file holds binary data (NUL bytes)."),
    ("FLW005", "no-specs", E, "A folder holds no .md, .yaml or .yml spec files."),
    ("FLW006", "empty-file", W, "A spec file is empty; it contributes nothing."),
    (
        "FLW007",
        "mis-encoded",
        W,
        "A spec file is not valid UTF-8; it was read with replacements.",
    ),
    (
        "FLW008",
        "bad-baseline",
        E,
        "`breaking --against` names no git revision or folder flowc can read (a shallow clone lacks the history).",
    ),
    # YAML syntax.
    ("FLW101", "yaml-syntax", E, "The file is not well-formed YAML."),
    ("FLW102", "unknown-key", E, "A YAML key that the spec syntax does not have."),
    ("FLW103", "wrong-type", E, "A YAML value of the wrong type or form."),
    ("FLW104", "missing-key", E, "A required YAML key is absent."),
    (
        "FLW105",
        "too-deep",
        E,
        "YAML nested deeper than the limit (200 levels) or too many nodes.",
    ),
    (
        "FLW106",
        "duplicate-key",
        E,
        "A YAML mapping repeats a key; YAML keeps only one.",
    ),
    ("FLW107", "not-a-spec", E, "The YAML document is not a mapping of spec sections."),
    # Values inside specs, either syntax.
    (
        "FLW110",
        "bad-duration",
        E,
        "An SLA, timeout or policy value is not a duration such as 500ms or 2s.",
    ),
    ("FLW111", "bad-type", E, "A field type is not one of the spec language's types."),
    ("FLW112", "bad-policy", E, "A retries or circuit-breaker value cannot be read."),
    (
        "FLW113",
        "bad-status",
        E,
        "An HTTP status is not a number in the range the position needs.",
    ),
    # Markdown documents.
    (
        "FLW201",
        "placeholder",
        N,
        "Template text left unfilled ({Flow Name}, YYYY-MM-DD, (e.g., ...)).",
    ),
    (
        "FLW202",
        "placeholder-flow",
        N,
        "A flow whose heading is still a placeholder is skipped.",
    ),
    ("FLW203", "missing-column", E, "A table lacks a column its section requires."),
    (
        "FLW204",
        "missing-diagram",
        E,
        "A flow, saga or choreography has no mermaid diagram of the right kind.",
    ),
    (
        "FLW205",
        "missing-link-target",
        W,
        "A Related Documents link names a file not in the spec set.",
    ),
    (
        "FLW216",
        "template-link-target",
        N,
        "A link of the unfilled template names a file not in the spec set (the template's own links).",
    ),
    (
        "FLW206",
        "unknown-bullet",
        W,
        "An Implementation or Guidelines bullet flowc does not know.",
    ),
    (
        "FLW207",
        "wrong-diagram-kind",
        E,
        "A mermaid block is not the diagram kind its section needs.",
    ),
    (
        "FLW208",
        "duplicate-part",
        W,
        "A part is given twice (a flow's Trigger, SLA or table; the set's sync policy); the first is used.",
    ),
    (
        "FLW209",
        "bad-model-section",
        E,
        "A Shared Concepts model has neither a field table nor a JSON Schema.",
    ),
    ("FLW210", "bad-json-schema", E, "A fenced JSON Schema block cannot be read."),
    (
        "FLW211",
        "bad-suppression",
        W,
        "A flowc-disable comment names no known lint rule.",
    ),
    (
        "FLW212",
        "bad-flag",
        E,
        "A Required or Secret cell is not yes or no (yes/no/true/false/✓/x/blank).",
    ),
    (
        "FLW213",
        "convert-drops",
        W,
        "Converting drops what the other syntax has no place for (service kinds and flow policies in Markdown, ignore comments in either).",
    ),
    (
        "FLW214",
        "sync-arrow-without-client",
        W,
        "A Request/Response flowchart arrow that gives no client: it names no service, or no flow draws an operation of its callee.",
    ),
    (
        "FLW215",
        "unread-text",
        W,
        "Text in a known section that belongs to none of its parts; no code comes of it.",
    ),
    # Inline suppressions.
    (
        "FLW217",
        "ignore-without-reason",
        E,
        "A `flowc: ignore[...]` comment gives no reason; it silences nothing.",
    ),
    (
        "FLW218",
        "ignore-an-error",
        E,
        "A `flowc: ignore[...]` comment names an error rule; errors cannot be silenced.",
    ),
    (
        "FLW219",
        "ignore-unknown-rule",
        W,
        "A `flowc: ignore[...]` comment names no rule flowc has.",
    ),
    (
        "FLW220",
        "unused-ignore",
        W,
        "A `flowc: ignore[...]` comment silences nothing in the lines it covers.",
    ),
    (
        "FLW221",
        "disable-without-reason",
        N,
        "A flowc-disable comment, or the ignore `flowc fmt` rewrote it into, gives no "
        "reason yet.",
    ),
    (
        "FLW222",
        "documentation-only-anti-pattern",
        N,
        "A row of the Anti-Patterns table matches no lint rule: it is documentation only.",
    ),
    # Names and references.
    (
        "FLW401",
        "unknown-participant",
        E,
        "A name that should be a participant of the flow is not.",
    ),
    (
        "FLW402",
        "unknown-model",
        E,
        "A model named in a type or transformation is not declared.",
    ),
    (
        "FLW403",
        "python-keyword",
        E,
        "A name becomes a Python keyword or builtin constant after conversion.",
    ),
    (
        "FLW404",
        "name-clash",
        E,
        "Two names become the same Python name after case conversion.",
    ),
    (
        "FLW405",
        "bad-identifier",
        E,
        "A name cannot become a Python identifier (no letters; a package name not lowercase; or it would escape the output folder).",
    ),
    (
        "FLW406",
        "duplicate-name",
        E,
        "Two flows, models, sagas or services share a name.",
    ),
    ("FLW407", "duplicate-route", E, "Two HTTP triggers use the same method and path."),
    ("FLW408", "bad-route", E, "An HTTP request line is not METHOD /path."),
    (
        "FLW409",
        "orphan-reply",
        E,
        "A reply arrow answers no open call between the two participants.",
    ),
    (
        "FLW410",
        "trigger-mismatch",
        W,
        "The Trigger text and the diagram's first message disagree.",
    ),
    ("FLW411", "ambiguous-dto", E, "'DTO' could mean several declared DTOs."),
    (
        "FLW412",
        "bad-model-ref",
        E,
        "A transformation's Input or Output text names no model form.",
    ),
    ("FLW413", "too-deep-blocks", E, "Diagram blocks nested deeper than 32 levels."),
    ("FLW418", "empty-flow", W, "A flow's diagram has no messages."),
    (
        "FLW419",
        "scheduled-trigger",
        W,
        "A flow's Trigger names a schedule that cannot run as written (words, not cron; or no call a tick can make).",
    ),
    (
        "FLW420",
        "invisible-character",
        E,
        "A name holds a control character (NUL, tab, line break) or an invisible one (zero-width space, bidi control).",
    ),
    ("FLW421", "name-too-long", E, "A name is longer than 100 characters."),
    (
        "FLW422",
        "shadows-generated-code",
        E,
        "A model, service, operation or package name would shadow what the generated code uses.",
    ),
    (
        "FLW414",
        "external-handler",
        E,
        "An error's Handler is external or the bus; no code raises it.",
    ),
    (
        "FLW415",
        "no-response",
        W,
        "An HTTP-triggered flow never answers the client; 200 is assumed.",
    ),
    (
        "FLW416",
        "undeclared-event",
        W,
        "An event no model declares and no transformation produces: its payload is open.",
    ),
    (
        "FLW417",
        "field-mismatch",
        E,
        "A model field or JSON Schema is not usable (duplicate field, bad name).",
    ),
    (
        "FLW423",
        "unused-transformation",
        W,
        "A Data Transformations row that maps nothing the flow holds: no code is generated for it.",
    ),
    (
        "FLW430",
        "contradicting-error-rows",
        E,
        "One flow lists the same error twice with a different status, handler or recovery.",
    ),
    (
        "FLW431",
        "operation-returns-differ",
        E,
        "An operation called from several flows is drawn returning different models.",
    ),
    # Sagas and choreography.
    (
        "FLW501",
        "saga-cycle",
        E,
        "A compensation chain never ends (a compensation would appear twice).",
    ),
    (
        "FLW502",
        "saga-fork",
        E,
        "A compensation with two next compensations: the order is ambiguous.",
    ),
    ("FLW503", "saga-unreached", E, "A compensation node no failure edge reaches."),
    (
        "FLW504",
        "saga-not-nested",
        E,
        "A later step's chain does not end with an earlier step's chain.",
    ),
    (
        "FLW505",
        "saga-after-pivot",
        E,
        "A failure edge on a step after a retriable step.",
    ),
    ("FLW506", "saga-no-steps", E, "A saga's Happy Path has no steps."),
    (
        "FLW507",
        "saga-bad-edge",
        E,
        "A saga edge that is neither a step chain, a failure nor a compensation order.",
    ),
    (
        "FLW508",
        "route-not-via-bus",
        E,
        "A choreography edge that neither starts nor ends at the bus.",
    ),
    (
        "FLW509",
        "unknown-orchestrator",
        W,
        "A saga's orchestrator is no service of the spec set.",
    ),
    (
        "FLW510",
        "saga-plan",
        N,
        "How a saga runs: the flow that starts it (or its own start route), its workflow version and its state storage.",
    ),
    (
        "FLW511",
        "schedule-plan",
        N,
        "A flow that runs on a cron schedule: which operation each tick calls.",
    ),
    # Transformations and Schema.org.
    (
        "FLW601",
        "unknown-schemaorg-type",
        E,
        "A Schema.org type that the vocabulary does not have.",
    ),
    (
        "FLW602",
        "unknown-schemaorg-property",
        E,
        "A Schema.org property the type does not have.",
    ),
    (
        "FLW603",
        "schemaorg-range",
        E,
        "A value whose type the property's range excludes.",
    ),
    (
        "FLW604",
        "secret-mapped",
        W,
        "A secret field is named for a public output; it is dropped.",
    ),
    (
        "FLW605",
        "superseded-property",
        W,
        "A Schema.org property superseded by another.",
    ),
    (
        "FLW606",
        "unknown-step",
        E,
        "A transformation step is no participant of the flow.",
    ),
    # Lint: the Anti-Patterns table.
    (
        "FLW701",
        "chatty-services",
        W,
        "A flow makes more than N sync calls between the same two services.",
    ),
    (
        "FLW702",
        "distributed-transaction",
        W,
        "Two or more services change state in one flow with no saga.",
    ),
    ("FLW703", "sync-fire-and-forget", W, "A sync call whose reply nobody uses."),
    (
        "FLW704",
        "event-for-query",
        W,
        "An event that asks for data (Get/Fetch/Query names).",
    ),
    (
        "FLW705",
        "event-not-past-tense",
        W,
        "An event name that is not a fact in the past tense.",
    ),
    # Output.
    (
        "FLW801",
        "stub-out-of-date",
        E,
        "A person's implementation module no longer fits its generated base class: a method the spec now needs is missing, or its parameters or return annotation differ.",
    ),
    ("FLW802", "drift", E, "The generated tree differs from what the specs generate."),
    (
        "FLW803",
        "hand-edited",
        W,
        "A generated file was edited by hand; it was kept, not removed.",
    ),
    (
        "FLW804",
        "write-failed",
        E,
        "The output could not be written; the previous output is unchanged.",
    ),
    (
        "FLW805",
        "output-locked",
        E,
        "Another flowc run is writing the same output folder; this one wrote nothing.",
    ),
    (
        "FLW806",
        "interrupted-write",
        E,
        "A killed run left a journal or temporary files in the output folder; the next generate completes or removes them.",
    ),
    (
        "FLW807",
        "unlisted-file",
        W,
        "A file in the output folder that flowc did not write and no manifest lists; generate keeps it, check reports it as drift.",
    ),
    (
        "FLW808",
        "cannot-compare",
        E,
        "The output folder cannot be compared with the specs (a corrupt or unsafe manifest, an unreadable folder): exit 2.",
    ),
    (
        "FLW809",
        "version-drift",
        E,
        "The generated files differ and another flowc or black version wrote them: named once, not file by file.",
    ),
    (
        "FLW810",
        "export-failed",
        E,
        "`flowc export` could not build the document from the generated package (not generated yet, or its dependencies are missing).",
    ),
)

_BREAKING: tuple[tuple[str, str, Severity, str], ...] = (
    ("FLW901", "removed-route", E, "A route the old spec served is gone."),
    (
        "FLW902",
        "removed-event",
        E,
        "An event the old spec published is no longer published.",
    ),
    (
        "FLW903",
        "removed-field",
        E,
        "A field of a request body or event payload is removed or renamed.",
    ),
    (
        "FLW904",
        "retyped-field",
        E,
        "A field of a request body or event payload changes type.",
    ),
    (
        "FLW905",
        "field-made-required",
        E,
        "A field is made required, or a request body gains a required field.",
    ),
    (
        "FLW906",
        "changed-status",
        E,
        "A route's success status, or the status of one of its error rows, changes or goes.",
    ),
    (
        "FLW907",
        "removed-saga-step",
        E,
        "A saga step or compensation is removed.",
    ),
    (
        "FLW908",
        "removed-consumer",
        E,
        "A consumer is removed for an event that is still published.",
    ),
    (
        "FLW909",
        "saga-steps-changed",
        E,
        "A saga's steps change while instances of the old steps may be in flight.",
    ),
)

RULES: dict[str, Rule] = {
    code: Rule(code, name, severity, summary)
    for code, name, severity, summary in (*_TABLE, *_BREAKING)
}
LINT_RULES: dict[str, str] = {
    rule.name: rule.code for rule in RULES.values() if rule.code.startswith("FLW7")
}
LINTING: frozenset[str] = frozenset(LINT_RULES.values()) | {
    "FLW211",
    "FLW217",
    "FLW218",
    "FLW219",
    "FLW220",
    "FLW221",
    "FLW222",
}
BREAKING: frozenset[str] = frozenset(code for code, *_ in _BREAKING)
"""What ``flowc breaking`` reports, and what its exceptions may name."""
"""What ``flowc lint`` reports besides errors: the lint rules, and findings
about ignores and the Anti-Patterns table."""


def rule_code(written: str) -> str | None:
    """A rule's code from its code or name as a person writes it, else None."""
    code = written.strip().upper()
    if code in RULES:
        return code
    name = written.strip().lower()
    return next((rule.code for rule in RULES.values() if rule.name == name), None)


def report(code: str, message: str, location: Location, hint: str = "") -> Diagnostic:
    """A finding of rule ``code``, with the severity the registry gives that rule."""
    return Diagnostic(
        severity=RULES[code].severity,
        code=code,
        message=message,
        location=location,
        hint=hint,
    )


def is_input_error(code: str) -> bool:
    """Input problems (a missing path, an unreadable file, an output folder that
    cannot be compared) are I/O errors: exit 2."""
    return code in INPUT_ERRORS


INPUT_ERRORS = frozenset(
    {"FLW001", "FLW002", "FLW003", "FLW004", "FLW005", "FLW008", "FLW808"}
)


def _register_diagram_rules() -> None:
    """The Mermaid parsers declare their rules beside their code; list them here too."""
    from flowc.frontends.mermaid import flowchart_rules as flowchart
    from flowc.frontends.mermaid import sequence_rules as sequence

    for prefix, table, severities in (
        ("sequence", sequence.RULES, sequence.SEVERITIES),
        ("flowchart", flowchart.RULES, flowchart.SEVERITIES),
    ):
        for code, (name, summary) in sorted(table.items()):
            rule = Rule(code, f"{prefix}-{name}", Severity(severities[code]), summary)
            RULES.setdefault(code, rule)


_register_diagram_rules()
