"""Markdown read as Markdown: the text a reader sees, with its headings and code blocks marked.

markdown-it-py (CommonMark; already installed with rich) parses the source; the rendered text keeps
one block per paragraph, blank-line separated, one line per list item, and leaves out the markup:
heading and list markers, emphasis, link targets, images, inline HTML. That rendered text is what
the article's offsets point into (as trafilatura's text is for a web page), so every claim's quote
is a span of it and carries no markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Markdown that plain text does not have: an ATX heading line, a link or image with its target,
# strong emphasis, a code fence. *Single* asterisks and list dashes are common in plain text.
SIGNALS = (
    re.compile(r"^#{1,6}[ \t]+\S[^\n]{0,150}$", re.MULTILINE),  # a heading is a short line
    re.compile(r"!?\[[^\]\n]{1,300}\]\((?:https?://|/|#|\.|mailto:)[^)\s]*(?:\s+\"[^\"\n]*\")?\)"),
    re.compile(r"(\*\*|__)(?=\S)[^*_\n]{1,200}(?<=\S)\1"),
    re.compile(r"^(```|~~~)", re.MULTILINE),
)


@dataclass
class Rendered:
    """Markdown as plain text; `marked` maps a line's start offset in `text` to its kind."""

    text: str
    title: str | None = None
    marked: dict[int, str] = field(default_factory=dict)


def looks_like_markdown(text: str) -> bool:
    """Whether plain text is written in Markdown: it has markup that plain text does not."""
    sample = text[:20_000]
    return any(pattern.search(sample) for pattern in SIGNALS)


def render(source: str) -> Rendered:
    """The text of a Markdown document: paragraphs and headings as blocks, markup left out."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(source)
    blocks: list[tuple[str, str, bool]] = []  # (kind, text, tight: joined to the previous by \n)
    title: str | None = None
    depth_items = 0
    for i, token in enumerate(tokens):
        if token.type == "list_item_open":
            depth_items += 1
        elif token.type == "list_item_close":
            depth_items -= 1
        elif token.type == "inline":
            parent = tokens[i - 1].type if i else ""
            line = _inline(token.children or [])
            if not line.strip():
                continue
            if parent == "heading_open":
                level = int(tokens[i - 1].tag[1:])
                kind = "headline" if title is None and level <= 2 else "heading"
                if kind == "headline":
                    title = line.strip()
                blocks.append((kind, line, False))
            else:
                in_item = depth_items > 0
                tight = in_item and bool(blocks) and blocks[-1][0] == "item"
                blocks.append(("item" if in_item else "paragraph", line, tight))
        elif token.type in ("fence", "code_block"):
            code = token.content.rstrip("\n")
            if code.strip():
                blocks.append(("code", code, False))
    parts: list[str] = []
    marked: dict[int, str] = {}
    offset = 0
    for n, (kind, text, tight) in enumerate(blocks):
        if n:
            sep = "\n" if tight else "\n\n"
            parts.append(sep)
            offset += len(sep)
        if kind in ("headline", "heading", "code"):
            line_start = offset
            for line in text.split("\n"):
                marked[line_start] = kind
                line_start += len(line) + 1
        parts.append(text)
        offset += len(text)
    return Rendered("".join(parts) + "\n" if parts else "", title, marked)


def _inline(children: list[Any]) -> str:
    """The text of a paragraph's inline tokens: words, code and link texts; no markup or images."""
    out: list[str] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return re.sub(r"[ \t]+", " ", "".join(out)).strip()
