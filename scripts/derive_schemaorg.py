"""Derive flowc's compact Schema.org table from the published JSON-LD vocabulary.

flowc ships only the facts its checks and code generation need (class hierarchy,
which properties each class declares, property ranges and supersessions), so the
table stays small and loads in milliseconds. Rerun this script for a new release:

    python scripts/derive_schemaorg.py NEW/schemaorg-current-https.jsonld --release 31.0

Only terms in the ``schema:`` namespace are kept; the file also declares classes and
properties of other vocabularies (FIBO, UN/CEFACT, GS1, ...) as equivalence targets,
and superclasses in those namespaces are dropped too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT.parent / "shared/schemaorg/schemaorg-current-https.jsonld"
DEFAULT_OUTPUT = REPO_ROOT / "src/flowc/schemaorg/vocabulary.json"
KNOWN_RELEASES = {
    "4467fa19edcb1d7fb3c46c0adf3591b7f870c4a60b7838bdb61694fd02864cf6": "30.0",
}
"""Releases recognised by file hash; the JSON-LD itself does not name its release."""
FORMAT_VERSION = 1
PREFIX = "schema:"

Node = Mapping[str, Any]
Table = dict[str, Any]


def _types(node: Node) -> list[str]:
    """A node's ``@type`` as a list; the file uses a bare string or a list."""
    value = node.get("@type", [])
    return [value] if isinstance(value, str) else list(value)


def _refs(node: Node, key: str) -> list[str]:
    """Local names of the schema: terms a node points to under ``key``, sorted.

    References outside the schema: namespace are dropped: flowc checks schema.org
    terms only.
    """
    value = node.get(key, [])
    items = [value] if isinstance(value, dict) else value
    ids = (item["@id"] for item in items)
    return sorted({ref[len(PREFIX) :] for ref in ids if ref.startswith(PREFIX)})


def _local(node: Node) -> str | None:
    """The local name of a schema: node, or None for other namespaces."""
    node_id = str(node["@id"])
    return node_id[len(PREFIX) :] if node_id.startswith(PREFIX) else None


def _superseded_by(node: Node) -> str | None:
    """The replacement term, if any; schema.org names at most one."""
    replacements = _refs(node, "schema:supersededBy")
    return replacements[0] if replacements else None


def _datatypes(
    classes: Mapping[str, Node], parents: Mapping[str, list[str]]
) -> set[str]:
    """schema:DataType, every class typed as one, and all of their subclasses.

    Text, Number, Date... are typed both rdfs:Class and schema:DataType, while URL,
    Integer, Float... are only subclasses of those, so both routes are needed.
    """
    roots = {"DataType"} | {
        name for name, node in classes.items() if "schema:DataType" in _types(node)
    }
    return {name for name in classes if _reaches(name, roots, parents)}


def _reaches(name: str, targets: set[str], parents: Mapping[str, list[str]]) -> bool:
    """Whether ``name`` is one of ``targets`` or inherits from one."""
    stack, seen = [name], set()
    while stack:
        current = stack.pop()
        if current in targets:
            return True
        if current not in seen:
            seen.add(current)
            stack.extend(parents.get(current, []))
    return False


def _class_entry(
    node: Node, parents: list[str], own: Iterable[str], datatype: bool
) -> dict[str, Any]:
    """One class row; false and empty fields are omitted to keep the table small."""
    entry: dict[str, Any] = {}
    if parents:
        entry["parents"] = parents
    own_sorted = sorted(own)
    if own_sorted:
        entry["properties"] = own_sorted
    if datatype:
        entry["datatype"] = True
    replacement = _superseded_by(node)
    if replacement:
        entry["superseded_by"] = replacement
    return entry


def _property_entry(node: Node) -> dict[str, Any]:
    """One property row; an absent superseded_by means the property is current."""
    entry: dict[str, Any] = {
        "domains": _refs(node, "schema:domainIncludes"),
        "ranges": _refs(node, "schema:rangeIncludes"),
    }
    replacement = _superseded_by(node)
    if replacement:
        entry["superseded_by"] = replacement
    return entry


def _collect(graph: Iterable[Node], kind: str) -> dict[str, Node]:
    """The schema: nodes of one RDF kind, keyed by local name."""
    found: dict[str, Node] = {}
    for node in graph:
        name = _local(node)
        if name is not None and kind in _types(node):
            found[name] = node
    return found


def derive(
    document: Mapping[str, Any], release: str, source_name: str, sha256: str
) -> Table:
    """Build the table from a parsed JSON-LD document."""
    graph: list[Node] = list(document["@graph"])
    classes = _collect(graph, "rdfs:Class")
    properties = _collect(graph, "rdf:Property")
    parents = {name: _refs(node, "rdfs:subClassOf") for name, node in classes.items()}
    datatypes = _datatypes(classes, parents)
    own: dict[str, list[str]] = defaultdict(list)
    for prop_name, node in properties.items():
        for domain in _refs(node, "schema:domainIncludes"):
            own[domain].append(prop_name)
    return {
        "classes": {
            name: _class_entry(node, parents[name], own[name], name in datatypes)
            for name, node in sorted(classes.items())
        },
        "format": FORMAT_VERSION,
        "properties": {
            name: _property_entry(node) for name, node in sorted(properties.items())
        },
        "release": release,
        "source": {"file": source_name, "sha256": sha256},
    }


def derive_file(source: Path, release: str | None = None) -> Table:
    """Read, hash and derive; ``release`` may be omitted only for a known file.

    Requiring it for an unknown file stops a new release being recorded as 30.0.
    """
    raw = source.read_bytes()
    sha256 = hashlib.sha256(raw).hexdigest()
    release = release or KNOWN_RELEASES.get(sha256)
    if release is None:
        raise ValueError(
            f"{source} (sha256 {sha256}) is not a known release; pass --release"
        )
    return derive(json.loads(raw), release, source.name, sha256)


def dangling(table: Table) -> list[str]:
    """Classes that are referenced but never defined (30.0: DeliveryTimeSettings).

    They are kept as written, since they are what schema.org publishes, and reported
    so a new release's oddities are noticed.
    """
    classes = table["classes"]
    referenced = {
        parent for row in classes.values() for parent in row.get("parents", [])
    }
    for row in table["properties"].values():
        referenced.update(row["domains"], row["ranges"])
    return sorted(referenced - set(classes))


def _compact(value: Any) -> str:
    """Minimal separators: the table ships in every install."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def _member(key: str, value: Any) -> str:
    """A top-level member; the two big sections get one row per line."""
    if key in ("classes", "properties") and value:
        rows = ",\n".join(
            f"{_compact(name)}:{_compact(value[name])}" for name in sorted(value)
        )
        return f"{_compact(key)}:{{\n{rows}\n}}"
    return f"{_compact(key)}:{_compact(value)}"


def render(table: Table) -> str:
    """Deterministic text, one class or property per line so release diffs read well."""
    members = ",\n".join(_member(key, table[key]) for key in sorted(table))
    return f"{{\n{members}\n}}\n"


def main(argv: list[str] | None = None) -> int:
    """Write the table, or with --check report whether the committed one is stale."""
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--release", help="schema.org release, e.g. 31.0")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    try:
        table = derive_file(args.source, args.release)
    except ValueError as exc:
        parser.error(str(exc))
    for name in dangling(table):
        print(f"note: {name} is referenced but not defined", file=sys.stderr)
    text = render(table)
    output: Path = args.output
    if args.check:
        current = output.read_text(encoding="utf-8") if output.exists() else ""
        if current != text:
            print(f"{output} is out of date; rerun without --check", file=sys.stderr)
            return 1
        return 0
    output.write_text(text, encoding="utf-8")
    size = len(text.encode("utf-8"))
    print(f"wrote {output} ({size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
