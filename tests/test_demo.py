"""The demo a newcomer sees with `make run`."""

from sqlalchemy import func, select

from community.auth.models import User
from community.communities.models import Community, JoinPolicy, Membership, MembershipStatus, Role
from community.core.models import utcnow
from community.demo.cli import DEMO_LOGINS, DEMO_PASSWORD
from community.demo.scale import REUNION_TITLE
from community.engagement.models import CatchUpNote
from community.engagement.parts import events_to_join
from community.engagement.progress import goal_progress
from community.engagement.queries import connection_states
from community.events.models import Event, EventKind, EventStatus
from community.insights import dashboard
from community.members.models import Profile
from community.members.search import profile_ids_matching
from community.rsvps.models import RSVP, RSVPStatus


def count(db, query):
    return db.session.scalar(select(func.count()).select_from(query.subquery()))


def test_demo_loads_once_and_its_printed_logins_work(app, db, client):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["demo"])
    second = runner.invoke(args=["demo"])

    assert first.exit_code == 0, first.output
    assert "Demo logins (password for all: roundtable-demo)" in first.output
    assert "new: 0 accounts, 0 communities, 0 events" in second.output
    assert db.session.scalar(select(func.count(User.id))) >= 150
    assert "Olu Organizer: owns all three communities and organizes their events" in first.output
    roles = {  # what the printout says each login is for
        email: sorted(
            db.session.scalars(
                select(Membership.role)
                .join(User)
                .where(User.email == email, Membership.status == MembershipStatus.ACTIVE)
            )
        )
        for email, *_ in DEMO_LOGINS
    }
    assert roles == {
        "admin@example.org": [],
        "organizer@example.org": [Role.OWNER] * 3,
        "member@example.org": [Role.MEMBER] * 3,
    }
    for email, name, purpose, _ in DEMO_LOGINS:
        assert f"  {email:<22} {name}: {purpose}\n" in first.output
        client.login(email, DEMO_PASSWORD)  # asserts the redirect of a successful log in
        client.logout()


def test_demo_has_the_three_kinds_of_community_with_cohorts_and_profiles(app, db):
    app.test_cli_runner().invoke(args=["demo"])

    communities = {c.slug: c for c in db.session.scalars(select(Community))}
    assert set(communities) == {"northfield-alumni", "product-circle", "launchpad-cohort-12"}
    assert {c.join_policy for c in communities.values()} == set(JoinPolicy)
    alumni = communities["northfield-alumni"]
    active = select(Membership).where(
        Membership.community_id == alumni.id, Membership.status == MembershipStatus.ACTIVE
    )
    assert count(db, active) >= 100
    cohorts = set(db.session.scalars(select(Membership.cohort).where(Membership.community_id == alumni.id)))
    assert "Class of 2014" in cohorts
    owners = select(Membership).where(Membership.community_id == alumni.id, Membership.role == Role.OWNER)
    assert count(db, owners) == 1
    pending = select(Membership).where(Membership.status == MembershipStatus.PENDING)
    assert count(db, pending) >= 1
    profiles = select(Profile).where(Profile.headline != "")
    assert count(db, profiles) >= 150


def test_demo_scale_generates_searchable_members_for_benchmarks(app, db):
    result = app.test_cli_runner().invoke(args=["demo", "--scale", "500"])

    assert result.exit_code == 0, result.output
    assert "new: 500 accounts" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 500
    community = db.session.scalar(select(Community).where(Community.slug == "scale-test"))
    members = select(Membership).where(Membership.community_id == community.id)
    assert count(db, members) == 500
    matches = profile_ids_matching(db.engine.dialect.name, "search_members", ["python"])
    assert count(db, matches) > 0


def test_demo_scale_adds_events_in_proportion_and_a_reunion_everyone_is_going_to(app, db, client):
    result = app.test_cli_runner().invoke(args=["demo", "--scale", "500"])
    again = app.test_cli_runner().invoke(args=["demo", "--scale", "500"])

    assert result.exit_code == 0, result.output
    assert "new: 0 accounts, 0 events, 0 RSVPs" in again.output
    events = list(db.session.scalars(select(Event)))
    assert len(events) == 10  # one per 50 members
    reunion = next(e for e in events if e.title == REUNION_TITLE)
    going = select(RSVP).where(RSVP.event_id == reunion.id, RSVP.status == RSVPStatus.GOING)
    assert count(db, going) == 499  # everyone but the organizer (500 from 501 members on)
    client.login("person2@scale.example.org", DEMO_PASSWORD)
    page = client.get(f"/c/scale-test/events/{reunion.id}").get_data(as_text=True)
    assert "499 going" in page and "101 seats left" in page
    client.logout()
    client.login("person1@scale.example.org", DEMO_PASSWORD)
    rsvp_list = client.get(f"/c/scale-test/manage/events/{reunion.id}/rsvps")
    assert rsvp_list.status_code == 200


def test_demo_scale_can_make_a_community_with_a_thousand_events_in_its_feed(app, db, client):
    result = app.test_cli_runner().invoke(args=["demo", "--scale", "50", "--events", "1000"])

    assert result.exit_code == 0, result.output
    feed = client.get("/c/scale-test/calendar.ics")
    assert feed.status_code == 200
    assert feed.get_data(as_text=True).count("BEGIN:VEVENT") == 1000


def test_demo_has_past_and_upcoming_events_a_series_and_a_waitlist(app, db, client):
    result = app.test_cli_runner().invoke(args=["demo"])
    now = utcnow()

    events = list(db.session.scalars(select(Event)))
    assert any(e.ends_at < now for e in events) and any(e.starts_at > now for e in events)
    series = [e for e in events if e.series_id is not None]
    assert len(series) == 8 and {e.kind for e in series} == {EventKind.ROUNDTABLE}
    assert any(e.all_day and e.kind == EventKind.REUNION for e in events)
    full = next(e for e in events if e.title.startswith("Pricing roundtable"))
    statuses = [r.status for r in db.session.scalars(select(RSVP).where(RSVP.event_id == full.id))]
    assert statuses.count(RSVPStatus.GOING) == full.capacity == 12
    assert statuses.count(RSVPStatus.WAITLISTED) == 6
    assert count(db, select(RSVP).where(RSVP.checked_in_at.is_not(None))) > 0

    # Two years of the alumni association's events, for every Insights chart and "Drifting away".
    assert "21 alumni events of two years" in result.output
    alumni = db.session.scalar(select(Community).where(Community.slug == "northfield-alumni"))
    figures = dashboard.insights(alumni, "24", now)
    assert len(figures.events) >= 20 and (now - figures.events[0].starts_at).days > 22 * 30
    assert all(event.going > 0 for event in figures.events)
    assert any(event.going > event.checked_in for event in figures.events)  # some no-shows
    assert sum(event.newcomers for event in figures.events[-12:]) > 0  # new faces lately
    assert sum(event.returning for event in figures.events) > 0 and any(e.connected for e in figures.events)
    assert len([cohort for cohort in figures.cohorts if cohort.attended]) >= 4
    assert len({month.joined > 0 for month in figures.months}) == 2 and any(m.left for m in figures.months)
    assert sum(month.accepted for month in figures.months) > 0
    assert len(figures.drifting) >= 5 and all(member.earlier_events >= 2 for member in figures.drifting)
    client.login("organizer@example.org", DEMO_PASSWORD)
    page = client.get("/c/northfield-alumni/manage/insights?period=24").get_data(as_text=True)
    assert ">Invite to Career roundtable: careers in public service</th>" in page
    going = page.count('<span class="badge">Going to Career roundtable: careers in public service</span>')
    assert page.count('Invite<span class="visually-hidden">') + going == len(figures.drifting)


def test_demo_admin_page_shows_a_refused_email_to_retry(app, db, client):
    app.test_cli_runner().invoke(args=["demo"])

    client.login("admin@example.org", DEMO_PASSWORD)
    page = client.get("/admin/").get_data(as_text=True)

    assert "old.address@example.net" in page
    assert "5.1.1 Mailbox does not exist" in page
    assert "Retry" in page
    # Site administration: one suspended account, and the admin audit log has entries.
    assert "Sam Spammer" in client.get("/admin/accounts?status=suspended").get_data(as_text=True)
    assert "suspended Sam Spammer" in client.get("/admin/audit").get_data(as_text=True)


def test_demo_events_have_cover_images_and_some_people_photos(app, db, client):
    app.test_cli_runner().invoke(args=["demo"])

    covered = list(db.session.scalars(select(Event).where(Event.cover_content_type.is_not(None))))
    assert {event.kind for event in covered} >= {EventKind.REUNION, EventKind.ROUNDTABLE, EventKind.SOCIAL}
    assert all(event.cover_alt.startswith("Drawing of ") for event in covered)
    reunion = next(event for event in covered if event.kind == EventKind.REUNION)
    served = client.get(f"/c/{reunion.community.slug}/events/{reunion.id}/cover")
    assert (served.status_code, served.mimetype) == (200, "image/jpeg")
    photos = select(Profile).where(Profile.photo_content_type.is_not(None))
    assert count(db, photos) >= 30
    member = db.session.scalar(select(User).where(User.email == "member@example.org"))
    assert db.session.get(Profile, member.id).photo_content_type == "image/jpeg"


def test_demo_gives_mia_two_years_of_history_to_stay_in_touch_with(app, db, client):

    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    again = runner.invoke(args=["demo"])
    now = utcnow()
    mia = db.session.scalar(select(User).where(User.email == "member@example.org"))

    assert "11 past events of Mia's history" in first.output
    assert "0 past events of Mia's history" in again.output
    attended = list(
        db.session.scalars(
            select(Event.starts_at)
            .join(RSVP, RSVP.event_id == Event.id)
            .where(RSVP.user_id == mia.id, RSVP.checked_in_at.is_not(None), Event.ends_at < now)
            .where(Event.status == EventStatus.PUBLISHED)
        )
    )
    assert len(attended) >= 12 and (now - min(attended)).days > 22 * 30  # two years back
    states = connection_states(mia.id, now)
    fading = [state for state in states.values() if state.fading]
    assert len(fading) == 7 and len(states) == 16  # 11 past events' 12 people, 3 + 2 recent, ...
    assert [state.rhythm_months for state in fading if state.rhythm_months] == [3]
    assert db.session.scalar(select(func.count()).select_from(CatchUpNote)) == 2
    assert len(events_to_join(mia.id, [state.other_id for state in fading], now)) >= 2
    progress = goal_progress(mia.id, now)
    assert [(item.goal.kind.value, item.goal.target) for item in progress] == [
        ("attend_events", 1),
        ("new_connections", 2),
    ]
    attend = progress[0]
    assert sum(1 for row in attend.history[:-1] if row.count) >= 4  # a chart with a history

    client.login("member@example.org", DEMO_PASSWORD)
    home = client.get("/").get_data(as_text=True)
    assert "Your upcoming events" in home and "Fading" in home and "Attend events:" in home
    goals = client.get("/me/goals").get_data(as_text=True)
    assert goals.count("<progress") == 2 and "<svg" in goals
