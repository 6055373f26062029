"""``{glossary-terms}``: every term file as a glossary entry, A to Z.

Each term and alias becomes a real glossary term (Sphinx's
``make_glossary_term``), so ``{term}`` roles, the general index and the search
index work the standard way.  Each definition is parsed at its term file's own
lines, every message about it names the term file, and raw HTML is refused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import roles
from docutils.statemachine import StringList
from sphinx import addnodes
from sphinx.domains.std import make_glossary_term
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .domain import GlossaryDomain, glossary_domain
from .files import Term, quote, source_lines
from .markup import RAW_HTML_HINT, is_comment, role_targets
from .names import fold
from .nodes import definition_text, filter_form, used_in
from .text import tex_to_text, tidy

logger = logging.getLogger(__name__)


def _skipped(node: nodes.Node) -> bool:
    """Citations, footnote marks and error messages are no part of the text."""
    if isinstance(node, addnodes.pending_xref):
        return bool(node.get("refdomain") == "cite")
    return isinstance(node, nodes.footnote_reference | nodes.system_message)


def readable_text(roots: Iterable[nodes.Node], skip: Callable[[nodes.Node], bool]) -> str:
    """What a reader reads of *roots*: math as text without TeX, what *skip* names left out.

    The glossary's plain definitions and the site search's sections are both read so.
    """
    parts: list[str] = []

    def visit(current: nodes.Node) -> None:
        if isinstance(current, nodes.Text):
            parts.append(current.astext())
        elif isinstance(current, nodes.math | nodes.math_block):
            parts.append(tex_to_text(current.astext()))
        elif not skip(current):
            for child in current.children:
                visit(child)
            if not isinstance(current, nodes.Inline):
                parts.append(" ")  # between paragraphs

    for root in roots:
        visit(root)
    return tidy("".join(parts))


def plain_text(node: nodes.Node) -> str:
    """What a reader reads of a definition: citations, footnote marks and errors left out."""
    return readable_text([node], _skipped)


def _relocate(node: nodes.Element, path: Path, first_line: int) -> None:
    """Point every node parsed from a term file back at that file and line.

    The definition is parsed inside the glossary page, so docutils records that
    page as the source; warnings about it (an unknown term, a missing citation)
    must name the term file a writer has to edit.  *first_line* is the file's
    line of the first parsed line.
    """
    found = [child.line for child in node.findall(nodes.Element) if child.line is not None]
    base = min(found, default=0)
    for child in node.findall(nodes.Element):
        child.source = str(path)
        child.line = first_line + ((child.line if child.line is not None else base) - base)


def _render_at(renderer: Any, term: Term, parent: nodes.Element) -> None:
    """MyST's nested render of *term*'s body into *parent*, at the term file's lines.

    The same steps as MyST's ``{include}`` (``myst_parser.mocking``): the
    document's and the reporter's source name the term file while it renders.
    """
    document, reporter, source = renderer.document, renderer.reporter, str(term.path)
    saved = document["source"], reporter.source, reporter.get_source_and_line
    try:
        document["source"] = reporter.source = source
        reporter.get_source_and_line = lambda line=None: (source, line)
        with renderer.current_node_context(parent):
            # MyST counts the first line of the text as line 0 + this offset.
            renderer.nested_render_text("\n".join(source_lines(term.body)), term.body_line - 1)
    finally:
        document["source"], reporter.source, reporter.get_source_and_line = saved


def _line_of(term: Term, text: str, start: int | None) -> int | None:
    """The term file's first line from *start* on that holds *text* (else *start*)."""
    lines = source_lines(term.body)
    first = max((start or term.body_line) - term.body_line, 0)
    found = (i for i in range(first, len(lines)) if text and text in lines[i])
    index = next(found, None)
    return start if index is None else term.body_line + index


def _locate_roles(definition: nodes.Element, term: Term) -> None:
    """Give each ``{term}`` link its own line: Markdown gives only the paragraph's."""
    written = iter(role_targets(term.body, "term"))
    for xref in definition.findall(addnodes.pending_xref):
        if xref.get("reftype") != "term":
            continue
        target = " ".join(xref["reftarget"].split())
        for name, offset in written:
            if fold(name) == fold(target):
                xref.line = term.body_line + offset
                break


def category_class(category: str) -> str:
    return "glossary-cat-" + "-".join(category.split())


class GlossaryTermsDirective(SphinxDirective):
    """``{glossary-terms}``: every term file as a glossary entry, A to Z."""

    has_content = False
    option_spec: ClassVar[dict[str, Any]] = {}

    def run(self) -> list[nodes.Node]:
        domain = glossary_domain(self.env)
        if domain.docname not in (None, self.env.docname):
            logger.warning(
                "the glossary is already on page %r; a site has one {glossary-terms}",
                domain.docname,
                location=self.get_location(),
                type="glossary",
                subtype="duplicate",
            )
            return []
        glossary = domain.glossary
        domain.note_glossary_page(self.env.docname)
        for term in glossary:
            self.env.note_dependency(str(term.path))

        letters = sorted({term.letter for term in glossary})
        jump_bar = nodes.paragraph(classes=["glossary-jump-bar"])
        for index, letter in enumerate(letters):
            if index:
                jump_bar += nodes.Text(" ")
            jump_bar += nodes.reference("", letter, refid=f"glossary-letter-{letter.lower()}")
        used = {term.category for term in glossary}
        categories = [name for name in self.config.glossary_categories if name in used]
        form = filter_form(categories=categories, total=len(glossary))
        only_html = addnodes.only(expr="html")
        only_html += jump_bar
        result: list[nodes.Node] = [form, only_html]

        owners = glossary.by_name()
        for letter in letters:
            group = nodes.container(
                classes=["glossary-letter"], ids=[f"glossary-letter-{letter.lower()}"]
            )
            group += nodes.rubric(letter, letter, classes=["glossary-letter-heading"])
            for term in glossary:
                if term.letter == letter:
                    group += self.entry(domain, term, owners)
            result.append(group)
        return result

    def entry(self, domain: GlossaryDomain, term: Term, owners: dict[str, Term]) -> nodes.Element:
        """One entry: its names as glossary terms, the definition, then its details."""
        item = nodes.definition_list_item()
        anchors: list[tuple[str, str]] = []
        for name in term.names:
            if owners[fold(name)] is not term:
                continue  # the loader has reported the clash; the first owner keeps it
            node = make_glossary_term(
                self.env,
                [nodes.Text(name)],
                term.letter,
                str(term.path),
                term.lines.get("term", 1),
                None,
                self.state.document,
            )
            if name != term.term:
                node["classes"].append("glossary-alias")
            anchors.append((name, node["ids"][0]))
            item += node

        text = definition_text(term=term.term)
        self.parse_definition(term, text)
        _locate_roles(text, term)
        text["category"], text["text"] = term.category, plain_text(text)
        domain.note_entry(term.term, anchors, text["text"])
        item += nodes.definition("", text, self.details(term))

        entry = addnodes.glossary(sorted=False)
        entry += nodes.definition_list(
            "", item, classes=["glossary", "glossary-entry", category_class(term.category)]
        )
        return entry

    def parse_definition(self, term: Term, text: definition_text) -> None:
        """Parse *term*'s definition into *text*, every message at the term file's own line.

        The definition is parsed inside the glossary page, so docutils and MyST
        would name that page, at the directive's line, in what they report (an
        unknown directive, a failing include).  The parse is MyST's own nested
        render at the term file's line numbers (as MyST's ``{include}`` does for
        an included file); what it logs is held back and logged again naming
        the term file.  Raw HTML, which a term file may not carry, is reported
        and dropped (comments silently: they are the writer's notes).
        """
        renderer = getattr(self.state, "_renderer", None)
        source = str(term.path)
        with logging.suppress_logging() as held:
            try:
                if renderer is None:  # not a MyST page: docutils' own nested parse
                    lines = StringList(source_lines(term.body), source)
                    self.state.nested_parse(lines, 0, text)
                else:
                    _render_at(renderer, term, text)
            except Exception as error:
                # A term file is data from a pull request: whatever MyST or docutils
                # cannot digest in it stops the build at the file, not with a traceback.
                text.clear()
                logger.error(
                    "cannot read the definition (%s: %s)",
                    type(error).__name__,
                    str(error)[:120],
                    location=f"{source}:{term.body_line}",
                    type="glossary",
                    subtype="term-file",
                )
        for node in text.findall(nodes.Element):
            node.source = source
            if node.line is None:  # an inline node: its paragraph's line
                parent = node.parent
                node.line = parent.line if parent is not None else term.body_line
        for record in held.clear():
            location = getattr(record, "location", None)
            if isinstance(location, tuple):
                record.location = f"{source}:{location[1]}" if location[1] else source
            logging.getLogger(__name__).logger.handle(record)
        for raw in list(text.findall(nodes.raw)):
            if not is_comment(raw.astext()):
                # Markdown gives inline HTML its paragraph's line: find its own.
                raw.line = _line_of(term, raw.astext().strip().split("\n")[0], raw.line)
                logger.error(
                    "raw HTML in the definition: %s\n    hint: %s",
                    quote(raw.astext().strip()),
                    RAW_HTML_HINT,
                    location=raw,
                    type="glossary",
                    subtype="raw-html",
                )
            raw.parent.remove(raw)

    def details(self, term: Term) -> nodes.field_list:
        """Category, see-also, sources and the "Used in" placeholder, as a field list.

        The fields hold their links and words directly, with no ``inline``
        around each: on the glossary page those were 800 empty ``<span>``
        elements, a tenth of the page's, for the browser to style and lay out.
        """
        fields = nodes.field_list(classes=["glossary-details"])

        def add(name: str, body: list[nodes.Node], line: int, *classes: str) -> nodes.paragraph:
            paragraph = nodes.paragraph("", "", *body)
            field = nodes.field(
                "", nodes.field_name("", name), nodes.field_body("", paragraph), classes=[*classes]
            )
            _relocate(field, term.path, line)
            fields.append(field)
            return paragraph

        add("Category", [nodes.Text(term.category)], term.lines.get("category", 1))
        links = add("See also", [], term.lines.get("see_also", 1))
        for index, name in enumerate(term.see_also):
            if index:
                links += nodes.Text(", ")
            for node in self.role("term", name):
                if isinstance(node, nodes.Element):  # each link at its own line of the list
                    _relocate(node, term.path, term.item_line("see_also", index))
                links += node
        sources = self.role("cite:p", ",".join(term.sources))
        add("Sources", sources, term.lines.get("sources", 1))
        add("Used in", [used_in(term=term.term)], term.lines.get("term", 1), "glossary-used-in")
        return fields

    def role(self, name: str, text: str) -> list[nodes.Node]:
        """The nodes of ``{name}`text``` as MyST makes them, without parsing Markdown.

        About 250 inline parses otherwise (one per see-also link and sources
        field), a quarter of reading the glossary page.
        """
        language: Any = self.state_machine.language
        found, messages = roles.role(name, language, self.lineno, self.state.reporter)
        if found is None:
            raise self.error(f'Unknown interpreted text role "{name}".')
        rawtext = f":{name}:`{text}`"
        made, more = found(name, rawtext, text, self.lineno, self.state.inliner, {}, [])
        return [*made, *messages, *more]
