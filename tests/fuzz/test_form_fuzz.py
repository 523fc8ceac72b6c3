"""Every form of the site, filled by Hypothesis as an organizer, a member, a signed-in outsider,
a visitor and a site administrator: no input answers 500 (or logs an unhandled error), and a
refused one (4xx) changes nothing in the database, the outbox included.

The forms are found, not listed (see fuzzer.py): each role opens every page of the URL map and
reads its <form> elements, so a new form is fuzzed the day it is added. Each form gets one probe
per control (a NUL, a 64-bit id, the last day of the calendar) and then its own Hypothesis run;
when one changes the world (a valid submission may cancel the event or delete the account) the
world is put back as it was built before the next form.

ROUNDTABLE_FUZZ_EXAMPLES=50 runs more examples per form (15 by default); ROUNDTABLE_FUZZ_SURVEY=1
lists every failure instead of stopping at each form's first.
"""

from __future__ import annotations

import pytest

from tests.fuzz.fuzzer import Fuzzer

ROLES = ["organizer", "member", "outsider", "visitor", "admin"]
#: Forms each role must find: if one is missing, discovery (not the site) is broken.
EXPECTED_FORMS = {
    "organizer": {
        "event_admin.create", "event_admin.edit", "event_admin.cancel", "rsvp_admin.message",
        "rsvp_admin.rsvp_action", "rsvp_admin.scan", "manage.settings", "manage.invitations_page",
        "manage.create_link", "manage.member_action", "manage.transfer", "imports.upload",
        "imports.map_columns", "members.directory",
    },
    "member": {
        "rsvps.rsvp", "rsvps.rsvp_listed", "members.edit_profile", "communities.leave",
        "communities.new", "auth.change_password", "auth.change_email", "auth.delete_account",
        "feeds.include_community_events",
    },
    "outsider": {"communities.join_request", "communities.invitation", "communities.invite_link"},
    "visitor": {"auth.login", "auth.signup", "auth.request_reset", "auth.reset_password", "rsvps.rsvp"},
    "admin": {"admin.retry_mail", "admin.retry_all_mail", "communities.new"},
}  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_no_form_answers_500_or_changes_anything_when_it_refuses(app, backend, role):
    with Fuzzer(app, role) as fuzzer:
        found = fuzzer.run()
    endpoints = {signature[0].split(":")[0] for signature in found}
    missing = EXPECTED_FORMS[role] - endpoints
    assert not missing, f"the {role} found no form for {sorted(missing)}; found {sorted(endpoints)}"
    print(f"{role}: {len(found)} forms, {fuzzer.statuses.total()} requests, statuses {dict(fuzzer.statuses)}")
    accepted = sum(count for status, count in fuzzer.statuses.items() if status < 400)
    assert accepted, "no form was ever accepted: the fuzzer's sensible values are not"
    assert not fuzzer.failures, f"{len(fuzzer.failures)} distinct failures:\n\n" + "\n\n".join(
        fuzzer.failures.values()
    )
