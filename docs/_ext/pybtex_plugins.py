"""Citations without a plugin search per citation, and entries formatted once.

sphinxcontrib-bibtex asks pybtex for its plain-text backend every time it
resolves a citation, and pybtex 0.26 answers each request by scanning the
entry points of every installed package (``importlib.metadata``): about 20 ms
a citation here.  The glossary cites the sources of every entry, so that came
to ~2.7 s of a 6 s build with 118 terms, and grew with every term.  pybtex
looks in its runtime plugin store before the entry points, so registering the
plugins the build uses there, once, makes each later lookup a dictionary
access.

Even then every build made about a dozen such scans (sphinxcontrib-bibtex's
own start-up, each style's label, name and sorting plugins, and
``register_plugin``, which scans before it looks at ``force``), 15-70 ms each
here: a sixth of a rebuild with nothing to do.  pybtex finds entry points
through the ``entry_points`` name of :mod:`pybtex.plugin` (and
sphinxcontrib-bibtex its referencing styles through the same name of its
``plugin`` module); this module binds those names to
:func:`entry_points_once`, which answers every lookup from one scan per
process.  It must therefore be imported before sphinxcontrib-bibtex
(first in ``extensions``), whose modules look up plugins as they are imported.

sphinxcontrib-bibtex also formats every entry of the bibliography on every
build that reads any page, even one that reads none (``env-updated``), and
twice (the entry and its tooltip, in the same style): a third of a no-change
rebuild.  The style registered here is the configured one, unchanged, except
that it remembers what it formatted in :class:`BibliographyCache`, which
Sphinx pickles with the environment; an entry is formatted again only when
its label or any of its fields or names changed.
"""

from __future__ import annotations

import functools
import importlib.metadata
import itertools
import sys
from collections.abc import Callable
from typing import Any, ClassVar, cast

import pybtex.plugin
from pybtex.database import Entry
from pybtex.plugin import find_plugin, register_plugin
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from sphinx.application import Sphinx
from sphinx.domains import Domain
from sphinx.environment import BuildEnvironment
from sphinx.util.typing import ExtensionMetadata


@functools.cache
def _installed_entry_points() -> importlib.metadata.EntryPoints:
    found = importlib.metadata.entry_points()
    if sys.version_info >= (3, 12):
        return found
    # Python 3.11 gives them grouped (and deprecates reading them as a dict).
    groups = (found.select(group=group) for group in sorted(found.groups))
    return importlib.metadata.EntryPoints(itertools.chain.from_iterable(groups))


def entry_points_once(
    *, group: str | None = None, name: str | None = None
) -> importlib.metadata.EntryPoints:
    """``importlib.metadata.entry_points(group=..., name=...)`` from one scan per process.

    A package installed while a process runs (``nox -s serve``) is seen after a
    restart, as Sphinx sees a new extension.
    """
    found = _installed_entry_points()
    if group is not None:
        found = found.select(group=group)
    return found if name is None else found.select(name=name)


pybtex.plugin.entry_points = entry_points_once
# sphinxcontrib-bibtex finds its own plugins (referencing styles) the same way;
# importing it looks up pybtex plugins, hence after the line above.
_bibtex_plugin: Any = importlib.import_module("sphinxcontrib.bibtex.plugin")
_bibtex_plugin.entry_points = entry_points_once

#: The pybtex plugins sphinxcontrib-bibtex looks up while resolving citations.
PLUGINS: tuple[tuple[str, str], ...] = (("pybtex.backends", "plaintext"),)

#: An entry as formatted: style, label, key, type, fields, names (all plain strings).
CacheKey = tuple[str, str, str, str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]


def cache_key(style: BaseStyle, label: str, entry: Entry) -> CacheKey:
    """Everything a formatted entry depends on, for entries without crossrefs."""
    names = tuple(
        (role, str(person)) for role, persons in entry.persons.items() for person in persons
    )
    return (
        f"{type(style).__module__}.{type(style).__qualname__}",
        label,
        entry.key,
        entry.type,
        tuple(entry.fields.items()),
        names,
    )


class BibliographyCache(Domain):
    """Formatted bibliography entries, kept between builds with the environment.

    ``formatted``: :data:`CacheKey` -> the entry pybtex formatted for it.
    Entries not formatted by the latest build are dropped at ``env-updated``.
    """

    name = "bibliography-cache"
    label = "Bibliography cache"
    data_version = 1
    initial_data: ClassVar[dict[str, Any]] = {"formatted": {}}

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self.used: set[CacheKey] = set()

    @property
    def formatted(self) -> dict[CacheKey, FormattedEntry]:
        return cast("dict[CacheKey, FormattedEntry]", self.data["formatted"])

    def clear_doc(self, docname: str) -> None:
        """Entries belong to the bibliography file, not to a page."""

    def merge_domaindata(self, docnames: Any, otherdata: dict[str, Any]) -> None:
        """Entries are formatted after reading, in the main process: nothing to merge."""

    def format(
        self, key: CacheKey, entry: Entry, compute: Callable[[], FormattedEntry]
    ) -> FormattedEntry:
        """The entry formatted for *key*, from the cache or else by *compute*."""
        self.used.add(key)
        if "crossref" in entry.fields:  # depends on another entry: not cached
            return compute()
        found = self.formatted.get(key)
        if found is None:
            found = self.formatted[key] = compute()
        return found

    def prune(self) -> None:
        """Forget entries this build did not format (an edited or removed entry)."""
        self.data["formatted"] = {k: v for k, v in self.formatted.items() if k in self.used}


def cached_style(base: type[BaseStyle], cache: BibliographyCache) -> type[BaseStyle]:
    """*base*, formatting through *cache* (``uncached`` names *base*)."""

    class CachedStyle(base):  # type: ignore[misc]
        uncached = base

        def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> FormattedEntry:
            def compute() -> FormattedEntry:
                return cast(
                    FormattedEntry, super(CachedStyle, self).format_entry(label, entry, bib_data)
                )

            if bib_data is not None:
                return compute()
            return cache.format(cache_key(self, label, entry), entry, compute)

    CachedStyle.__name__ = CachedStyle.__qualname__ = base.__name__
    CachedStyle.__module__ = base.__module__
    return CachedStyle


def cache_plugins(app: Sphinx) -> None:
    for group, name in PLUGINS:
        # force=True: the entry point exists; the store then holds the same class.
        register_plugin(group, name, find_plugin(group, name), force=True)
    cache = cast(BibliographyCache, app.env.get_domain(BibliographyCache.name))
    style = app.config.bibtex_default_style
    found = find_plugin("pybtex.style.formatting", style)
    base = getattr(found, "uncached", found)  # registered by an earlier build in this process
    register_plugin("pybtex.style.formatting", style, cached_style(base, cache), force=True)


def prune_cache(app: Sphinx, env: BuildEnvironment) -> None:
    cast(BibliographyCache, env.get_domain(BibliographyCache.name)).prune()


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_domain(BibliographyCache)
    app.connect("builder-inited", cache_plugins)
    # After sphinxcontrib-bibtex's own env-updated (default priority), before pickling.
    app.connect("env-updated", prune_cache, priority=900)
    return {
        "version": "2.0",
        "env_version": 1,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
