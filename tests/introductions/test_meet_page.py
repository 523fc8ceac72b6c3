"""The "Meet people" page: who may see it, opting in and out, suggestions, asking for an
introduction, the event page's card, and a query count that does not grow with the event."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from community.events.models import EventVisibility
from community.extensions import db
from community.introductions import optins, requests
from community.introductions.models import Introduction, IntroductionStatus, OptIn, TopicSide
from community.members.models import Profile
from tests.conftest import outbox_messages
from tests.factories import create_event, create_membership, create_rsvp, create_user
from tests.introductions.bulk import bulk_opted_in, text


def meet_url(world, event=None) -> str:
    event = event or world.event
    return f"/c/{world.community.slug}/events/{event.id}/meet"


def profile(user, **fields) -> None:
    row = db.session.get(Profile, user.id)
    for name, value in fields.items():
        setattr(row, name, value)
    db.session.commit()


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def matched(roundtable):
    """Ana looks for what Bo can help with; both opted in; Cy is going but not opted in."""
    profile(roundtable.ana, looking_for=["Moving into product management"], headline="Engineer at Acme")
    profile(roundtable.bo, can_help_with=["Product management careers"], headline="Head of Product")
    roundtable.opt_in(roundtable.ana, roundtable.bo)
    return roundtable


# -- who sees what ------------------------------------------------------------------------------


def test_a_visitor_is_asked_to_log_in_and_comes_back(client, roundtable):
    response = client.get(meet_url(roundtable))

    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert "Log in to see who to meet at this event" in text(page)
    assert f'href="/login?next={meet_url(roundtable)}"' in unquote(page)


def test_people_who_may_not_see_the_event_get_the_event_pages_answer(client, roundtable):
    members_only = create_event(
        roundtable.community, roundtable.organizer, title="Members supper", visibility=EventVisibility.MEMBERS
    )
    draft = create_event(roundtable.community, roundtable.organizer, title="Draft", publish=False)
    client.login(create_user(email="out@example.org").email)

    for event in (members_only, draft):
        event_page = client.get(f"/c/northfield/events/{event.id}")
        meet_page = client.get(meet_url(roundtable, event))
        assert meet_page.status_code == event_page.status_code
    assert client.get(meet_url(roundtable, draft)).status_code == 404
    assert "Members supper" not in client.get(meet_url(roundtable, members_only)).get_data(as_text=True)


def test_someone_not_going_is_told_how_to_rsvp(client, roundtable):
    stranger = create_membership(roundtable.community, name="Dee", email="dee@example.org").user
    client.login(stranger.email)

    page = client.get(meet_url(roundtable)).get_data(as_text=True)

    assert "Meet people is for people going" in text(page)
    assert f'href="/c/northfield/events/{roundtable.event.id}#rsvp"' in page
    assert 'name="introduce"' not in page


def test_switched_off_introductions_are_explained(client, roundtable):
    roundtable.opt_in(roundtable.ana, roundtable.bo)
    optins.set_enabled(roundtable.event, roundtable.organizer, False)
    db.session.commit()
    client.login("ana@example.org")

    page = text(client.get(meet_url(roundtable)).get_data(as_text=True))

    assert "The organizers have switched introductions off for this event." in page
    assert "Bo" not in page


# -- opting in and out ----------------------------------------------------------------------------


def test_an_attendee_opts_in_with_a_line_and_topics(client, roundtable):
    hiring = optins.add_topic(roundtable.community, roundtable.organizer, "Hiring")
    fundraising = optins.add_topic(roundtable.community, roundtable.organizer, "Fundraising")
    db.session.commit()
    client.login("ana@example.org")
    page = text(client.get(meet_url(roundtable)).get_data(as_text=True))
    assert "Would you like to be introduced?" in page
    assert "I can help with" in page and "I'm looking for" in page and "Fundraising" in page

    response = client.submit(
        meet_url(roundtable) + "/opt-in",
        {"introduce": "y", "talk_about": "Hiring a first designer", "offers": [str(hiring.id)],
         "seeks": [str(fundraising.id)], "next": meet_url(roundtable)},
    )  # fmt: skip

    assert response.status_code == 302 and response.location.endswith(meet_url(roundtable))
    record = db.session.scalar(select(OptIn).where(OptIn.user_id == roundtable.ana.id))
    assert record.talk_about == "Hiring a first designer"
    assert record.topic_ids(TopicSide.OFFERS) == {hiring.id} and record.topic_ids(TopicSide.SEEKS) == {
        fundraising.id
    }
    page = client.get(meet_url(roundtable)).get_data(as_text=True)
    assert "You're open to introductions" in text(page)
    assert "Your introduction settings" in page and "“Hiring a first designer”" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"talk_about": "x" * 201}, "Please keep this to 200 characters."),
        ({"offers": ["999999"]}, "Pick topics from the list"),
        ({"seeks": ["not a number"]}, "Pick topics from the list"),
        ({"talk_about": "two\nlines"}, "Remove the line breaks"),
    ],
)
def test_a_wrong_opt_in_says_why_and_saves_nothing(client, roundtable, data, message):
    optins.add_topic(roundtable.community, roundtable.organizer, "Hiring")
    db.session.commit()
    client.login("ana@example.org")

    response = client.submit(meet_url(roundtable) + "/opt-in", {"introduce": "y", **data})

    assert response.status_code == 422
    assert message in text(response.get_data(as_text=True))
    assert count(OptIn) == 0


def test_the_event_page_card_switches_introductions_on_and_leads_to_the_meet_page(client, roundtable):
    roundtable.opt_in(roundtable.bo, roundtable.cy)
    client.login("ana@example.org")
    event_url = f"/c/northfield/events/{roundtable.event.id}"
    page = text(client.get(event_url).get_data(as_text=True))
    assert "Meet people at this event" in page and "2 people have opted in so far" in page

    response = client.submit(
        meet_url(roundtable) + "/opt-in", {"introduce": "y", "quick": "1", "next": event_url}
    )

    assert response.status_code == 302 and response.location.endswith(event_url)
    assert optins.opt_in_of(roundtable.event, roundtable.ana) is not None
    page = client.get(event_url).get_data(as_text=True)
    assert "2 other people have opted in." in text(page)
    assert f'href="{meet_url(roundtable)}">See who to meet' in page


def test_the_event_page_card_is_only_for_attendees(client, roundtable):
    event_url = f"/c/northfield/events/{roundtable.event.id}"
    assert "Meet people at this event" not in client.get(event_url).get_data(as_text=True)
    client.login(create_membership(roundtable.community, email="dee@example.org").user.email)
    assert "Meet people at this event" not in client.get(event_url).get_data(as_text=True)


def test_next_only_leads_back_to_this_events_pages(client, roundtable):
    client.login("ana@example.org")
    for target in ("https://evil.example/", "//evil.example/", "/admin/"):
        response = client.submit(
            meet_url(roundtable) + "/opt-in", {"introduce": "y", "quick": "1", "next": target}
        )
        assert response.location.endswith(meet_url(roundtable))
    ticket = f"/c/northfield/events/{roundtable.event.id}/ticket"
    response = client.submit(meet_url(roundtable) + "/opt-out", {"next": ticket})
    assert response.location.endswith(ticket)


def test_opting_out_takes_them_out_of_every_suggestion(client, matched):
    client.login("bo@example.org")
    response = client.submit(meet_url(matched) + "/opt-out", {"next": meet_url(matched)})
    assert response.status_code == 302
    assert optins.opt_in_of(matched.event, matched.bo) is None

    client.logout()
    client.login("ana@example.org")
    page = text(client.get(meet_url(matched)).get_data(as_text=True))
    assert "Nobody else has opted in yet" in page and "Bo" not in page


def test_unticking_the_box_opts_out(client, matched):
    client.login("bo@example.org")
    client.submit(meet_url(matched) + "/opt-in", {"talk_about": "anything"})
    assert optins.opt_in_of(matched.event, matched.bo) is None


def test_saving_without_ticking_the_box_changes_nothing(client, roundtable):
    client.login("ana@example.org")

    response = client.submit(
        meet_url(roundtable) + "/opt-in", {"talk_about": "Pricing"}, follow_redirects=True
    )

    assert "Nothing changed: tick “Introduce me to others at this event” to be introduced." in text(
        response.get_data(as_text=True)
    )
    assert count(OptIn) == 0


# -- suggestions --------------------------------------------------------------------------------


def test_suggestions_explain_themselves_in_plain_words(client, matched):
    client.login("ana@example.org")

    html = client.get(meet_url(matched)).get_data(as_text=True)

    assert "Bo can help with <em>Product management careers</em>, which you are looking for" in html
    assert "Head of Product" in html
    assert "Cy" not in text(html)  # going, but not opted in
    assert f'action="{meet_url(matched)}/ask/{matched.bo.id}"' in html


def test_every_form_control_has_its_own_label(client, roundtable):
    optins.add_topic(roundtable.community, roundtable.organizer, "Hiring")
    db.session.commit()
    roundtable.opt_in(roundtable.ana, roundtable.bo, roundtable.cy)
    client.login("ana@example.org")

    html = client.get(meet_url(roundtable)).get_data(as_text=True)

    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    for control in re.findall(r'<(?:textarea|input)(?![^>]*type="hidden")[^>]* id="([^"]+)"', html):
        assert f'for="{control}"' in html


def test_a_hidden_looking_for_gives_no_reason(client, matched):
    profile(matched.ana, visibility={"looking_for": "nobody"})
    client.login("bo@example.org")

    page = text(client.get(meet_url(matched)).get_data(as_text=True))

    assert "Ana" in page
    assert "Moving into product management" not in page
    assert "You can help Ana" not in page


def test_the_best_ten_come_first_and_more_on_request(client, roundtable):
    roundtable.opt_in(roundtable.ana)
    bulk_opted_in(roundtable.event, 14, prefix="guest")
    client.login("ana@example.org")

    first = client.get(meet_url(roundtable)).get_data(as_text=True)
    assert first.count('class="card suggestion"') == 10
    assert "Show more people" in first and "?show=20" in first

    more = client.get(meet_url(roundtable) + "?show=20").get_data(as_text=True)
    assert more.count('class="card suggestion"') == 14
    assert "Show more people" not in more
    assert (
        client.get(meet_url(roundtable) + "?show=nonsense")
        .get_data(as_text=True)
        .count('class="card suggestion"')
        == 10
    )


def test_the_first_to_opt_in_sees_an_empty_state(client, roundtable):
    roundtable.opt_in(roundtable.ana)
    client.login("ana@example.org")

    assert "Nobody else has opted in yet" in text(client.get(meet_url(roundtable)).get_data(as_text=True))


# -- asking ---------------------------------------------------------------------------------------


def test_asking_from_a_suggestion_sends_the_request_with_the_reasons(client, matched):
    client.login("ana@example.org")
    url = f"{meet_url(matched)}/ask/{matched.bo.id}"

    response = client.submit(url, {"note": "I'd love to hear how you moved into product."})

    assert response.status_code == 302
    introduction = db.session.scalar(select(Introduction))
    assert introduction.asker_id == matched.ana.id and introduction.recipient_id == matched.bo.id
    assert "Bo can help with Product management careers, which you are looking for" in introduction.reasons
    (message,) = outbox_messages("introductions.request", to="bo@example.org")
    assert "I'd love to hear how you moved into product." in message.body_text
    page = client.get(response.location).get_data(as_text=True)
    assert "Request sent to Bo." in page
    assert "Waiting for Bo to answer." in text(page)
    assert f'action="{url}"' not in page


def test_a_double_submit_makes_one_request(client, matched):
    client.login("ana@example.org")
    url = f"{meet_url(matched)}/ask/{matched.bo.id}"
    for _ in range(2):
        assert client.submit(url, {"note": "Hello!"}).status_code == 302
    assert count(Introduction) == 1
    assert len(outbox_messages("introductions.request")) == 1


@pytest.mark.parametrize(
    "note, message",
    [
        ("   ", "Add a short note: say why you'd like to meet."),
        ("x" * 501, "Please keep the note to 500 characters."),
    ],
)
def test_a_wrong_note_says_why_keeps_the_text_and_sends_nothing(client, matched, note, message):
    client.login("ana@example.org")

    response = client.submit(f"{meet_url(matched)}/ask/{matched.bo.id}", {"note": note})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in text(page)
    assert f">{note}</textarea>" in page
    assert count(Introduction) == 0 and outbox_messages() == []


def test_a_note_at_the_limit_with_line_breaks_is_accepted(client, matched):
    client.login("ana@example.org")
    note = ("x" * 249 + "\r\n") + "y" * 250  # 500 characters as the text box counts them

    assert client.submit(f"{meet_url(matched)}/ask/{matched.bo.id}", {"note": note}).status_code == 302


def test_asking_someone_not_open_to_introductions_is_refused(client, matched):
    client.login("ana@example.org")

    response = client.submit(f"{meet_url(matched)}/ask/{matched.cy.id}", {"note": "Hi Cy"})

    assert response.status_code == 422
    assert "That person isn't open to introductions at this event." in text(response.get_data(as_text=True))
    assert count(Introduction) == 0
    assert client.submit(f"{meet_url(matched)}/ask/999999", {"note": "Hi"}).status_code == 404


def test_a_visitor_cannot_ask(client, matched):
    response = client.submit(f"{meet_url(matched)}/ask/{matched.bo.id}", {"note": "Hi"})

    assert response.status_code == 401
    assert count(Introduction) == 0


def test_declined_and_accepted_people_show_where_they_stand(client, matched):
    dee = create_membership(matched.community, email="dee@example.org", name="Dee").user
    create_rsvp(matched.event, dee)
    matched.opt_in(dee)
    declined = requests.ask(matched.ana, dee, community=matched.community, event=matched.event, note="Hi Dee")
    requests.decline(declined, dee)
    accepted = requests.ask(
        matched.ana, matched.bo, community=matched.community, event=matched.event, note="Hi"
    )
    requests.accept(accepted, matched.bo)
    db.session.commit()
    assert accepted.status == IntroductionStatus.ACCEPTED
    client.login("ana@example.org")

    html = client.get(meet_url(matched)).get_data(as_text=True)
    page = text(html)

    assert "Not this time" in page
    assert f'action="{meet_url(matched)}/ask/{dee.id}"' not in html
    assert "People you know who are coming" in page
    known = page.split("People you know who are coming", 1)[1]
    assert "Bo" in known and "Connected" in known


def test_someone_who_asked_you_is_answered_from_my_introductions(client, matched):
    requests.ask(matched.bo, matched.ana, community=matched.community, event=matched.event, note="Hi Ana")
    db.session.commit()
    client.login("ana@example.org")

    html = client.get(meet_url(matched)).get_data(as_text=True)

    assert "Wants to meet you" in html and 'href="/me/introductions"' in html


# -- query counts ---------------------------------------------------------------------------------


def test_the_meet_page_runs_the_same_queries_for_5_and_500_opted_in_attendees(
    client, roundtable, count_queries
):
    small = roundtable.event
    large = create_event(roundtable.community, roundtable.organizer, title="Big reunion", kind=small.kind)
    create_rsvp(large, roundtable.ana)
    profile(roundtable.ana, looking_for=["Fundraising"], can_help_with=["Hiring engineers"])
    roundtable.opt_in(roundtable.ana)
    optins.opt_in(large, roundtable.ana)
    db.session.commit()
    bulk_opted_in(small, 5, prefix="few", can_help_with=["Fundraising"], looking_for=["Hiring"])
    bulk_opted_in(large, 500, prefix="many", can_help_with=["Fundraising"], looking_for=["Hiring"])
    client.login("ana@example.org")

    counts = []
    for event in (small, large):
        url = meet_url(roundtable, event)
        client.get(url)  # warm up
        with count_queries() as statements:
            response = client.get(url)
        assert response.status_code == 200
        assert "can help with <em>Fundraising</em>" in response.get_data(as_text=True)
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_people_you_know_who_are_coming_need_not_have_opted_in(client, matched):
    from community.introductions import connections

    friend = create_membership(matched.community, email="fay@example.org", name="Fay Friend").user
    quiet = create_membership(matched.community, email="quinn@example.org", name="Quinn Quiet").user
    create_rsvp(matched.event, friend)
    create_rsvp(matched.event, quiet, listed=False)  # going, but asked not to be listed
    for person in (friend, quiet):
        connections.connect(matched.ana, person, how=connections.MET)
    db.session.commit()
    client.login("ana@example.org")

    page = text(client.get(meet_url(matched)).get_data(as_text=True))

    known = page.split("People you know who are coming", 1)[1]
    assert "Fay Friend" in known
    assert "Quinn Quiet" not in page
