"""Citations without a plugin search per citation.

sphinxcontrib-bibtex asks pybtex for its plain-text backend every time it
resolves a citation, and pybtex 0.26 answers each request by scanning the
entry points of every installed package (``importlib.metadata``): about 20 ms
a citation here.  The glossary cites the sources of every entry, so that came
to ~2.7 s of a 6 s build with 118 terms, and grew with every term.

pybtex looks in its runtime plugin store before the entry points, so
registering the plugins the build uses there, once, as the very classes the
entry points name, makes each later lookup a dictionary access.
"""

from __future__ import annotations

from pybtex.plugin import find_plugin, register_plugin
from sphinx.application import Sphinx
from sphinx.util.typing import ExtensionMetadata

#: The pybtex plugins sphinxcontrib-bibtex looks up while resolving citations.
PLUGINS: tuple[tuple[str, str], ...] = (("pybtex.backends", "plaintext"),)


def cache_plugins(app: Sphinx) -> None:
    style = app.config.bibtex_default_style
    for group, name in (*PLUGINS, ("pybtex.style.formatting", style)):
        # force=True: the entry point exists; the store then holds the same class.
        register_plugin(group, name, find_plugin(group, name), force=True)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("builder-inited", cache_plugins)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
