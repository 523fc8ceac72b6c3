"""core.kept: values kept in the process, per app, the least recently used forgotten first."""

from __future__ import annotations

from flask import Flask

from community.core import kept


def test_a_kept_value_is_built_once_per_key(app):
    built = []
    with app.app_context():
        for _ in range(3):
            assert kept.kept(("k", 1), lambda: built.append(1) or "value") == "value"
        assert kept.kept(("k", 2), lambda: "other") == "other"
    assert built == [1]


def test_each_app_keeps_its_own(app):
    other = Flask("other")
    with app.app_context():
        kept.kept("same key", lambda: "first app's")
    with other.app_context():
        assert kept.kept("same key", lambda: "second app's") == "second app's"


def test_the_least_recently_used_go_first(app, monkeypatch):
    monkeypatch.setattr(kept, "MOST_KEPT", 2)
    with app.app_context():
        kept.kept("a", lambda: 1)
        kept.kept("b", lambda: 2)
        kept.kept("a", lambda: 0)  # used again: "b" is now the oldest
        kept.kept("c", lambda: 3)
        assert kept.kept("a", lambda: "rebuilt") == 1
        assert kept.kept("b", lambda: "rebuilt") == "rebuilt"


def test_outside_an_app_nothing_is_kept():
    assert kept.kept("x", lambda: "built") == "built"
    assert kept.kept("x", lambda: "again") == "again"
