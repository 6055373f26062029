"""Render the link-preview card, tools/social-card.svg, to docs/_static/social-card.png.

Run once after editing the SVG (``python -m tools.social_card``) and commit both:
builds use the PNG as it is (no network, no image library at build time).
Chromium draws it, at the 1200 x 630 pixels link previews expect.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tools.build import MissingTool, find
from tools.loopback import launch_chromium

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tools" / "social-card.svg"
TARGET = ROOT / "docs" / "_static" / "social-card.png"
SIZE = {"width": 1200, "height": 630}


def render(source: Path = SOURCE, target: Path = TARGET) -> Path:
    try:
        executable = find("chromium")
    except MissingTool as error:
        raise SystemExit(str(error)) from None
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["TMPDIR"] = scratch  # Chromium's scratch folders go here, not /tmp
        with sync_playwright() as playwright:
            context = launch_chromium(playwright, Path(scratch) / "profile", executable)
            tab = context.new_page()
            tab.set_viewport_size(SIZE)
            tab.goto(source.as_uri())
            tab.screenshot(path=str(target), clip={"x": 0, "y": 0, **SIZE})
            context.close()
    return target


if __name__ == "__main__":
    print(render())
    sys.exit(0)
