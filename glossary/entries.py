"""Each entry read on its own, and kept: what makes a term-file edit cost one entry.

The glossary page's doctree holds, for each entry, its names (Sphinx glossary
terms) and an :class:`~glossary.nodes.entry_ref` placeholder; the entry's
definition and details are parsed from the term file in a document of their
own (:class:`EntryParser`), with the same transforms a page gets, and stored
on disk beside the doctrees under a key made of the file's digest and all that
parsing depends on (:func:`parse_context`).  Reading the glossary page again
then parses only the entries whose key is new; the others are taken as they
are (:class:`EntryStore`), their citations noted again for sphinxcontrib-bibtex
(:func:`replay_citations`).

Each entry's ids carry a prefix made from its file's name, so an entry parses
to the same nodes whether it is parsed alone or with all the others: a rebuild
gives the bytes of a cold build.
"""

from __future__ import annotations

import hashlib
import pickle
import types
from copy import copy
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypedDict

import docutils
import sphinx
from docutils import nodes
from docutils.parsers.rst import roles
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.transforms import DoctreeReadEvent, SphinxTransformer
from sphinx.transforms.references import SphinxDomains
from sphinx.util import logging
from sphinx.util.docutils import LoggingReporter

from .files import Term, quote, source_lines
from .markup import RAW_HTML_HINT, is_comment, role_targets
from .names import fold
from .nodes import definition_text, plain_definition, used_in

logger = logging.getLogger(__name__)

#: Under the doctree folder: one pickled entry per key.
STORE_DIR = "glossary-entries"
#: Bumped when what a stored entry holds changes: every key changes with it.
FORMAT = "1"

#: Transforms a page gets that an entry must not: they would act for the whole
#: glossary page (emit ``doctree-read``, let every domain collect it as that page).
PAGE_ONLY = (DoctreeReadEvent, SphinxDomains)


class EntryInfo(TypedDict):
    """What the build keeps of one parsed entry, with the environment."""

    text: str  # the plain definition: the filter, the search, the previews
    xrefs: list[tuple[str, str, str]]  # (domain, type, target) of each link
    citations: list[tuple[str, int | None, Any]]  # sphinxcontrib-bibtex's refs: id, line, keys


def digest(*parts: object) -> str:
    """A short digest of *parts* (their repr, which the callers keep stable)."""
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def stable(value: object) -> str:
    """*value* as text that is the same in every run (sets and dicts in sorted order).

    ``repr`` of a set follows the run's string hashing; of a function, its address.
    """
    if isinstance(value, dict):
        return "{" + ", ".join(sorted(f"{stable(k)}: {stable(v)}" for k, v in value.items())) + "}"
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(map(stable, value))) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(map(stable, value)) + "]"
    if isinstance(value, type | types.FunctionType):
        return f"{value.__module__}.{value.__qualname__}"
    return repr(value)


def parse_context(app: Sphinx) -> str:
    """A digest of everything besides the term file that parsing an entry depends on.

    The settings that make Sphinx read every page again (``env``), the
    extensions and the versions of Sphinx, docutils and this format.
    """
    settings = sorted(
        (item.name, stable(item.value)) for item in app.config if item.rebuild == "env"
    )
    extensions = sorted(
        (name, str(extension.version)) for name, extension in app.extensions.items()
    )
    return digest(FORMAT, sphinx.__version__, docutils.__version__, settings, extensions)


def entry_key(context: str, file_digest: bytes, path: Path) -> str:
    """The key an entry is stored under: its file's name and bytes, and the context."""
    return digest(context, file_digest, path.name)


def id_prefix(term: Term) -> str:
    """The prefix of every id made inside an entry: unique to its file, never to order."""
    return f"glossary-{nodes.make_id(term.slug) or 'entry'}-"


class EntryStore:
    """Parsed entries on disk, one file per key, beside the doctrees."""

    def __init__(self, doctreedir: Path) -> None:
        self.folder = doctreedir / STORE_DIR
        self.fresh: dict[str, nodes.Element] = {}  # parsed by this process, this build

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def has(self, key: str) -> bool:
        return key in self.fresh or self.path(key).is_file()

    def save(self, key: str, body: nodes.Element) -> None:
        self.fresh[key] = body
        self.folder.mkdir(parents=True, exist_ok=True)
        part = self.path(key).with_suffix(f".{id(body)}.part")
        with part.open("wb") as file:
            pickle.dump(body, file, pickle.HIGHEST_PROTOCOL)
        part.replace(self.path(key))  # whole or not at all, also beside a parallel reader

    def load(self, key: str) -> nodes.Element | None:
        """A copy of the stored entry, for one doctree to take (None if it cannot be read)."""
        if key in self.fresh:
            return self.fresh[key].deepcopy()
        try:
            with self.path(key).open("rb") as file:
                body = pickle.load(file)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            return None  # a damaged doctree folder: the caller parses the entry again
        return body if isinstance(body, nodes.Element) else None

    def prune(self, keep: set[str]) -> None:
        """Remove the entries no key of the last reading names."""
        if not self.folder.is_dir():
            return
        for path in self.folder.iterdir():
            if path.suffix == ".pickle" and path.stem not in keep:
                path.unlink(missing_ok=True)


def detach(children: list[nodes.Node]) -> nodes.container:
    """*children* in a container of their own, free of the document they were parsed in."""
    body = nodes.container()
    for child in children:
        child.parent = None
        body += child
    for node in body.findall():
        node.document = None  # type: ignore[assignment]  # else pickling one entry would pickle its document and env
    return body


def bibtex_domain(env: BuildEnvironment) -> Any:
    """sphinxcontrib-bibtex's domain, if it is in the build (else None)."""
    return env.domains.get("cite") if hasattr(env.domains, "get") else None


def citation_refs(env: BuildEnvironment) -> list[Any] | None:
    """sphinxcontrib-bibtex's list of citation references, if it is in the build."""
    refs = getattr(bibtex_domain(env), "citation_refs", None)
    return refs if isinstance(refs, list) else None


def replay_citations(env: BuildEnvironment, citations: list[tuple[str, int | None, Any]]) -> None:
    """Note a stored entry's citations again, as its ``{cite}`` roles did when parsed.

    sphinxcontrib-bibtex lists the sources a page cites from the roles it
    parses (the bibliography then shows them); a stored entry is not parsed.
    """
    refs = citation_refs(env)
    if refs is None or not citations:
        return
    from sphinxcontrib.bibtex.roles import CitationRef

    docname = env.current_document.docname
    for ref_id, line, targets in citations:
        refs.append(
            CitationRef(citation_ref_id=ref_id, docname=docname, line=line or 0, targets=targets)
        )


def _renderer_class(base: type[Any]) -> type[Any]:
    """MyST's renderer, set up for a document it is given without making one first.

    MyST 5.2's ``setup_render`` evaluates ``options.get("document", make_document())``:
    a new document and its default settings for every render, about 2 ms, which
    for 5,000 entries was a tenth of a cold build.
    """
    from myst_parser.mdit_to_docutils import base as myst_base

    class EntryRenderer(base):  # type: ignore[misc]
        def setup_render(self, options: dict[str, Any], env: Any) -> None:
            make_document = myst_base.make_document
            myst_base.make_document = _given_document  # type: ignore[assignment]
            try:
                super().setup_render(options, env)
            finally:
                myst_base.make_document = make_document

    return EntryRenderer


def _given_document(*args: object, **kwargs: object) -> None:
    """Stands in for MyST's ``make_document`` while a document is given."""


class EntryParser:
    """Parses term files into entries for one reading of the glossary page."""

    def __init__(self, env: BuildEnvironment, page: nodes.document) -> None:
        from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
        from myst_parser.parsers.mdit import create_md_parser
        from myst_parser.parsers.sphinx_ import MystParser

        self.env = env
        self.page = page
        self.parsed = 0
        self.markdown = create_md_parser(env.myst_config, _renderer_class(SphinxRenderer))  # type: ignore[attr-defined]
        registered = [*env._registry.get_transforms(), *MystParser().get_transforms()]  # type: ignore[no-untyped-call]
        from sphinx.util.docutils import _READER_TRANSFORMS

        self.transforms = [t for t in [*_READER_TRANSFORMS, *registered] if t not in PAGE_ONLY]

    def parse(self, term: Term) -> tuple[nodes.container, EntryInfo]:
        """The entry's definition and details, transformed, and what the build keeps of it."""
        self.parsed += 1
        source = str(term.path)
        settings = copy(self.page.settings)
        settings.id_prefix = id_prefix(term)
        reporter = LoggingReporter(
            source,
            settings.report_level,
            settings.halt_level,
            settings.debug,
            settings.error_encoding_error_handler,
        )

        def source_and_line(line: int | None = None) -> tuple[str, int | None]:
            return source, line

        reporter.get_source_and_line = source_and_line
        document = nodes.document(settings, reporter, source=source)
        document.note_source(source, -1)
        refs = citation_refs(self.env)
        before = len(refs) if refs is not None else 0
        # MyST names the page being read (the glossary page) in what it reports:
        # what parsing logs is held back and logged again at the term file.
        with logging.suppress_logging() as held:
            text = definition_text(term=term.term, category=term.category)
            try:
                # Blank lines first: MyST then counts lines as the term file does.
                padding = "\n" * (term.body_line - 1)
                self.markdown.options["document"] = document
                self.markdown.render(padding + "\n".join(source_lines(term.body)))
                text.extend(list(document.children))
                document.clear()
                _drop_raw_html(text, term)
                _locate_roles(text, term)
                text["text"] = plain_definition(text)
                document += text
                document += self.details(term, document)
                document.transformer = transformer = SphinxTransformer(document)
                transformer.set_environment(self.env)
                transformer.add_transforms(self.transforms)
                transformer.apply_transforms()
            except Exception as error:
                # A term file is data from a pull request: whatever MyST or docutils
                # cannot digest in it stops the build at the file, not with a traceback.
                document.clear()
                text = definition_text(term=term.term, category=term.category, text="")
                document += text
                logger.error(
                    "cannot read the definition (%s: %s)",
                    type(error).__name__,
                    str(error)[:120],
                    location=f"{source}:{term.body_line}",
                    type="glossary",
                    subtype="term-file",
                )
        for record in held.clear():
            location = getattr(record, "location", None)
            if isinstance(location, tuple):
                record.location = f"{source}:{location[1]}" if location[1] else source
            logging.getLogger(__name__).logger.handle(record)
        new = refs[before:] if refs is not None else []
        info: EntryInfo = {
            "text": text.get("text", ""),
            "xrefs": [
                (xref.get("refdomain", ""), xref.get("reftype", ""), xref.get("reftarget", ""))
                for xref in document.findall(addnodes.pending_xref)
            ],
            "citations": [(ref.citation_ref_id, ref.line, ref.targets) for ref in new],
        }
        return detach(list(document.children)), info

    def details(self, term: Term, document: nodes.document) -> nodes.field_list:
        """Category, see-also, sources and the "Used in" placeholder, as a field list.

        The fields hold their links and words directly, with no ``inline``
        around each: on the glossary page those were 800 empty ``<span>``
        elements, a tenth of the page's, for the browser to style and lay out.
        """
        fields = nodes.field_list(classes=["glossary-details"])
        inliner = SimpleNamespace(document=document, reporter=document.reporter, parent=fields)

        def role(name: str, text: str, line: int) -> list[nodes.Node]:
            language: Any = self.page.settings.language_code
            found, messages = roles.role(name, language, line, document.reporter)
            if found is None:
                raise ValueError(f'unknown interpreted text role "{name}"')
            made, more = found(name, f":{name}:`{text}`", text, line, inliner, {}, [])  # type: ignore[arg-type]
            return [*made, *messages, *more]

        def add(name: str, body: list[nodes.Node], line: int, *classes: str) -> nodes.paragraph:
            paragraph = nodes.paragraph("", "", *body)
            field = nodes.field(
                "", nodes.field_name("", name), nodes.field_body("", paragraph), classes=[*classes]
            )
            for node in field.findall(nodes.Element):
                node.source, node.line = str(term.path), node.line or line
            fields.append(field)
            return paragraph

        add("Category", [nodes.Text(term.category)], term.lines.get("category", 1))
        links = add("See also", [], term.lines.get("see_also", 1))
        for index, name in enumerate(term.see_also):
            if index:
                links += nodes.Text(", ")
            links.extend(role("term", name, term.item_line("see_also", index)))
        line = term.lines.get("sources", 1)
        add("Sources", role("cite:p", ",".join(term.sources), line), line)
        add("Used in", [used_in(term=term.term)], term.lines.get("term", 1), "glossary-used-in")
        return fields


def _line_of(term: Term, text: str, start: int | None) -> int | None:
    """The term file's first line from *start* on that holds *text* (else *start*)."""
    lines = source_lines(term.body)
    first = max((start or term.body_line) - term.body_line, 0)
    found = (i for i in range(first, len(lines)) if text and text in lines[i])
    index = next(found, None)
    return start if index is None else term.body_line + index


def _drop_raw_html(text: nodes.Element, term: Term) -> None:
    """Report and drop raw HTML, which a term file may not carry (comments silently)."""
    for raw in list(text.findall(nodes.raw)):
        if not is_comment(raw.astext()):
            # Markdown gives inline HTML its paragraph's line: find its own.
            raw.line = _line_of(term, raw.astext().strip().split("\n")[0], raw.line)
            logger.error(
                "raw HTML in the definition: %s\n    hint: %s",
                quote(raw.astext().strip()),
                RAW_HTML_HINT,
                location=f"{term.path}:{raw.line}",
                type="glossary",
                subtype="raw-html",
            )
        raw.parent.remove(raw)


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
