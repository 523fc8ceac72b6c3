"""The fuzzer reads forms as a browser sends them: if it did not, it would fuzz forms that do not exist."""

from tests.fuzz.html_forms import parse_forms
from tests.fuzz.values import OMIT, plausible

PAGE = """
<form method="post" action="/c/x/save?next=/home" enctype="multipart/form-data">
  <input type="hidden" name="csrf_token" value="tok">
  <input name="title" value="Reunion &amp; dinner" required>
  <input type="number" name="capacity">
  <textarea name="bio">
Line one</textarea>
  <select name="tz" required><option value="">Choose…</option><option selected>Europe/London</option></select>
  <select name="kind"><option value="talk">Talk</option><option value="social">Social</option></select>
  <input type="radio" name="scope" value="this" checked><input type="radio" name="scope" value="following">
  <input type="checkbox" name="confirm" value="y" required>
  <input type="checkbox" name="listed" value="y" checked>
  <input type="file" name="logo">
  <input name="ignored" disabled>
  <button type="submit" name="preview" value="1">Preview</button>
  <button type="submit">Save</button>
</form>
<form method="post" action="/rsvp">
  <button name="response" value="going">Going</button>
  <button name="response" value="not_going">Can't go</button>
  <button type="button" name="js">Menu</button>
</form>
<form action="/search"><input type="search" name="q"></form>
"""


def test_controls_are_read_with_the_values_a_browser_sends():
    save, rsvp, search = parse_forms(PAGE, "http://localhost/c/x/edit")
    assert (save.method, save.action, save.multipart) == ("post", "/c/x/save?next=/home", True)
    fields = save.fields
    assert list(fields) == [
        "csrf_token", "title", "capacity", "bio", "tz", "kind", "scope", "confirm", "listed", "logo",
        "preview",
    ]  # fmt: skip
    assert fields["title"].default == ["Reunion & dinner"] and fields["title"].required
    assert fields["bio"].default == ["Line one"]  # the newline after <textarea> is not content
    assert (fields["tz"].options, fields["tz"].default) == (["", "Europe/London"], ["Europe/London"])
    assert fields["kind"].default == ["talk"]  # nothing selected: a browser sends the first option
    scope = fields["scope"]
    assert (scope.kind, scope.options, scope.default) == ("radio", ["this", "following"], ["this"])
    assert (fields["confirm"].default, fields["listed"].default) == ([], ["y"])
    assert (fields["logo"].kind, fields["preview"].kind) == ("file", "button")
    assert rsvp.fields["response"].options == ["going", "not_going"] and "js" not in rsvp.fields
    assert (search.method, search.action, search.fields["q"].kind) == ("get", "/search", "search")


def test_plausible_values_are_what_a_careful_person_sends():
    save, rsvp, _ = parse_forms(PAGE, "http://localhost/c/x/edit")
    sent = {f.name: plausible(f) for f in save}
    assert sent["capacity"] == ""  # optional and empty: sent empty, as a browser does
    assert sent["confirm"] == ["y"]  # a required box is ticked
    assert sent["listed"] == ["y"] and sent["tz"] == "Europe/London" and sent["scope"] == "this"
    assert sent["preview"] is OMIT  # the main button is the last, "Save", which has no name
    assert plausible(rsvp.fields["response"]) == "not_going"
