"""Pure helpers: no app, no database."""

import pytest

from community.core.markdown import markdown_to_text, render_markdown
from community.core.urls import safe_next_url


@pytest.mark.parametrize(
    "target, expected",
    [
        ("/account", "/account"),
        ("/c/alumni/events/3?tab=past", "/c/alumni/events/3?tab=past"),
        (None, "/"),
        ("", "/"),
        ("https://evil.example/x", "/"),
        ("//evil.example", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("account", "/"),
        ("/\x0aevil", "/"),
    ],
)
def test_safe_next_url(target, expected):
    assert safe_next_url(target, "/") == expected


def test_markdown_is_rendered_and_sanitised():
    html = render_markdown(
        "**Bring** a [friend](https://example.org)\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))"
    )
    assert "<strong>Bring</strong>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">friend</a>' in html
    assert "<script>" not in html
    assert 'href="javascript' not in html


def test_markdown_to_text_keeps_words_and_lines():
    text = markdown_to_text("# Reunion\n\nFood & drinks, **10-year** class.\n\n- one\n- two")
    assert text == "Reunion\n\nFood & drinks, 10-year class.\n\n- one\n- two"
