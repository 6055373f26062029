"""Math as MathML, written at build time: no MathJax, no request to a CDN.

Sphinx's default HTML math renderer loads MathJax from a CDN, and the site
makes no request to another host.  Browsers render MathML natively, and
docutils already converts LaTeX math to it, so this renderer only hands each
formula to docutils' converter.
"""

from __future__ import annotations

from docutils import nodes
from docutils.utils.math import MathError
from docutils.utils.math.latex2mathml import tex2mathml
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.typing import ExtensionMetadata
from sphinx.writers.html5 import HTML5Translator

logger = logging.getLogger(__name__)


def render(translator: HTML5Translator, node: nodes.Element, block: bool) -> None:
    try:
        mathml = tex2mathml(node.astext(), as_block=block)
    except (MathError, AttributeError, IndexError, KeyError, RecursionError) as error:
        # MathError for what docutils knows it cannot convert; the others are its
        # converter tripping over input it does not expect (``$a \\ b$`` inline is an
        # AttributeError in docutils 0.22): the writer gets the formula's place, not a
        # traceback.
        reason = error if isinstance(error, MathError) else "docutils cannot read this formula"
        logger.warning(
            "cannot convert math to MathML: %s",
            reason,
            location=node,
            type="mathml",
            once=True,  # the glossary's definitions are rendered twice (page, glossary.json)
            extra={"hint": "check the formula; a line break (\\\\) belongs in a math block"},
        )
        mathml = translator.encode(node.astext())
    translator.body.append(f'<div class="math">{mathml}</div>' if block else mathml)
    raise nodes.SkipNode


def visit_math(translator: HTML5Translator, node: nodes.math) -> None:
    render(translator, node, block=False)


def visit_math_block(translator: HTML5Translator, node: nodes.math_block) -> None:
    render(translator, node, block=True)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_math_block, None))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
