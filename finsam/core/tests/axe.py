"""axe-core in headless Chromium, shared by the browser test of every page
(`test_axe_browser.py`) and `make a11y` (`bench/a11y.py`).

axe-core 4.14.1 is vendored next to this module (`axe/axe.min.js`, MPL-2.0, see `axe/LICENSE`): a
test tool, never served by the site. Every page is checked with the WCAG 2.0/2.1 A and AA rules at
desktop width and at 390 px (a phone), where the document must also fit the screen: a wide table
scrolls inside its own region (`includes/scroll_table.html`), not the page. No Django here: the
benchmark script imports it without settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

AXE = Path(__file__).with_name("axe") / "axe.min.js"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = ("critical", "serious")
IMPACTS = ("critical", "serious", "moderate", "minor")
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}

_RUN = """tags => axe.run(document, {
  runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
}).then(r => r.violations.map(v => ({
  id: v.id, impact: v.impact, help: v.help,
  nodes: v.nodes.map(n => n.target.join(' ')),
})))"""
# The document's width beyond the viewport, and the widest element causing it (for the message).
_OVERFLOW = """() => {
  const root = document.documentElement, width = root.clientWidth;
  if (root.scrollWidth <= width) return null;
  let widest = null, right = width;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect().right;
    if (r > right) { right = r; widest = el; }
  }
  const name = widest ? widest.tagName.toLowerCase() + (widest.id ? '#' + widest.id : '') +
    (widest.className && typeof widest.className === 'string'
      ? '.' + widest.className.trim().split(/\\s+/).join('.') : '') : '?';
  return {scroll_width: root.scrollWidth, width: width, widest: name};
}"""


@dataclass
class Finding:
    """One violation (or the page wider than the screen) on one page at one width."""

    path: str
    width: int
    rule: str
    impact: str
    help: str
    nodes: list[str]

    def __str__(self) -> str:
        where = ", ".join(self.nodes[:3]) + (" …" if len(self.nodes) > 3 else "")
        return f"{self.path} @{self.width}px: {self.impact} {self.rule} ({self.help}): {where}"


def launch(playwright):
    """Debian's Chromium, headless."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


def new_context(browser, **kwargs):
    """A browser context that loads axe-core into every page (CSP bypassed for that alone)."""
    context = browser.new_context(bypass_csp=True, locale="sv-SE", viewport=DESKTOP, **kwargs)
    context.add_init_script(path=str(AXE))
    return context


def is_html(response) -> bool:
    return response is not None and "text/html" in (response.headers.get("content-type") or "")


def check_loaded(page, path: str, *, mobile: bool = True) -> list[Finding]:
    """axe-core on the page shown, at desktop width and (unless `mobile` is false) at 390 px,
    plus the page's overflow at 390 px; the viewport is back at desktop width after."""
    findings = []
    widths = [DESKTOP, MOBILE] if mobile else [DESKTOP]
    try:
        for viewport in widths:
            if page.viewport_size != viewport:
                page.set_viewport_size(viewport)
            for v in page.evaluate(_RUN, TAGS):
                findings.append(
                    Finding(path, viewport["width"], v["id"], v["impact"], v["help"], v["nodes"])
                )
            if viewport is MOBILE:
                overflow = page.evaluate(_OVERFLOW)
                if overflow:
                    findings.append(
                        Finding(
                            path,
                            viewport["width"],
                            "page-wider-than-screen",
                            "serious",
                            f"the document is {overflow['scroll_width']} px wide",
                            [overflow["widest"]],
                        )
                    )
    finally:
        if page.viewport_size != DESKTOP:
            page.set_viewport_size(DESKTOP)
    return findings


def failing(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.impact in FAILING]
