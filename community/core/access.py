"""The one answer, for every feature, when a viewer may not see a page: show it, ask a visitor
to log in, tell a signed-in viewer how to get in, or say there is no such page.

The rule (`decide`):

- Allowed: SHOW.
- Hidden from everyone but its organizers (a draft): NOT_FOUND for everyone else, the same
  answer as for a page that does not exist, logged in or not.
- Otherwise a visitor who is not signed in gets LOG_IN: a page (401) that says what this is,
  as far as that reveals nothing private, with Log in and Sign up buttons whose `next=` comes
  back to the page. Never a blind redirect: the visitor should know why they are asked.
- A signed-in viewer who still may not see it gets FORBIDDEN (403, with the way in: "Join X")
  where the thing's existence is no secret (`Disclosure.EXISTS`: a members-only event of a
  community, which is always public; its list of who's going; a members-only directory): the
  visitor's page already says it exists, so a 404 would hide nothing and only mislead.
  Where the existence itself is private (`Disclosure.LOGIN_ONLY`: a person who shows their
  profile to some people only), the visitor's page is the same for any address, real or not,
  so it tells nothing, and a signed-in viewer gets NOT_FOUND, as for no such person.

401 rather than 200 or 403: the answer depends on who asks, so nothing may take it for the
page (link previews, crawlers, caches), and it says exactly "log in first". The page carries
no WWW-Authenticate challenge because the way to authenticate is the form it links to.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import NoReturn

from flask import abort, make_response, render_template, request
from flask_login import current_user
from werkzeug import Response


class Answer(enum.StrEnum):
    SHOW = "show"
    LOG_IN = "log in"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not found"


class Disclosure(enum.Enum):
    """What a viewer who may not see a thing may learn about it."""

    #: That it exists and whom it is for (a members-only event): 401 for visitors, 403 after.
    EXISTS = "exists"
    #: Only that logging in may show it, said alike for any address: 401 for visitors, 404 after.
    LOGIN_ONLY = "login only"
    #: Nothing (a draft): 404 for everyone who may not see it.
    NOTHING = "nothing"


def decide(allowed: bool, *, signed_in: bool, disclosure: Disclosure) -> Answer:
    """The answer for a viewer who may (`allowed`) or may not see a page (rule: module docstring)."""
    if allowed:
        return Answer.SHOW
    if disclosure is Disclosure.NOTHING:
        return Answer.NOT_FOUND
    if not signed_in:
        return Answer.LOG_IN
    return Answer.FORBIDDEN if disclosure is Disclosure.EXISTS else Answer.NOT_FOUND


@dataclass(frozen=True)
class Prompt:
    """What the refusal page says. Everything in it is shown to people who may not see the
    page, so it must hold nothing private (never a members-only event's title)."""

    #: What the page is, for the heading: "this event" -> "Log in to see this event".
    what: str
    #: One sentence on who may see it: "This event is for members of Northfield Alumni."
    detail: str
    #: The community whose members may see it, and its page (where people ask to join).
    community_name: str = ""
    community_url: str = ""
    #: Whether joining is what it takes (an open directory needs only an account).
    members_only: bool = True
    #: The viewer has asked to join that community and waits for an organizer.
    pending: bool = False
    #: A page the viewer may see instead ("Back to the event"), shown under the answer.
    back_label: str = ""
    back_url: str = ""
    #: Where logging in comes back to; this page's own address when None.
    next_url: str | None = None


def this_page() -> str:
    """The current request's path and query string: a `next=` that comes back here."""
    query = request.query_string.decode("utf-8", "replace")
    return f"{request.path}?{query}" if query else request.path


def heading(answer: Answer, prompt: Prompt) -> str:
    """The refusal page's title: what to do to see the page."""
    if answer is Answer.LOG_IN:
        return f"Log in to see {prompt.what}"
    if prompt.pending:
        return f"Your request to join {prompt.community_name} is waiting"
    if prompt.community_name:
        return f"Join {prompt.community_name} to see {prompt.what}"
    return f"You don't have access to {prompt.what}"


def refusal(answer: Answer, prompt: Prompt) -> Response:
    """The LOG_IN (401) or FORBIDDEN (403) page for `prompt`."""
    status = 401 if answer is Answer.LOG_IN else 403
    html = render_template(
        "core/access_prompt.html",
        heading=heading(answer, prompt),
        signed_in=answer is Answer.FORBIDDEN,
        prompt=prompt,
        next_url=prompt.next_url or this_page(),
    )
    return make_response(html, status)


def require(allowed: bool, disclosure: Disclosure, prompt: Prompt) -> None:
    """Return when the viewer may see the page; otherwise stop the request with the answer.

    :raises HTTPException: the 401 or 403 page, or 404.
    """
    answer = decide(allowed, signed_in=current_user.is_authenticated, disclosure=disclosure)
    if answer is not Answer.SHOW:
        refuse(answer, prompt)


def refuse(answer: Answer, prompt: Prompt) -> NoReturn:
    """:raises HTTPException: 404 for NOT_FOUND, else the page `refusal` renders."""
    if answer is Answer.NOT_FOUND:
        abort(404)
    abort(refusal(answer, prompt))
