"""Scripts that do not hold up the first paint.

Sphinx, furo and sphinx-design put their scripts in the page's ``<head>``
without ``defer``, so a browser stops parsing the page to fetch and run each of
them before it can show anything: on a phone on a slow network (Lighthouse's
mobile run) that was the largest cost of every page.  None of them needs to run
before the page is parsed (each waits for ``DOMContentLoaded`` or Sphinx's
``_ready``), so every external script of a page is deferred; deferred scripts
still run in the order they are listed, so one that uses another's globals
(``DOCUMENTATION_OPTIONS``) still finds them.  Inline scripts (the glossary's
previews, JSON-LD) are left as they are: they only hold data.

The search page is the exception: the theme's search template adds Sphinx's
``searchtools.js`` after the listed scripts, without ``defer``, and it calls
``_ready`` from ``doctools.js`` as it loads, so there nothing is deferred.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.util.typing import ExtensionMetadata

#: Attributes that already choose when a script runs.
LOADING = frozenset({"async", "defer", "type"})


def defer_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    scripts = context.get("script_files")
    if not scripts or templatename == "search.html":
        return
    context["script_files"] = [
        script
        if not script.filename or LOADING & script.attributes.keys()
        else type(script)(
            script.filename, priority=script.priority, **script.attributes, defer="defer"
        )
        for script in scripts
    ]


def setup(app: Sphinx) -> ExtensionMetadata:
    # Last, after every extension has added its scripts to the page.
    app.connect("html-page-context", defer_scripts, priority=999)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
