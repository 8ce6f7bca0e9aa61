"""Rich text answers: HTML kept to a short allow-list with nh3, and plain text both ways.

Only p, br, strong/b, em/i, u, ul, ol, li and a with an https or mailto link survive; scripts,
styles and their content, every other attribute (event handlers, style, class) and comments are
removed. An answer typed without tags is plain text: a blank line starts a paragraph, a line
starting with "- " or "* " is a list item.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a"}
ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"https", "mailto"}
_TAG_RE = re.compile(r"<[A-Za-z/!?]")
_BULLET_RE = re.compile(r"^\s*[-*•]\s+")


def sanitize(value: str) -> str:
    """The HTML with only the allowed tags and links."""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        clean_content_tags={"script", "style"},
    ).strip()


def looks_like_html(value: str) -> bool:
    return bool(_TAG_RE.search(value))


def text_to_html(text: str) -> str:
    """Plain text as paragraphs (blank lines), line breaks and bullet lists."""
    parts = []
    for chunk in re.split(r"\n\s*\n", text.strip()):
        lines = [line for line in chunk.split("\n") if line.strip()]
        if not lines:
            continue
        if all(_BULLET_RE.match(line) for line in lines):
            items = "".join(
                f"<li>{html.escape(_BULLET_RE.sub('', line).strip())}</li>" for line in lines
            )
            parts.append(f"<ul>{items}</ul>")
        else:
            parts.append("<p>" + "<br>".join(html.escape(line.strip()) for line in lines) + "</p>")
    return "".join(parts)


def to_html(value: str) -> str:
    """An answer as typed (HTML or plain text) as sanitised HTML."""
    if looks_like_html(value):
        return sanitize(value)
    return sanitize(text_to_html(value))


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list] = []  # [kind, counter]

    def _block(self):
        if self.out and not "".join(self.out[-2:]).endswith("\n\n"):
            self.out.append("\n\n" if not self.lists else "\n")

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.out.append("\n")
        elif tag == "p":
            self._block()
        elif tag in ("ul", "ol"):
            self._block()
            self.lists.append([tag, 0])
        elif tag == "li":
            if self.out and not self.out[-1].endswith("\n"):
                self.out.append("\n")
            if self.lists and self.lists[-1][0] == "ol":
                self.lists[-1][1] += 1
                self.out.append(f"{self.lists[-1][1]}. ")
            else:
                self.out.append("- ")

    def handle_endtag(self, tag):
        if tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.out.append("\n\n")
        elif tag == "p":
            self.out.append("\n\n")

    def handle_data(self, data):
        self.out.append(re.sub(r"\s+", " ", data) if data.strip() else (" " if data else ""))


def html_to_text(value: str) -> str:
    """The readable text of sanitised HTML: paragraphs separated by blank lines, list items as
    "- " (numbered for ordered lists)."""
    parser = _Text()
    parser.feed(sanitize(value))
    parser.close()
    text = "".join(parser.out)
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
