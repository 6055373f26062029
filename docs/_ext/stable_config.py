"""Keep the configuration Sphinx pickles equal to the one ``conf.py`` gives.

Sphinx compares the configuration of a new build with the one pickled with
the environment, before ``builder-inited``; a value an extension changes at
``builder-inited`` is therefore seen as changed on every rebuild ("The
configuration has changed") on every rebuild.  sphinx-design
appends its static folder to ``html_static_path`` at ``builder-inited``: this
extension adds that folder already at ``config-inited`` (before the
comparison) and drops the second copy sphinx-design appends later, so the
value is the same at both moments.

One change is left: furo's ``pygments_dark_style`` exists only once the theme
is loaded, in the HTML builder's ``init()``, after the comparison; the theme
cannot be loaded earlier for HTML alone (no event between choosing the builder
and initialising it, and furo refuses to be listed in ``extensions``).  The
message names it, but it changes no page: Sphinx re-reads nothing for an
option the new configuration does not have yet.
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.util.typing import ExtensionMetadata
from sphinx_design.extension import STATIC_DIR


def add_design_static(app: Sphinx, config: Config) -> None:
    """Put sphinx-design's static folder in ``html_static_path`` before the comparison."""
    if str(STATIC_DIR) not in config.html_static_path:
        config.html_static_path.append(str(STATIC_DIR))


def drop_duplicates(app: Sphinx) -> None:
    """After sphinx-design's own append: each folder once, in the order first given."""
    app.config.html_static_path[:] = list(dict.fromkeys(app.config.html_static_path))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("config-inited", add_design_static)
    # sphinx-design appends at the default priority (500); this runs after it.
    app.connect("builder-inited", drop_duplicates, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
