"""Demo communities, memberships with cohorts, and realistic profiles."""

from __future__ import annotations

import random

from sqlalchemy import insert, select

from community.auth.models import User
from community.communities.models import (
    Community,
    CommunityKind,
    JoinPolicy,
    Membership,
    MembershipStatus,
    Role,
)
from community.core.models import utcnow
from community.demo.pictures import demo_photo
from community.extensions import db
from community.members.models import TAG_FIELDS, Profile, ProfileTag
from community.members.services import ensure_profile, refresh_search, set_photo, sync_tags

INDUSTRIES = [
    "Software", "Climate tech", "Healthcare", "Finance", "Education", "Design", "Public sector",
    "Media", "Energy", "Retail", "Biotech", "Nonprofit", "Consulting", "Manufacturing",
]  # fmt: skip
JOBS = [
    ("Product manager", ["product management", "user research", "roadmapping"]),
    ("Data scientist", ["python", "machine learning", "statistics"]),
    ("Software engineer", ["python", "javascript", "cloud infrastructure"]),
    ("UX designer", ["user research", "figma", "accessibility"]),
    ("Founder", ["fundraising", "hiring", "go-to-market"]),
    ("Policy advisor", ["public policy", "writing", "stakeholder management"]),
    ("Investment analyst", ["financial modelling", "due diligence", "climate finance"]),
    ("Teacher", ["curriculum design", "mentoring", "public speaking"]),
    ("Physician", ["clinical research", "public health", "mentoring"]),
    ("Marketing lead", ["brand strategy", "content marketing", "analytics"]),
    ("Engineering manager", ["team leadership", "hiring", "cloud infrastructure"]),
    ("Sustainability consultant", ["carbon accounting", "ESG reporting", "energy transition"]),
]  # fmt: skip
ORGANISATIONS = [
    "Northwind Labs", "Helios Energy", "Brightpath Health", "Fernwood Capital", "Open Civic",
    "Tidewater Analytics", "Juniper Studio", "Cobalt Robotics", "Meridian Schools", "Lumen Bio",
    "Greenline Mobility", "Atlas Insurance", "Kestrel Media", "Harbor Foods",
]  # fmt: skip
PLACES = [
    ("London", "United Kingdom"), ("Berlin", "Germany"), ("Lagos", "Nigeria"), ("Toronto", "Canada"),
    ("New York", "United States"), ("São Paulo", "Brazil"), ("Bengaluru", "India"), ("Tokyo", "Japan"),
    ("Stockholm", "Sweden"), ("Nairobi", "Kenya"), ("Madrid", "Spain"), ("Melbourne", "Australia"),
]  # fmt: skip
INTERESTS = [
    "climate", "running", "jazz", "chess", "photography", "cooking", "hiking", "board games",
    "poetry", "cycling", "open source", "volunteering", "mentoring", "languages",
]  # fmt: skip
CAN_HELP = [
    "reviewing CVs", "moving into product management", "first-time fundraising",
    "getting started in data science", "relocating to Berlin", "public speaking practice",
    "negotiating a job offer", "breaking into climate tech", "hiring your first engineers",
    "applying to graduate school",
]  # fmt: skip
LOOKING_FOR = [
    "a mentor in product management", "co-founder for a climate startup", "advice on a career change",
    "people to run with on Sundays", "introductions to impact investors", "a design critique group",
    "data science study partners", "contacts in healthcare policy", "a job in renewable energy",
]  # fmt: skip

DEMO_COMMUNITIES = [
    {
        "slug": "northfield-alumni",
        "name": "Northfield University Alumni Association",
        "tagline": "Staying connected since the Class of 1962",
        "kind": CommunityKind.ALUMNI,
        "timezone": "America/New_York",
        "join_policy": JoinPolicy.APPROVAL,
        "join_question": "Which year did you graduate, and what did you study?",
        "description": (
            "The home of **Northfield graduates** everywhere.\n\n"
            "We run class reunions every five years, monthly career roundtables, and city chapters "
            "from London to Lagos. Find classmates in the directory, and tell us what you can help with."
        ),
        "cohorts": [f"Class of {year}" for year in range(2004, 2024, 2)],
        "share": 0.7,
    },
    {
        "slug": "product-circle",
        "name": "Product Circle",
        "tagline": "Product people helping product people",
        "kind": CommunityKind.PROFESSIONAL,
        "timezone": "Europe/Berlin",
        "join_policy": JoinPolicy.OPEN,
        "join_question": "Tell us who you are",
        "description": (
            "A professional club for product managers, designers and engineers.\n\n"
            "- Roundtables on discovery, pricing and leadership\n- Peer mentoring circles\n"
            "- A directory of people who can help you move into product"
        ),
        "cohorts": ["Founding members", "2025 intake", "2026 intake"],
        "share": 0.45,
    },
    {
        "slug": "launchpad-cohort-12",
        "name": "Launchpad Bootcamp · Cohort 12",
        "tagline": "Twelve weeks of code, a lifetime of friends",
        "kind": CommunityKind.OTHER,
        "timezone": "Europe/London",
        "join_policy": JoinPolicy.INVITATION,
        "join_question": "Tell us who you are",
        "description": "Graduates of the Launchpad web development bootcamp, Cohort 12 (spring 2025).",
        "cohorts": ["Cohort 12"],
        "share": 0.2,
    },
]


def fill_profile(profile: Profile, rng: random.Random) -> None:
    job, skills = rng.choice(JOBS)
    city, country = rng.choice(PLACES)
    organisation = rng.choice(ORGANISATIONS)
    profile.job_title = job
    profile.organisation = organisation
    profile.headline = f"{job} at {organisation}"
    profile.industry = rng.choice(INDUSTRIES)
    profile.city, profile.country = city, country
    profile.skills = rng.sample(skills, k=rng.randint(2, 3))
    profile.interests = rng.sample(INTERESTS, k=rng.randint(1, 3))
    profile.can_help_with = rng.sample(CAN_HELP, k=rng.randint(0, 2))
    profile.looking_for = rng.sample(LOOKING_FOR, k=rng.randint(0, 2))
    profile.bio = f"{job} based in {city}. Happy to chat about {profile.skills[0]}."
    if rng.random() < 0.25:  # some people keep things to themselves
        profile.visibility = {"organisation": "nobody", "location": "nobody"}
    elif rng.random() < 0.3:  # and some are happy to be found by anyone
        profile.visibility = {field: "everyone" for field in ("name", "headline", "industry", "skills")}


def load_demo_communities(logins: dict[str, User], crowd: list[User]) -> int:
    """Create the demo communities once; returns how many were new."""
    rng = random.Random(12)
    created = 0
    organizer, member, admin = logins["organizer"], logins["member"], logins["admin"]
    for spec in DEMO_COMMUNITIES:
        if db.session.scalar(select(Community).where(Community.slug == spec["slug"])) is not None:
            continue
        community = Community(
            slug=spec["slug"],
            name=spec["name"],
            tagline=spec["tagline"],
            description=spec["description"],
            kind=spec["kind"],
            timezone=spec["timezone"],
            join_policy=spec["join_policy"],
            join_question=spec["join_question"],
            created_by_id=organizer.id,
        )
        db.session.add(community)
        db.session.flush()
        created += 1
        now = utcnow()
        roles = {organizer.id: Role.OWNER, member.id: Role.MEMBER}
        if spec["slug"] == "product-circle":
            roles[admin.id] = Role.ORGANIZER
        people = [organizer, member] + [u for u in crowd if rng.random() < spec["share"]]
        for person in people:
            db.session.add(
                Membership(
                    community_id=community.id,
                    user_id=person.id,
                    role=roles.get(person.id, Role.ORGANIZER if rng.random() < 0.03 else Role.MEMBER),
                    status=MembershipStatus.ACTIVE,
                    cohort=rng.choice(spec["cohorts"]),
                    joined_at=now,
                    requested_at=now,
                )
            )
        if spec["join_policy"] == JoinPolicy.APPROVAL:  # a few requests waiting for an organizer
            outsiders = [u for u in crowd if u not in people][:3]
            for person in outsiders:
                db.session.add(
                    Membership(
                        community_id=community.id,
                        user_id=person.id,
                        status=MembershipStatus.PENDING,
                        join_answer="Class of 2016, economics. I'd love to help with the London chapter.",
                    )
                )
    db.session.flush()
    photos = random.Random(5)
    for number, person in enumerate([*logins.values(), *crowd]):
        profile = ensure_profile(person)
        if not profile.headline:
            fill_profile(profile, rng)
            sync_tags(profile)
            refresh_search(profile)
            if person in logins.values() or number % 4 == 0:  # a photo for the logins and some others
                set_photo(profile, demo_photo(photos))
    db.session.flush()
    return created


def load_scale_community(users: list[tuple[int, str]], rng: random.Random) -> int:
    """Bulk: one big community with all `users` (id, name) as members, each with a profile;
    the first user owns it (and organizes its events). Returns the community's id."""
    community = db.session.scalar(select(Community).where(Community.slug == "scale-test"))
    if community is None:
        community = Community(
            slug="scale-test", name="Scale Test Alumni", kind=CommunityKind.ALUMNI, directory_public=False
        )
        db.session.add(community)
        db.session.flush()
    existing = set(
        db.session.scalars(select(Membership.user_id).where(Membership.community_id == community.id))
    )
    now = utcnow()
    memberships, profiles, tags = [], [], []
    owner_id = users[0][0] if users else None
    for user_id, name in users:
        if user_id in existing:
            continue
        # A detached stand-in user, so refresh_search can read the name without a query.
        profile = Profile(user_id=user_id, user=User(id=user_id, name=name))
        fill_profile(profile, rng)
        refresh_search(profile)
        memberships.append(
            {
                "community_id": community.id,
                "user_id": user_id,
                "role": Role.OWNER if user_id == owner_id else Role.MEMBER,
                "status": MembershipStatus.ACTIVE,
                "cohort": f"Class of {rng.randint(1990, 2025)}",
                "joined_at": now,
                "requested_at": now,
            }
        )
        profiles.append(
            {
                column: getattr(profile, column)
                for column in (
                    "user_id", "headline", "bio", "city", "country", "organisation", "job_title",
                    "industry", "skills", "interests", "can_help_with", "looking_for", "visibility",
                    "name_visibility", "search_members", "search_public",
                )
            }
            | {"links": [], "created_at": now, "updated_at": now}
        )  # fmt: skip
        for kind, values in (("skill", profile.skills), ("interest", profile.interests)):
            level = profile.visibility_of(TAG_FIELDS[kind]).value
            tags.extend(
                {"user_id": user_id, "kind": kind, "tag": value.lower(), "level": level}
                for value in set(values)
            )
    for rows, model in ((memberships, Membership), (profiles, Profile), (tags, ProfileTag)):
        for start in range(0, len(rows), 2000):
            db.session.execute(insert(model), rows[start : start + 2000])
    return community.id
