"""``{glossary-terms}``: every term file as a glossary entry, A to Z.

Each term and alias becomes a real glossary term (Sphinx's
``make_glossary_term``), so ``{term}`` roles, the general index and the search
index work the standard way.  Each definition and its details are an entry
parsed from its term file on its own and stored (:mod:`glossary.entries`): the
page holds a placeholder for it, so reading the page again after one term file
changed parses that file only.
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from sphinx import addnodes
from sphinx.domains.std import make_glossary_term
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .domain import GlossaryDomain, glossary_domain
from .entries import EntryParser, replay_citations
from .files import Term
from .names import fold
from .nodes import entry_ref, filter_form

logger = logging.getLogger(__name__)


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
        # No dependency on the term files: the collector decides whether an edit
        # needs this page read again (its shape changed) or only entries parsed.
        domain.note_glossary_page(self.env.docname, self.config.glossary_categories)

        by_letter: dict[str, list[Term]] = {}
        for term in glossary:
            by_letter.setdefault(term.letter, []).append(term)
        letters = sorted(by_letter)
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
        parser = EntryParser(self.env, self.state.document)
        for letter in letters:
            group = nodes.container(
                classes=["glossary-letter"], ids=[f"glossary-letter-{letter.lower()}"]
            )
            group += nodes.rubric(letter, letter, classes=["glossary-letter-heading"])
            # One Sphinx glossary per letter, not per entry: 5,000 fewer nodes for
            # every transform to walk in a 5,000-term glossary (it writes no markup).
            entries = addnodes.glossary(sorted=False)
            for term in by_letter[letter]:
                entries += self.entry(domain, term, owners, parser)
            group += entries
            result.append(group)
        # With -v: what a rebuild cost, for a writer (and a test) to see.
        logger.verbose(
            "glossary: %d of %d entries parsed, the others as stored", parser.parsed, len(glossary)
        )
        return result

    def entry(
        self, domain: GlossaryDomain, term: Term, owners: dict[str, Term], parser: EntryParser
    ) -> nodes.Element:
        """One entry: its names as glossary terms, then its stored definition and details."""
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

        key = domain.entry_key(term)
        info = domain.fragments.get(key)
        if info is None or not domain.store.has(key):
            body, info = parser.parse(term)
            domain.keep_entry(key, body, info)
        else:
            replay_citations(self.env, info["citations"])
        domain.note_entry(term.term, anchors, info["text"], key)
        # The term only: the entry's key and text are the domain's, which a term
        # edit can update without this page being read again.
        item += entry_ref(term=term.term)

        return nodes.definition_list(
            "", item, classes=["glossary", "glossary-entry", category_class(term.category)]
        )
