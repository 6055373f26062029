"""Role comparisons: sphinx-design tab sets that compare the two roles.

Every tab set on the site compares a software engineer with a machine learning
engineer, so each must have exactly two tabs, ``:sync: swe`` then
``:sync: mle``, in the sync group ``role``; sphinx-design accepts anything,
so this extension checks it on every page it reads.

Outside HTML a tab set cannot switch, and sphinx-design's markup is not valid
XHTML for EPUB and becomes stray ``\\subsubsection*`` headings in LaTeX.  For
those builders each tab set is flattened into labelled blocks, both sides shown.

In HTML, pages without a sphinx-design component do not load its CSS and script.
And sphinx-design puts ``aria-controls`` on each tab's ``<label>``, which
HTML forbids on a label of a form control (a Nu HTML Checker error): the
attribute moves to the radio button the label names, which is what a reader
focuses and switches with the arrow keys.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.typing import ExtensionMetadata
from sphinx.writers.html5 import HTML5Translator
from sphinx_design.shared import is_component
from sphinx_design.tabs import depart_tab_input, depart_tab_label, sd_tab_input, sd_tab_label

logger = logging.getLogger(__name__)

SYNC_GROUP = "role"
ROLES: tuple[str, ...] = ("swe", "mle")
FLAT_BUILDERS = ("epub", "latex")


def tab_items(tab_set: nodes.Element) -> list[nodes.Element]:
    return [
        child
        for child in tab_set.children
        if isinstance(child, nodes.Element) and is_component(child, "tab-item")
    ]


def tab_sets(doctree: nodes.document) -> list[nodes.Element]:
    return [node for node in doctree.findall(nodes.Element) if is_component(node, "tab-set")]


def check_comparisons(app: Sphinx, doctree: nodes.document) -> None:
    """Warn, at the tab set's line, about any tab set that is not a role comparison."""
    for tab_set in tab_sets(doctree):
        labels = [cast(nodes.Element, item.children[0]) for item in tab_items(tab_set)]
        found = tuple(label.get("sync_id", "(none)") for label in labels)
        groups = {label.get("sync_group", "(none)") for label in labels}
        if found != ROLES or groups != {SYNC_GROUP}:
            logger.warning(
                "a comparison tab set must have two tabs, ':sync: swe' then ':sync: mle', "
                "in ':sync-group: role'; found sync %s in group %s",
                ", ".join(found) or "(no tabs)",
                ", ".join(sorted(groups)) or "(none)",
                location=tab_set,
                type="comparisons",
                subtype="tabs",
            )


class FlattenComparisons(SphinxPostTransform):
    """Replace each tab set with labelled blocks (EPUB and LaTeX).

    Runs before sphinx-design's own HTML transform (priority 200), which the
    EPUB builder would otherwise apply, since EPUB is an HTML format.
    """

    default_priority = 150
    builders = FLAT_BUILDERS

    def run(self, **kwargs: Any) -> None:
        for tab_set in tab_sets(self.document):
            flat = nodes.container(classes=["comparison"])
            for item in tab_items(tab_set):
                label, content = cast(list[nodes.Element], item.children)
                role = label.get("sync_id", "")
                block = nodes.container(classes=["comparison-side", f"comparison-{role}"])
                block += nodes.paragraph(
                    "", "", nodes.strong("", "", *label.children), classes=["comparison-label"]
                )
                block += content.children
                flat += block
            tab_set.replace_self(flat)  # keeps the tab set's ids, so links still land
            flat["classes"] = ["comparison"]


#: What sphinx-design adds to every HTML page; only pages with a component use it.
DESIGN_ASSETS = frozenset({"sphinx-design.min.css", "design-tabs.js"})


def uses_design(doctree: nodes.document) -> bool:
    """True if the resolved page has a sphinx-design component (classes ``sd-...``)."""
    return any(
        cls.startswith("sd-") for node in doctree.findall(nodes.Element) for cls in node["classes"]
    )


def drop_unused_design_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Leave sphinx-design's CSS (54 KB) and script out of pages without a component."""
    if doctree is not None and uses_design(doctree):
        return
    for key in ("css_files", "script_files"):
        # In place: Sphinx restores the lists after each page.
        context[key][:] = [
            asset
            for asset in context[key]
            if Path(str(getattr(asset, "filename", asset))).name not in DESIGN_ASSETS
        ]


def visit_tab_input(self: HTML5Translator, node: sd_tab_input) -> None:
    """sphinx-design's radio button, plus the ``aria-controls`` of the label after it."""
    attributes = {"ids": [node["id"]], "type": node["type"], "name": node["set_id"]}
    if node["checked"]:
        attributes["checked"] = "checked"
    label = node.next_node(descend=False, siblings=True)
    if isinstance(label, sd_tab_label) and "aria_controls" in label:
        attributes["aria-controls"] = label["aria_controls"]
    self.body.append(self.starttag(node, "input", **attributes))


def visit_tab_label(self: HTML5Translator, node: sd_tab_label) -> None:
    """sphinx-design's tab label without ``aria-controls`` (see the module's docstring)."""
    attributes = {"for": node["input_id"]}
    if "sync_id" in node and "sync_group" in node:
        attributes["data-sync-id"] = node["sync_id"]
        attributes["data-sync-group"] = node["sync_group"]
    self.body.append(self.starttag(node, "label", **attributes))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("html-page-context", drop_unused_design_assets)
    app.add_node(sd_tab_input, override=True, html=(visit_tab_input, depart_tab_input))
    app.add_node(sd_tab_label, override=True, html=(visit_tab_label, depart_tab_label))
    app.connect("doctree-read", check_comparisons)
    app.add_post_transform(FlattenComparisons)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
