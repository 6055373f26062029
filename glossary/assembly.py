"""Putting the glossary page together from its stored entries, and keeping their HTML.

When a page's doctree is resolved, :class:`ExpandEntries` replaces each
:class:`~glossary.nodes.entry_ref` with the stored entry (:mod:`glossary.entries`):
for the books as it is; for HTML, with the entry's HTML as last rendered when
nothing it depends on has changed (:func:`html_keys`), else with the entry,
which :func:`render_entries` renders, all together, once the page is resolved.
The rendered HTML is kept per entry in one file per builder beside the
doctrees (:class:`HtmlCache`), so writing the glossary page again costs the
entries that changed plus putting the page together.
"""

from __future__ import annotations

import pickle
from pathlib import Path
from typing import Any, NamedTuple, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment import BuildEnvironment
from sphinx.transforms.post_transforms import SphinxPostTransform

from .collector import parse_again
from .domain import GlossaryDomain, glossary_domain
from .entries import digest
from .nodes import definition_text, entry_html, entry_ref, entry_render, rendered_part
from .shared import HTML_BUILDERS


class Rendered(NamedTuple):
    """One entry as rendered: on its page, for ``glossary.json``, and the terms it links."""

    page: str
    data: str
    anchors: tuple[str, ...]


class HtmlCache:
    """Each entry's HTML under the key of what it was rendered from, for one builder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, Rendered] = {}
        self.used: set[str] = set()
        self.changed = False
        try:
            with path.open("rb") as file:
                loaded = pickle.load(file)
            if isinstance(loaded, dict):
                self.entries = loaded
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError):
            pass  # none yet, or unreadable: every entry is rendered again

    def get(self, key: str) -> Rendered | None:
        self.used.add(key)
        return self.entries.get(key)

    def put(self, key: str, rendered: Rendered) -> None:
        self.used.add(key)
        self.entries[key] = rendered
        self.changed = True

    def save(self) -> None:
        """Keep what this build used (if it put the page together), written whole."""
        if self.used and self.entries.keys() - self.used:
            self.entries = {key: self.entries[key] for key in self.used if key in self.entries}
            self.changed = True
        if not self.changed:
            return
        part = self.path.with_suffix(".part")
        with part.open("wb") as file:
            pickle.dump(self.entries, file, pickle.HIGHEST_PROTOCOL)
        part.replace(self.path)
        self.changed = False


def html_cache(domain: GlossaryDomain, builder: Builder) -> HtmlCache:
    """The builder's cache of rendered entries, read once per build."""
    cache = getattr(domain, "html_cache", None)
    if not isinstance(cache, HtmlCache):
        cache = HtmlCache(Path(domain.env.doctreedir) / f"glossary-html-{builder.name}.pickle")
        domain.html_cache = cache  # type: ignore[attr-defined]
    return cache


def _resolver(env: BuildEnvironment) -> Any:
    """What a link from an entry resolves to, for the links whose targets are known here.

    Returns a function of (domain, type, target) giving a value that changes
    whenever the link's rendering would, or None for a link of another kind
    (an entry with such a link is rendered again in every build).
    """
    std = env.domains.standard_domain
    objects, terms, labels = std.objects, std.data.get("terms", {}), std.labels
    titles = env.titles
    # As the collector last noted them, before any page is written (rewrite_citing).
    citations = digest(sorted((glossary_domain(env).data.get("citations_shown") or {}).items()))

    def resolve(domain: str, kind: str, target: str) -> object:
        if (domain, kind) == ("std", "term"):
            return (objects.get(("term", target)), terms.get(target.lower()))
        if domain == "cite":
            return citations
        if (domain, kind) == ("std", "ref"):
            found = labels.get(target.lower())
            title = titles[found[0]].astext() if found and found[0] in titles else None
            return (found, title)
        return None

    return resolve


def html_keys(env: BuildEnvironment, builder: Builder, docname: str) -> dict[str, str | None]:
    """Term -> the key of its HTML: all that rendering the entry on *docname* depends on.

    The stored entry's key (its file and the parse), what its links resolve
    to, the pages its "Used in" names and their titles, the page it is on and
    the builder's settings (Sphinx's own digest of its HTML settings).
    """
    domain = glossary_domain(env)
    build_info = getattr(builder, "build_info", None)
    settings = (build_info.config_hash, build_info.tags_hash) if build_info is not None else None
    base = digest(builder.name, docname, builder.get_target_uri(docname), settings)
    uses = domain.uses_shown()
    resolve = _resolver(env)
    keys: dict[str, str | None] = {}
    for term, entry in domain.entries.items():
        info = domain.fragments.get(entry["key"])
        if info is None:
            keys[term] = None
            continue
        targets = [resolve(*xref) for xref in info["xrefs"]]
        cacheable = all(target is not None for target in targets)
        parts = (base, entry["key"], entry["anchors"], uses.get(term), targets)
        keys[term] = digest(*parts) if cacheable else None
    return keys


class ExpandEntries(SphinxPostTransform):
    """Put each stored entry in the page being resolved (HTML: its kept HTML if current).

    First of the glossary's post-transforms: "Used in" is filled, the books'
    details are set, and links resolve in the entries as anywhere else.
    """

    default_priority = 1

    def run(self, **kwargs: Any) -> None:
        refs = list(self.document.findall(entry_ref))
        if not refs:
            return
        domain = glossary_domain(self.env)
        builder = self.env._app.builder  # as Sphinx's own ReferencesResolver finds it
        html = builder.name in HTML_BUILDERS
        docname = self.env.current_document.docname
        keys = html_keys(self.env, builder, docname) if html else {}
        cache = html_cache(domain, builder) if html else None
        for ref in refs:
            # What the entry holds now: a term edit may have updated it without the
            # page being read again (glossary.collector.update_entries).
            term = ref["term"]
            entry = domain.entries[term]
            names = [name for name, _ in entry["anchors"]]
            words = " ".join([*names, entry["definition"]])
            key = keys.get(term)
            kept = cache.get(key) if cache is not None and key is not None else None
            item = ref.parent
            listed = item.parent if item is not None else None
            if not isinstance(listed, nodes.definition_list):
                continue  # not as the directive wrote it
            if kept is not None:
                listed.replace_self(_html_node(words, kept, {term: kept.data}, _indexes(listed)))
                continue
            body = domain.store.load(entry["key"]) or self.parse_again(domain, docname, term)
            ref.replace_self(nodes.definition("", *list(body.children)))
            if html:
                wrapper = entry_render("", term=term, key=key, words=words)
                listed.replace_self(wrapper)
                wrapper += listed
        if html:
            merge_runs(self.document)

    def parse_again(self, domain: GlossaryDomain, docname: str, name: str) -> nodes.Element:

        term = next(term for term in domain.glossary if term.term == name)
        return parse_again(self.env, docname, term)


def _indexes(node: nodes.Element) -> list[addnodes.index]:
    """The index nodes of *node*'s terms, taken out (they render nothing in HTML)."""
    found = list(node.findall(addnodes.index))
    for index in found:
        index.parent.remove(index)
    return found


def _html_node(
    words: str, rendered: Rendered, data: dict[str, str], indexes: list[addnodes.index]
) -> entry_html:
    """Entries as rendered: their HTML, their words and index entries for the search."""
    return entry_html(
        "", nodes.Text(words), *indexes, html=rendered.page, data=data,
        anchors=list(rendered.anchors),
    )  # fmt: skip


def merge_runs(document: nodes.document) -> None:
    """Merge each run of rendered entries into one node: a letter's entries, as one.

    The transforms and the writer then walk a node a letter, not one an entry.
    """
    parents = {id(node.parent): node.parent for node in document.findall(entry_html)}
    for parent in parents.values():
        children: list[nodes.Node] = []
        run: list[entry_html] = []
        for child in [*parent.children, None]:
            if isinstance(child, entry_html):
                run.append(child)
                continue
            if run:
                children.append(run[0] if len(run) == 1 else _merged(run))
                run = []
            if child is not None:
                children.append(child)
        parent.clear()
        parent.extend(children)


def _merged(run: list[entry_html]) -> entry_html:
    return entry_html(
        "",
        nodes.Text(" ".join(node[0].astext() for node in run)),
        *[index for node in run for index in node.children[1:]],
        html="".join(node["html"] for node in run),
        data={term: html for node in run for term, html in node["data"].items()},
        anchors=[anchor for node in run for anchor in node["anchors"]],
    )


def render_entries(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Render the entries :class:`ExpandEntries` left to render, all in one document.

    Each entry twice: as on its page, and with links that work from the site
    root for ``glossary.json``.  Rendering each alone cost a document, its
    transforms and a translator apiece.
    """
    from .html import linked_anchors, standalone

    domain = glossary_domain(app.env)
    if docname != domain.docname or app.builder.name not in HTML_BUILDERS:
        return
    builder = cast(StandaloneHTMLBuilder, app.builder)
    page = builder.get_target_uri(docname)
    pending = list(doctree.findall(entry_render))
    whole = nodes.container()
    parts: list[tuple[rendered_part, list[rendered_part], tuple[str, ...], list[Any]]] = []
    for node in pending:
        listed = cast(nodes.Element, node[0])
        anchors = tuple(sorted(linked_anchors(listed)))
        text = next(listed.findall(definition_text), None)
        data = [] if text is None else [rendered_part("", c) for c in standalone(text, page)]
        indexes = _indexes(listed)
        node.remove(listed)
        # In a Sphinx glossary, as on the page: its terms then get their permalinks.
        on_page = rendered_part("", addnodes.glossary("", listed, sorted=False))
        parts.append((on_page, data, anchors, indexes))
        whole += on_page
        whole.extend(data)
    if pending:
        builder.render_partial(whole)
    cache = html_cache(domain, builder)
    for node, (on_page, data, anchors, indexes) in zip(pending, parts, strict=True):
        rendered = Rendered(
            page=on_page["html"] + "\n",
            data="\n".join(part["html"] for part in data),
            anchors=anchors,
        )
        if node["key"] is not None:
            cache.put(node["key"], rendered)
        node.replace_self(
            _html_node(node["words"], rendered, {node["term"]: rendered.data}, indexes)
        )
    merge_runs(doctree)
    domain.data["rendered"] = {
        term: html for node in doctree.findall(entry_html) for term, html in node["data"].items()
    }


def save_html(app: Sphinx, exception: BaseException | None) -> None:
    """Keep the rendered entries for the next build, if this one went well."""
    domain = glossary_domain(app.env)
    cache = getattr(domain, "html_cache", None)
    if exception is None and isinstance(cache, HtmlCache):
        cache.save()


def prune_entries(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Once every page is read: forget the stored entries no page shows any more."""
    glossary_domain(env).prune_entries()
    return []
