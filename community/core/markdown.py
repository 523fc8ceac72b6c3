"""Markdown written by users, rendered to sanitised HTML or to plain text."""

from __future__ import annotations

import html
import re
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.enable(["table", "strikethrough"])

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


#: Both are pure functions of the text, rendered on every event page: the latest few are kept
#: (a description is at most a few thousand characters).
RENDERED_KEPT = 256


@lru_cache(maxsize=RENDERED_KEPT)
def render_markdown(text: str | None) -> Markup:
    """Markdown to HTML that is safe to put in a page: raw HTML dropped, links nofollow."""
    if not text:
        return Markup("")
    html = _markdown.render(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(clean)


@lru_cache(maxsize=RENDERED_KEPT)
def markdown_to_text(text: str | None) -> str:
    """Markdown as plain text, for emails and calendar descriptions."""
    if not text:
        return ""
    rendered = _markdown.render(text).replace(">\n", ">")
    rendered = re.sub(r"</(p|h\d|blockquote|pre|ul|ol|table)>", "\n\n", rendered)
    rendered = re.sub(r"</(li|tr)>|<br\s*/?>", "\n", rendered)
    rendered = rendered.replace("<li>", "- ")
    plain = html.unescape(nh3.clean(rendered, tags=set()))
    return re.sub(r"\n{3,}", "\n\n", plain).strip()
