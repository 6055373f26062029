"""Role comparisons: sphinx-design tab sets that compare the two roles.

Every tab set on the site compares a software engineer with a machine learning
engineer, so each must have exactly two tabs, ``:sync: swe`` then
``:sync: mle``, in the sync group ``role``; sphinx-design accepts anything,
so this extension checks it on every page it reads.

HTML: a reader chooses how to see the comparisons, "Tabs" (sphinx-design's,
which work by CSS alone) or "Side by side" (both roles in two columns).  The
choice is a radio pair, :class:`view_control`, that :class:`AddViewControl`
puts before the first comparison of a page; ``comparisons.js`` only wires it
up (local storage, ``?view=columns``) and shows it once it works, and
``comparisons.css`` shows the columns where the screen has room for them and
always in print.  Both files are loaded only by pages with a comparison, as
is sphinx-design's own CSS and script.  And sphinx-design puts
``aria-controls`` on each tab's ``<label>``, which HTML forbids on a label of
a form control (a Nu HTML Checker error): :class:`DropLabelAriaControls` takes
it off after sphinx-design's own transform; sphinx-design writes the radio
buttons and labels as it always does.

Outside HTML a tab set cannot switch, and sphinx-design's markup is not valid
XHTML for EPUB and becomes stray ``\\subsubsection*`` headings in LaTeX.  For
those builders :class:`FlattenComparisons` turns each tab set into a
:class:`comparison` of two labelled :class:`comparison_side` blocks: stacked in
the EPUB (e-readers are narrow), two columns side by side in the PDF
(``comparisons.sty``, with the paracol package, so a long comparison breaks
across pages in both columns at once).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.fileutil import copy_asset_file
from sphinx.util.typing import ExtensionMetadata
from sphinx.writers.html5 import HTML5Translator
from sphinx.writers.latex import LaTeXTranslator
from sphinx_design.shared import is_component
from sphinx_design.tabs import sd_tab_label

logger = logging.getLogger(__name__)

SYNC_GROUP = "role"
ROLES: tuple[str, ...] = ("swe", "mle")
FLAT_BUILDERS = ("epub", "latex")
#: The web builders that get the view choice (EPUB is an HTML builder too, but flat).
WEB_BUILDERS = ("html", "dirhtml", "singlehtml")
ASSETS = Path(__file__).parent / "comparisons-assets"
WEB_ASSETS = ("comparisons.css", "comparisons.js")
#: The view choice as a reader sees it: the value stored and put in ``?view=``, its label.
VIEWS: tuple[tuple[str, str], ...] = (("tabs", "Tabs"), ("columns", "Side by side"))


def tab_items(tab_set: nodes.Element) -> list[nodes.Element]:
    return [
        child
        for child in tab_set.children
        if isinstance(child, nodes.Element) and is_component(child, "tab-item")
    ]


def tab_sets(doctree: nodes.document) -> list[nodes.Element]:
    """Every sphinx-design tab set of *doctree*, in document order."""
    # sphinx-design makes every component a container: looking at containers only
    # saves a Python call per element (6,700 on the glossary page).
    return [node for node in doctree.findall(nodes.container) if is_component(node, "tab-set")]


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


# -- EPUB and PDF: both sides shown -------------------------------------------------


class comparison(nodes.General, nodes.Element):
    """One role comparison, both sides shown: stacked in EPUB, two columns in LaTeX."""


class comparison_side(nodes.General, nodes.Element):
    """One role's side of a comparison: its label paragraph, then its content."""


class FlattenComparisons(SphinxPostTransform):
    """Replace each tab set with a :class:`comparison` of two labelled sides (EPUB, LaTeX).

    Runs before sphinx-design's own HTML transform (priority 200), which the
    EPUB builder would otherwise apply, since EPUB is an HTML format.
    """

    default_priority = 150
    builders = FLAT_BUILDERS

    def run(self, **kwargs: Any) -> None:
        for tab_set in tab_sets(self.document):
            flat = comparison()
            for item in tab_items(tab_set):
                label, content = cast(list[nodes.Element], item.children)
                role = label.get("sync_id", "")
                side = comparison_side("", classes=["comparison-side", f"comparison-{role}"])
                side += nodes.paragraph(
                    "", "", nodes.strong("", "", *label.children), classes=["comparison-label"]
                )
                side += content.children
                flat += side
            tab_set.replace_self(flat)  # keeps the tab set's ids, so links still land
            flat["classes"] = ["comparison"]  # not the tab set's own


def visit_comparison_html(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append(self.starttag(node, "div"))


def depart_comparison_html(self: HTML5Translator, node: nodes.Element) -> None:
    self.body.append("</div>\n")


def visit_comparison_latex(self: LaTeXTranslator, node: comparison) -> None:
    """``sphinxcomparison`` (comparisons.sty): a paracol environment of two columns."""
    self.body.append("\n" + self.hypertarget_to(node) + "\n\\begin{sphinxcomparison}\n")


def depart_comparison_latex(self: LaTeXTranslator, node: comparison) -> None:
    self.body.append("\n\\end{sphinxcomparison}\n")


def visit_comparison_side_latex(self: LaTeXTranslator, node: comparison_side) -> None:
    # paracol switches columns only outside any group, so a side is no environment:
    # the machine learning engineer's side starts the right column.
    if node.parent.index(node) > 0:
        self.body.append("\n\\sphinxcomparisonswitch\n")


def depart_comparison_side_latex(self: LaTeXTranslator, node: comparison_side) -> None:
    self.body.append("\n")


# -- HTML: the view choice ----------------------------------------------------------


class view_control(nodes.General, nodes.Element):
    """The "Tabs" / "Side by side" choice, before the first comparison of a page."""


class AddViewControl(SphinxPostTransform):
    """Put the view choice just before the first comparison of the page (web builders).

    Runs before sphinx-design's HTML transform, while tab sets are still components.
    """

    default_priority = 150
    builders = WEB_BUILDERS

    def run(self, **kwargs: Any) -> None:
        found = tab_sets(self.document)
        if found and found[0].parent is not None:
            first = found[0]
            first.parent.insert(first.parent.index(first), view_control())


def visit_view_control(self: HTML5Translator, node: view_control) -> None:
    """A radio pair in a fieldset; the first view is checked until the script says otherwise.

    It is shown only once the script runs (comparisons.css): without scripting,
    the tabs work by CSS alone and a choice that does nothing is not offered.
    """
    options = "".join(
        f'<label><input type="radio" name="comparison-view" value="{value}"'
        f"{' checked' if index == 0 else ''}> {label}</label>"
        for index, (value, label) in enumerate(VIEWS)
    )
    self.body.append(
        '<fieldset class="comparison-view">'
        f"<legend>Show comparisons as</legend>{options}</fieldset>\n"
    )
    raise nodes.SkipNode


def copy_assets(app: Sphinx, builder: Builder) -> None:
    """Copy the web view's files into ``_static``, and the LaTeX package next to the .tex.

    Before the pages are written, so that Sphinx can stamp each link with the
    file's checksum.
    """
    if builder.name in WEB_BUILDERS:
        files = {name: builder.outdir / "_static" / name for name in WEB_ASSETS}
    elif builder.name == "latex":
        files = {"comparisons.sty": builder.outdir / "comparisons.sty"}
    else:
        return
    for name, target in files.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        copy_asset_file(ASSETS / name, target, force=True)


#: What sphinx-design adds to every HTML page; only pages with a component use it.
DESIGN_ASSETS = frozenset({"sphinx-design.min.css", "design-tabs.js"})


def uses_design(doctree: nodes.document) -> bool:
    """True if the resolved page has a sphinx-design component (classes ``sd-...``)."""
    return any(
        cls.startswith("sd-") for node in doctree.findall(nodes.Element) for cls in node["classes"]
    )


def page_assets(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Load the view's files on pages with a comparison; sphinx-design's only with a component.

    sphinx-design's CSS alone is 54 KB, added by it to every page.
    """
    if doctree is not None and next(iter(doctree.findall(view_control)), None) is not None:
        # Added for this page only (Sphinx: add_*_file during html-page-context).
        # The script runs before the page is drawn: it sets the view the page opens in.
        app.add_css_file("comparisons.css")
        app.add_js_file("comparisons.js")
    if doctree is not None and uses_design(doctree):
        return
    for key in ("css_files", "script_files"):
        # In place: Sphinx restores the lists after each page.
        context[key][:] = [
            asset
            for asset in context[key]
            if Path(str(getattr(asset, "filename", asset))).name not in DESIGN_ASSETS
        ]


class DropLabelAriaControls(SphinxPostTransform):
    """Take ``aria-controls`` off each tab label (see the module's docstring).

    After sphinx-design's TabSetHtmlTransform (priority 200), which makes the
    radio buttons and labels and points each label at its content.
    """

    default_priority = 210
    formats = ("html",)

    def run(self, **kwargs: Any) -> None:
        for tab_set in tab_sets(self.document):
            for child in tab_set.children:
                if isinstance(child, sd_tab_label):
                    child.attributes.pop("aria_controls", None)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("html-page-context", page_assets)
    app.connect("write-started", copy_assets)
    app.add_node(view_control, html=(visit_view_control, None))
    html = (visit_comparison_html, depart_comparison_html)
    app.add_node(comparison, html=html, latex=(visit_comparison_latex, depart_comparison_latex))
    app.add_node(
        comparison_side,
        html=html,
        latex=(visit_comparison_side_latex, depart_comparison_side_latex),
    )
    app.add_latex_package("comparisons")
    app.connect("doctree-read", check_comparisons)
    app.add_post_transform(FlattenComparisons)
    app.add_post_transform(AddViewControl)
    app.add_post_transform(DropLabelAriaControls)
    return {"version": "1.1", "parallel_read_safe": True, "parallel_write_safe": True}
