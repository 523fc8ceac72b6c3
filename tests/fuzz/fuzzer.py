"""The form fuzzer: finds every form a role can see, fills it with Hypothesis, and judges what
the site answers. The test is in test_form_fuzz.py; what it sends is in values.py.

Pages come from the URL map with the world's ids and tokens filled in, so a new page or form
is covered without being listed here; a GET rule the world cannot fill fails the test until
world.py gives it a value or SKIP_PAGES a reason.
"""

from __future__ import annotations

import json
import logging
import os
import random
import traceback
from collections import Counter
from functools import cache
from itertools import product
from urllib.parse import urlencode, urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.test import encode_multipart

from community.extensions import db
from tests.conftest import Client, reset_database
from tests.fuzz.html_forms import Form, parse_forms
from tests.fuzz.values import OMIT, filled, plausible, probes
from tests.fuzz.world import EMAILS, build_world

EXAMPLES = int(os.environ.get("ROUNDTABLE_FUZZ_EXAMPLES", "15"))  # per form (twice that for big ones)
#: ROUNDTABLE_FUZZ_SURVEY=1 records every failure instead of stopping (and shrinking) at a
#: form's first: a list of everything that is wrong today, for whoever fixes them.
SURVEY = os.environ.get("ROUNDTABLE_FUZZ_SURVEY") == "1"

#: GET endpoints not opened, and why.
SKIP_PAGES = {
    "static": "files, not pages",
    "events.event_page_with_words": "the event page again, with its title in the address",
    "auth.verify_email": "a link from an email: no form on it, and opening it changes the account",
    "auth.confirm_email_change": "a link from an email: no form on it, and opening it changes the account",
    "feeds.personal_feed": "a calendar file: no form",
    "feeds.join_online": "a redirect to the online meeting: no form",
}
#: Forms not fuzzed, by the endpoint they post to, and why.
SKIP_FORMS = {
    "auth.logout": "on every page; it only ends the session and has nothing to fill but its CSRF token",
}
FUZZ_SETTINGS = settings(
    deadline=None,
    derandomize=True,  # the same examples on every run: CI is reproducible
    database=None,
    print_blob=False,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
HOSTILE_IDS = [0, 2**31, 2**63, 10**20]
#: What the site answers to a missing or wrong CSRF token (community/core/errors.py).
CSRF_REFUSED = "The form had expired or came from another site"
#: URL variables that say what a form does (/rsvps/<id>/approve): each value is its own form.
ACTION_VARIABLES = {"action"}
#: Controls with a fixed set of values: a form of only these gets a few examples.
FIXED_KINDS = {"button", "hidden", "checkbox", "radio", "select", "select-multiple"}


def snapshot() -> dict[str, object]:
    """Every row of every table (the outbox too), in primary-key order, to compare: taken before
    and after each request, so it must be cheap. PostgreSQL gives each table as JSON text in one
    statement (a statement per table cost ~13 ms a snapshot, most of the fuzz run)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect() as conn:
            return dict(conn.execute(_all_tables_as_json()).one()._mapping)
    return rows()


def rows() -> dict[str, list[tuple]]:
    """Every row of every table, as tuples that can be inserted again."""
    with db.engine.connect() as conn:
        return {
            table.name: [
                tuple(row)
                for row in conn.execute(select(table).order_by(*(table.primary_key.columns or table.columns)))
            ]
            for table in db.metadata.sorted_tables
        }


@cache
def _all_tables_as_json():
    parts = []
    for table in db.metadata.sorted_tables:
        order = ", ".join(f'"{column.name}"' for column in table.primary_key.columns or table.columns)
        rows_as_json = f"coalesce(json_agg(t ORDER BY {order})::text, '[]')"
        parts.append(f'(SELECT {rows_as_json} FROM "{table.name}" t) AS "{table.name}"')
    return text("SELECT " + ", ".join(parts))


def _count(table_rows) -> int:
    return len(json.loads(table_rows)) if isinstance(table_rows, str) else len(table_rows)


def changes(before: dict, after: dict) -> str:
    changed = [name for name in before if before[name] != after.get(name)]
    return ", ".join(f"{name} ({_count(before[name])} -> {_count(after[name])} rows)" for name in changed)


def short(value) -> str:
    if isinstance(value, FileStorage):
        data = value.stream.getvalue()
        return f"file {value.filename!r}, {len(data)} bytes: {data[:40]!r}"
    if isinstance(value, str) and len(value) > 40:
        return f"{value[:20]!r}... ({len(value)} characters)"
    return repr(value)[:120]


def describe(error: BaseException) -> tuple[str, str]:
    """What was raised, and where in the app's own code; when it was raised while handling
    another exception (the error page failing after a failed flush), that one too, and its
    place names the bug."""
    parts, where = [], type(error).__name__
    while error is not None and len(parts) < 3:
        text = traceback.format_exception_only(type(error), error)[-1].strip().splitlines()[0][:200]
        ours = [f for f in traceback.extract_tb(error.__traceback__) if "/community/" in f.filename]
        if ours:
            path = "community/" + ours[-1].filename.rsplit("/community/", 1)[1]
            where = f"{path}:{ours[-1].lineno}, in {ours[-1].name}"
            text += f" ({where})"
        parts.append(text)
        error = error.__context__
    return " <- while handling: ".join(parts), where


class ErrorLog(logging.Handler):
    """Errors logged while a request ran: the 500 handler logs "Unhandled error" here."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class Fuzzer:
    """One role's browser in a fresh world: finds the forms, sends them values, judges the answers.

    Use it as a context manager: inside, errors logged anywhere are seen.
    """

    def __init__(self, app, role: str):
        self.app, self.role = app, role
        self.adapter = app.url_map.bind("localhost")
        self.errors = ErrorLog()
        self.failures: dict[tuple, str] = {}  # (endpoint, what went wrong) -> the message
        self.failed = 0  # failing requests, shrinking included
        self.statuses: Counter[int] = Counter()  # of the fuzzed requests
        self.probed: set[tuple[str, str]] = set()  # (endpoint, control) given its probe
        self.build(reset=False)

    def __enter__(self) -> Fuzzer:
        logging.getLogger().addHandler(self.errors)
        return self

    def __exit__(self, *exc) -> None:
        logging.getLogger().removeHandler(self.errors)

    def run(self) -> dict[tuple, tuple[str, dict]]:
        """Find the forms, then give each, in a world as it was built, its probes and its examples."""
        found = self.discover()
        for signature, page in found.items():
            self.ensure_fresh()
            url = self.url(page)
            same = [form for form in self.forms_on(url) if self.signature(form) == signature]
            assert same, f"the form for {signature[0]} is no longer on {url} in a fresh world"
            self.probe(same[0])
            self.fuzz(same[0])
        return found

    # -- the world and the role's browser ------------------------------------------------

    def build(self, *, reset: bool = True) -> None:
        if reset:
            reset_database()
        self.world = build_world(self.app)
        db.session.remove()  # no transaction of the test's own stays open while requests run
        self.new_client()
        if self.role != "visitor":
            self.client.login(EMAILS[self.role])
        self.baseline = snapshot()
        self.baseline_rows = rows()

    def new_client(self) -> None:
        self.app.test_client_class = Client
        self.client = self.app.test_client()
        self.csrf = self.client.csrf_token()

    def ensure_fresh(self) -> None:
        """Put the world back as it was built if the last form changed it (every row, in a few
        statements), or build it again if the form ended the role's session."""
        if snapshot() != self.baseline:
            with db.engine.begin() as conn:
                for table in reversed(db.metadata.sorted_tables):
                    conn.execute(table.delete())
                for table in db.metadata.sorted_tables:
                    names = table.columns.keys()
                    if kept := self.baseline_rows[table.name]:
                        conn.execute(table.insert(), [dict(zip(names, row, strict=True)) for row in kept])
        if not self.still_the_role():
            self.build()

    def still_the_role(self) -> bool:
        """Signed in as the role (a reset link or a log-out changes who the browser is), or out."""
        account = self.client.get("/account")
        if self.role == "visitor":
            return account.status_code != 200
        return account.status_code == 200 and EMAILS[self.role] in account.get_data(as_text=True)

    # -- finding the forms ---------------------------------------------------------------

    def pages(self) -> list[tuple[str, dict]]:
        """(endpoint, values) for every GET rule the world can fill; fails on one it cannot."""
        pages, unfilled = [], []
        for rule in self.app.url_map.iter_rules():
            if "GET" not in rule.methods or rule.endpoint in SKIP_PAGES:
                continue
            names = sorted(rule.arguments - {"token"})
            options = [self.world.candidates(rule.endpoint, name) for name in names]
            if any(not values for values in options) or (
                "token" in rule.arguments and not self.world.candidates(rule.endpoint, "token")
            ):
                unfilled.append(f"{rule.rule} ({rule.endpoint})")
                continue
            pages += [(rule.endpoint, dict(zip(names, combo, strict=True))) for combo in product(*options)]
        assert not unfilled, (
            "The fuzzer cannot fill these GET rules; add their values to tests/fuzz/world.py "
            f"or the page to SKIP_PAGES with a reason: {unfilled}"
        )
        return pages

    def url(self, page: tuple[str, dict]) -> str:
        endpoint, values = page
        token = self.world.candidates(endpoint, "token")
        return self.adapter.build(endpoint, {**values, **({"token": token[0]} if token else {})})

    def signature(self, form: Form) -> tuple:
        """The form wherever it is found: its endpoint and controls, and which of several actions
        (approve, decline...) its address names; not the ids or tokens in it."""
        endpoint, values = self.endpoint_of(form)
        variant = [value for name, value in sorted(values.items()) if name in ACTION_VARIABLES]
        return form.signature(":".join([endpoint, *variant]))

    def endpoint_of(self, form: Form) -> tuple[str, dict]:
        try:
            return self.adapter.match(urlsplit(form.action).path, method=form.method.upper())
        except HTTPException as error:
            return f"<{error.code} {form.method.upper()} {form.action}>", {}

    def forms_on(self, url: str) -> list[Form]:
        self.errors.records.clear()
        response = self.client.get(url)
        self.check(response, f"GET {url}", self.adapter.match(url)[0])
        if response.status_code != 200 or response.mimetype != "text/html":
            return []
        return parse_forms(response.get_data(as_text=True), url)

    def discover(self) -> dict[tuple, tuple[str, dict]]:
        """Each distinct form (signature -> the page it was first found on)."""
        found: dict[tuple, tuple[str, dict]] = {}
        for page in self.pages():
            for form in self.forms_on(self.url(page)):
                if self.endpoint_of(form)[0] not in SKIP_FORMS:
                    found.setdefault(self.signature(form), page)
        return found

    # -- sending -------------------------------------------------------------------------

    def fail(self, key: tuple, message: str) -> str:
        """Keep one message per distinct failure: the first in a survey, else the last (shrunk) one."""
        if SURVEY:
            self.failures.setdefault(key, message)
        else:
            self.failures[key] = message
        self.failed += 1
        return message

    def check(self, response, what: str, endpoint: str, detail: str = "") -> str | None:
        """A 500 or a logged error is a failure; the exception logged says which."""
        record = self.errors.records[0] if self.errors.records else None
        if response.status_code < 500 and record is None:
            return None
        error = record.exc_info[1] if record is not None and record.exc_info else None
        if error is not None:
            summary, where = describe(error)
            key = (endpoint, where)
        else:
            summary = record.getMessage() if record is not None else "nothing logged"
            key = (endpoint, summary)
        return self.fail(key, f"{what} answered {response.status_code}: {summary}{detail}")

    def submit(self, form: Form, action: str, pairs: MultiDict):
        """Send the values as a browser would (the body encoded here: see upload() in test_import_flow)."""
        if form.method != "post":
            query = urlencode(list(pairs.items(multi=True)))
            return self.client.get(urlsplit(action).path, query_string=query)
        if form.multipart:
            boundary, body = encode_multipart(pairs)
            content_type = f"multipart/form-data; boundary={boundary}"
        else:
            body = urlencode(list(pairs.items(multi=True))).encode()
            content_type = "application/x-www-form-urlencoded"
        return self.client.post(action, data=body, content_type=content_type)

    def send(self, form: Form, action: str, values: dict[str, object]) -> str | None:
        """Submit the form; a description of what went wrong, or None."""
        pairs = MultiDict()
        if "csrf_token" in form.fields:
            pairs.add("csrf_token", self.csrf)
        for name, value in values.items():
            for one in [] if value is OMIT else value if isinstance(value, list) else [value]:
                pairs.add(name, one)
        mutated = [f"    {n} = {short(v)}" for n, v in values.items() if v != plausible(form.fields[n])]
        detail = "\n" + "\n".join(mutated or ["    (every control as the page filled it)"])
        what = f"{self.role}: {form.method.upper()} {action}"
        endpoint = self.endpoint_of(form)[0]
        before = snapshot()
        self.errors.records.clear()
        try:
            response = self.submit(form, action, pairs)
        except Exception as error:  # an error in after_request reaches the test client in testing
            text, where = describe(error)
            return self.fail((endpoint, where), f"{what} raised {text}{detail}")
        self.statuses[response.status_code] += 1
        problem = self.check(response, what, endpoint, detail)
        if problem is None and response.status_code >= 400 and (changed := changes(before, snapshot())):
            message = f"{what} answered {response.status_code} but changed {changed}{detail}"
            problem = self.fail((endpoint, "changed"), message)
        refused = CSRF_REFUSED in response.get_data(as_text=True)
        assert not refused, f"{what}: the site refused the fuzzer's CSRF token, so nothing was tested"
        if self.role == "visitor" and response.status_code < 400:
            self.new_client()  # a visitor stays a visitor, even after a log-in that worked
        elif response.status_code < 400:
            self.csrf = self.client.csrf_token()  # a log-in or a new password starts a new session
        return problem

    def probe(self, form: Form) -> None:
        """The sharpest value of its kind in each control in turn, the others as the page has
        them: a big form's 40 controls are too many for chance to find the one that breaks."""
        endpoint = self.endpoint_of(form)[0]
        base = {f.name: plausible(f) for f in form if f.name != "csrf_token"}
        for name, value in probes(form):
            if (endpoint, name) not in self.probed:
                self.probed.add((endpoint, name))
                self.send(form, form.action, {**base, name: value})

    def fuzz(self, form: Form) -> None:
        """One Hypothesis run for one form: hostile values in its controls and in its ids."""
        endpoint, ids = self.endpoint_of(form)
        int_ids = sorted(name for name, value in ids.items() if isinstance(value, int))
        query = f"?{urlsplit(form.action).query}" if urlsplit(form.action).query else ""
        fillable = [f for f in form if f.name != "csrf_token"]
        typed = [f for f in fillable if f.kind not in FIXED_KINDS]  # where a person types or uploads
        examples = (EXAMPLES * 2 if len(fillable) > 10 else EXAMPLES) if typed else max(2, EXAMPLES // 3)

        @settings(FUZZ_SETTINGS, max_examples=examples)
        @given(st.data())
        def run(data):
            random.seed()  # Hypothesis fixes the global random per example: Message-IDs would repeat
            action = form.action
            if int_ids and data.draw(st.integers(0, 3), label="hostile id?") == 3:
                name = data.draw(st.sampled_from(int_ids), label="id")
                action = self.adapter.build(endpoint, {**ids, name: data.draw(st.sampled_from(HOSTILE_IDS))})
                action += query
            problem = self.send(form, action, data.draw(filled(form), label="values"))
            assert problem is None or SURVEY, problem

        failed = self.failed
        try:
            run()
        except Exception:
            if self.failed == failed:  # not a failure of the site's: of the fuzzer's, or Hypothesis's
                raise
