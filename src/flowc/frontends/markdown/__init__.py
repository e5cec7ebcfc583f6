"""The Markdown frontend: Integration Patterns documents -> IR documents."""

from flowc.frontends.markdown.reader import read_markdown

__all__ = ["read_markdown"]
