"""The Tables tab (making, re-planning, restoring, publishing, printing, the CSV) and what
attendees see of a published plan on the event page and their ticket."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from community.events.models import EventKind
from community.extensions import db
from community.members.models import Profile
from community.tables import queries
from community.tables.models import TablePlan
from tests.conftest import outbox_messages
from tests.factories import create_community, create_event, create_membership, create_rsvp, create_user


def tab(roundtable) -> str:
    return f"/c/northfield/manage/events/{roundtable.event.id}/tables"


def make(client, roundtable, **values):
    data = {"arrange": "size", "table_size": "3", "rounds": "3", "seated": "going", **values}
    return client.submit(tab(roundtable), data, follow_redirects=True)


def plans() -> int:
    return db.session.scalar(select(func.count(TablePlan.id)))


def test_an_organizer_makes_a_plan_and_sees_its_grid_and_report(client, roundtable):
    client.login("org@example.org")
    empty = client.get(tab(roundtable)).get_data(as_text=True)
    assert "No plan yet." in empty and "Make plan" in empty

    page = make(client, roundtable).get_data(as_text=True)

    assert "Plan made: Everyone meets 6 new people; no one sits with the same person twice." in page
    assert "Round 3" in page and "Table 4" in page
    for person in roundtable.people:
        assert page.count(f"<li>{person.name}</li>") == 3  # once a round
    assert "Not published" in page
    assert plans() == 1


def test_bad_settings_show_a_message_and_make_nothing(client, roundtable):
    client.login("org@example.org")
    too_big = make(client, roundtable, table_size="13", rounds="2")
    assert too_big.status_code == 422
    assert "A table of 13 is larger than the 12 people to seat." in too_big.get_data(as_text=True)
    too_many = make(client, roundtable, rounds="9")
    assert too_many.status_code == 422 and "Between 1 and 8 rounds." in too_many.get_data(as_text=True)
    no_size = make(client, roundtable, arrange="count", table_count="")
    assert "Say how many tables there are." in no_size.get_data(as_text=True)
    superscript = make(client, roundtable, arrange="named", named_tables="Window: \u00b2")
    assert superscript.status_code == 422
    assert "Line 1: write a name, a colon and the seats" in superscript.get_data(as_text=True)
    assert plans() == 0


def test_replan_restore_and_replan_from_a_round(client, roundtable):
    client.login("org@example.org")
    make(client, roundtable)
    first = queries.current_plan(roundtable.event)
    first_round = queries.rounds_of(first)[0]

    again = client.submit(f"{tab(roundtable)}/replan", follow_redirects=True).get_data(as_text=True)
    assert "New plan made (the one before is kept below)" in again and "Restore" in again
    assert plans() == 2

    restored = client.submit(f"{tab(roundtable)}/plans/{first.id}/restore", follow_redirects=True)
    assert "That plan is the current one again." in restored.get_data(as_text=True)
    db.session.expire_all()
    assert queries.current_plan(roundtable.event).id == first.id

    from_two = client.submit(f"{tab(roundtable)}/replan-from", {"from_round": "2"}, follow_redirects=True)
    assert "Re-planned from round 2" in from_two.get_data(as_text=True)
    db.session.expire_all()
    latest = queries.current_plan(roundtable.event)
    assert latest.kept_rounds == 1 and queries.rounds_of(latest)[0] == first_round

    refused = client.submit(f"{tab(roundtable)}/replan-from", {"from_round": "7"}, follow_redirects=True)
    assert "Choose a round from 2 to 3 to re-plan from." in refused.get_data(as_text=True)
    assert plans() == 3


def test_older_plans_are_compared_side_by_side_and_viewed_before_restoring(client, roundtable):
    client.login("org@example.org")
    make(client, roundtable, rounds="2")
    first = queries.current_plan(roundtable.event)
    make(client, roundtable, rounds="6")  # more rounds than 12 people at tables of 3 allow
    latest = queries.current_plan(roundtable.event)
    assert latest.report["repeats"] > 0 == first.report["repeats"]

    listed = client.get(tab(roundtable)).get_data(as_text=True)
    history = listed[listed.index("All plans") :]
    assert "Repeated pairs" in history and "New people each" in history
    assert history.count("<tr>") == 3  # the header and one row per plan
    assert f">{latest.report['repeats']}</td>" in history and "current" in history

    shown = client.get(f"{tab(roundtable)}/plans/{first.id}")
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "Older plan" in page and "Restore this plan" in page
    assert "This plan compared with the current one" in page
    row = page[page.index("Repeated pairs") :]
    # this plan's figure first, then the current one's
    assert row.index(">0</td>") < row.index(f">{latest.report['repeats']}</td>")
    for person in roundtable.people:
        assert page.count(f"<li>{person.name}</li>") == 2  # its own grid: two rounds
    current = client.get(f"{tab(roundtable)}/plans/{latest.id}").get_data(as_text=True)
    assert "This is the current plan." in current and "Restore this plan" not in current
    assert client.get(f"{tab(roundtable)}/plans/{latest.id + 99}").status_code == 404
    client.logout()
    client.login("ana@example.org")
    assert client.get(f"{tab(roundtable)}/plans/{first.id}").status_code == 403


def test_publishing_asks_first_then_emails_everyone_once(client, roundtable):
    client.login("org@example.org")
    make(client, roundtable)
    confirm = client.get(f"{tab(roundtable)}/publish").get_data(as_text=True)
    assert "Publish this table plan?" in confirm and "12 people get an email" in confirm
    assert outbox_messages("tables.published") == []

    done = client.submit(f"{tab(roundtable)}/publish", follow_redirects=True).get_data(as_text=True)
    assert "Published: attendees see their tables, and 12 people were emailed." in done
    again = client.submit(f"{tab(roundtable)}/publish", follow_redirects=True).get_data(as_text=True)
    assert "already published" in again
    assert len(outbox_messages("tables.published")) == 12


def test_attendees_see_their_tables_only_once_published(client, roundtable):
    client.login("org@example.org")
    make(client, roundtable)
    client.logout()
    client.login("ana@example.org")
    event_page = f"/c/northfield/events/{roundtable.event.id}"
    ticket = f"{event_page}/ticket"
    assert "Your tables" not in client.get(event_page).get_data(as_text=True)
    assert "Your tables" not in client.get(ticket).get_data(as_text=True)

    client.logout()
    client.login("org@example.org")
    client.submit(f"{tab(roundtable)}/publish")
    client.logout()
    client.login("ana@example.org")

    plan = queries.current_plan(roundtable.event)
    ana = roundtable.person("Ana")
    mine = queries.your_tables(plan, ana)
    for page in (client.get(event_page).get_data(as_text=True), client.get(ticket).get_data(as_text=True)):
        assert "Your tables" in page
        for row in mine:
            assert row.sentence in page
    assert mine[0].sentence.startswith("Round 1: table ")
    assert len(mine[0].with_names) == 2 and "Ana" not in mine[0].with_names


def test_a_hidden_name_stays_hidden_from_tablemates(client, roundtable):
    bo = roundtable.person("Bo")
    profile = db.session.get(Profile, bo.id)
    profile.visibility = {**profile.visibility, "name": "nobody"}
    profile.name_visibility = "nobody"
    db.session.commit()
    client.login("org@example.org")
    make(client, roundtable)
    client.submit(f"{tab(roundtable)}/publish")

    plan = queries.current_plan(roundtable.event)
    for person in roundtable.people:
        if person.id == bo.id:
            continue
        for row in queries.your_tables(plan, person):
            assert "Bo" not in row.with_names
    shared = [
        p
        for p in roundtable.people
        if p.id != bo.id and any(row.hidden for row in queries.your_tables(plan, p))
    ]
    assert shared  # Bo's tablemates see "1 other" in Bo's place
    assert any("1 other" in row.sentence for row in queries.your_tables(plan, shared[0]))
    bo_mail = outbox_messages("tables.published", to="bo@example.org")[0].body_text
    other_mail = outbox_messages("tables.published", to=shared[0].email)[0].body_text
    assert "with Bo" not in other_mail and ", Bo" not in other_mail and "1 other" in other_mail
    assert "Round 1" in bo_mail


def test_the_csv_has_one_row_per_person_per_round_and_is_spreadsheet_safe(client, roundtable):
    roundtable.person("Lu").name = "=HYPERLINK(1)"
    db.session.commit()
    client.login("org@example.org")
    make(client, roundtable)

    response = client.get(f"{tab(roundtable)}.csv")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8-sig")
    assert text.splitlines()[0] == "round,table,name"
    rows = list(csv.reader(io.StringIO(text)))[1:]
    assert len(rows) == 12 * 3
    assert {row[0] for row in rows} == {"1", "2", "3"}
    assert {row[1] for row in rows} == {"Table 1", "Table 2", "Table 3", "Table 4"}
    assert sum(1 for row in rows if row[2] == "Ana") == 3
    assert sum(1 for row in rows if row[2] == "'=HYPERLINK(1)") == 3


def test_a_round_prints_one_block_per_table(client, roundtable):
    client.login("org@example.org")
    make(client, roundtable)
    sheet = client.get(f"{tab(roundtable)}/print?round=2").get_data(as_text=True)
    assert "Product roundtable · Round 2 of 3" in sheet
    assert sheet.count('class="table-print__table"') == 4
    assert sheet.count('class="place-card"') == 12
    assert client.get(f"{tab(roundtable)}/print?round=4").status_code == 404


def test_only_the_events_organizers_reach_the_tab(client, roundtable):
    assert client.get(tab(roundtable)).status_code == 302  # visitors log in first
    client.login("ana@example.org")
    assert client.get(tab(roundtable)).status_code == 403
    assert client.get(f"{tab(roundtable)}.csv").status_code == 403
    assert make(client, roundtable).status_code == 403
    client.logout()
    create_user(email="out@example.org", name="Otto Outsider")
    client.login("out@example.org")
    assert client.get(tab(roundtable)).status_code == 404
    assert client.submit(f"{tab(roundtable)}/publish").status_code == 404
    client.logout()
    other = create_community(create_user(), slug="elsewhere", name="Elsewhere")
    elsewhere = create_event(other, other.memberships[0].user, kind=EventKind.ROUNDTABLE)
    client.login("org@example.org")
    assert client.get(f"/c/northfield/manage/events/{elsewhere.id}/tables").status_code == 404
    assert plans() == 0


def test_an_organizer_pins_someone_and_keeps_two_apart(client, roundtable):
    client.login("org@example.org")
    make(client, roundtable)
    ana, bo = roundtable.person("Ana"), roundtable.person("Bo")
    page = client.get(tab(roundtable)).get_data(as_text=True)
    assert f'<option value="{ana.id}">Ana</option>' in page

    pinned = client.submit(
        f"{tab(roundtable)}/pin",
        {"pin_person": str(ana.id), "pin_round": "1", "pin_table": "2"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Re-planned around your pins" in pinned and "Ana: round 1, Table 2" in pinned
    kept = client.submit(
        f"{tab(roundtable)}/keep",
        {"pair_first": str(ana.id), "pair_second": str(bo.id), "pair_how": "apart"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Ana and Bo apart" in kept
    db.session.expire_all()
    plan = queries.current_plan(roundtable.event)
    rounds = queries.rounds_of(plan)
    assert str(ana.id) in rounds[0][1]
    assert not any({str(ana.id), str(bo.id)} <= set(table) for round_ in rounds for table in round_)

    same = client.submit(
        f"{tab(roundtable)}/keep",
        {"pair_first": str(ana.id), "pair_second": str(ana.id)},
        follow_redirects=True,
    )
    assert "Choose two different people." in same.get_data(as_text=True)
    missing = client.submit(
        f"{tab(roundtable)}/pin",
        {"pin_person": str(ana.id), "pin_round": "1", "pin_table": "9"},
        follow_redirects=True,
    )
    assert "Not a valid choice" in missing.get_data(as_text=True)
    assert plans() == 3


def test_the_tab_and_the_ticket_read_a_fixed_number_of_queries(client, roundtable, count_queries):
    client.login("org@example.org")
    make(client, roundtable)
    client.submit(f"{tab(roundtable)}/publish")

    def statements(path: str) -> int:
        with count_queries() as seen:
            assert client.get(path).status_code == 200
        return len(seen)

    ticket = f"/c/northfield/events/{roundtable.event.id}/ticket"
    small = (statements(tab(roundtable)), statements(f"{tab(roundtable)}.csv"))
    client.logout()
    client.login("ana@example.org")
    small_ticket = statements(ticket)
    for number in range(12):
        person = create_user(email=f"more{number}@example.org", name=f"More {number}")
        create_membership(roundtable.community, person)
        create_rsvp(roundtable.event, person)
    client.logout()
    client.login("org@example.org")
    client.submit(f"{tab(roundtable)}/replan")
    client.submit(f"{tab(roundtable)}/publish")
    assert (statements(tab(roundtable)), statements(f"{tab(roundtable)}.csv")) == small
    client.logout()
    client.login("ana@example.org")
    assert statements(ticket) == small_ticket


def test_named_tables_with_their_own_sizes(client, roundtable):
    client.login("org@example.org")
    page = make(
        client, roundtable, arrange="named", named_tables="Window: 6\nGarden: 4\n\nBar: 2", rounds="2"
    )
    text = page.get_data(as_text=True)
    assert "Plan made" in text and "Window" in text and "Garden" in text
    plan = queries.current_plan(roundtable.event)
    assert plan.table_names == ["Window", "Garden", "Bar"]
    assert [len(table) for table in queries.rounds_of(plan)[0]] == [6, 4, 2]
    again = client.get(tab(roundtable)).get_data(as_text=True)
    assert "Window: 6\nGarden: 4\nBar: 2" in again  # the settings stay filled in
    client.submit(f"{tab(roundtable)}/replan")
    db.session.expire_all()
    assert queries.current_plan(roundtable.event).table_names == ["Window", "Garden", "Bar"]

    for text, message in (
        ("Window six", "Line 1: write a name, a colon and the seats, e.g. “Window: 6”."),
        ("Window: 30", "Line 1: a table seats between 2 and 20."),
        ("Window: 4\nwindow: 4", "Line 2: there is already a table called “window”."),
        ("Window: 4\nBar: 4", "The named tables seat 8, but there are 12 people."),
    ):
        refused = make(client, roundtable, arrange="named", named_tables=text)
        assert refused.status_code == 422
        assert message in refused.get_data(as_text=True)
    assert plans() == 2
