"""What a definition's Markdown holds, read without Sphinx: raw HTML, text, roles.

A term file is data sent in pull requests, and its definition is published on
every page that previews it: raw HTML in it (``<img onerror=...>``) would run
in readers' browsers.  The Sphinx build refuses every raw node it parses from a
definition (:mod:`glossary.directive`); this module gives the command line
(``python -m glossary check``) the same verdict from the source, with
markdown-it-py (the parser MyST is built on) and the MyST syntax the site
enables that changes where HTML can be (dollar math, colon fences).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.colon_fence import colon_fence_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin

from .text import tex_to_text, tidy

#: What a writer is told to use instead of raw HTML.
RAW_HTML_HINT = (
    "term files are data: write Markdown, a role or a directive instead "
    "(show markup as code, in backticks)"
)


@cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").use(dollarmath_plugin).use(colon_fence_plugin)


def is_comment(html: str) -> bool:
    """Whether *html* is one HTML comment and nothing else (a writer's note, never shown).

    CommonMark ends a comment block at the end of the line holding ``-->``, so
    ``<!-- x --><img ...>`` is one block that starts like a comment: only text
    whose one comment closes at its very end, as browsers read comments
    (``--!>`` closes one too, ``<!-->`` is one already), counts.
    """
    text = html.strip()
    if not (text.startswith("<!--") and text.endswith("-->")) or len(text) < 7:
        return False
    inner = text[4:-3]
    return not inner.startswith((">", "->")) and "-->" not in inner and "--!>" not in inner


def raw_html(body: str) -> Iterator[tuple[int, str]]:
    """Each piece of raw HTML in *body* (comments aside): its 0-based line and its text."""
    for token in _parser().parse(body):
        if token.type == "html_block" and not is_comment(token.content):
            yield (token.map[0] if token.map else 0), token.content.strip()
        elif token.type == "inline" and token.children:
            line = token.map[0] if token.map else 0
            for child in token.children:
                if child.type in {"softbreak", "hardbreak"}:
                    line += 1
                elif child.type == "html_inline" and not is_comment(child.content):
                    yield line, child.content


def has_text(body: str) -> bool:
    """Whether *body* shows a reader anything: HTML comments alone do not."""
    return any(_shows(token) for token in _parser().parse(body))


def _shows(token: Token) -> bool:
    if token.type == "html_block":
        return not is_comment(token.content)
    if token.type == "inline":
        return any(
            child.type != "html_inline" or not is_comment(child.content)
            for child in token.children or []
            if child.type not in {"softbreak", "hardbreak"}
            and (child.type != "text" or child.content.strip())
        )
    return token.type in {"fence", "code_block", "math_block", "hr"}


# -- Roles and visible text, read from the source ---------------------------------

# A MyST role as written in a definition: {name}`text` or {name}`text <target>`.
_ROLE = re.compile(r"\{(?P<name>[a-z:]+)\}`(?P<content>[^`]*)`")


_EXPLICIT_TARGET = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.DOTALL)


_MATH = re.compile(r"\$([^$]+)\$")


_CODE = re.compile(r"`([^`]+)`")


def markup_to_text(body: str) -> str:
    """Reduce MyST inline markup to its visible text, math to readable text without TeX."""

    def role(match: re.Match[str]) -> str:
        name, content = match["name"], match["content"]
        if name.startswith("cite"):
            return ""
        explicit = _EXPLICIT_TARGET.match(content)
        return explicit["text"] if explicit else content

    text = _ROLE.sub(role, body)
    text = _MATH.sub(lambda match: tex_to_text(match[1]), text)
    text = _CODE.sub(r"\1", text)
    text = re.sub(r"[*_]{1,2}([^*_]+)[*_]{1,2}", r"\1", text)
    return tidy(text)


def role_targets(body: str, role: str) -> Iterator[tuple[str, int]]:
    """Yield each target of ``{role}`` in a definition, with its 0-based line offset."""
    for match in _ROLE.finditer(body):
        if match["name"] != role:
            continue
        content = match["content"]
        explicit = _EXPLICIT_TARGET.match(content)
        target = explicit["target"] if explicit else content
        offset = body.count("\n", 0, match.start())
        if role.startswith("cite"):
            for key in target.split(","):
                yield key.strip(), offset
        else:
            yield " ".join(target.split()), offset
