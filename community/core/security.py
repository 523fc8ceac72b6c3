"""Security headers for every response, and the guard against control characters in URLs."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, Response, abort, request

from community.core.text import has_control_characters

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def refuse_control_characters() -> None:
    """A path with NUL or another control character (`/c/%00`) is a 404, one in the query
    string (`?q=%00`) a 400, before any view reads them: PostgreSQL refuses NUL in a query (a
    500), and no link of ours holds any. Form fields are the forms' business (core.forms).

    :raises NotFound, BadRequest:
    """
    if has_control_characters(request.path):
        abort(404)
    if any(has_control_characters(key + value) for key, value in request.args.items(multi=True)):
        abort(400)


def security_headers(config: Mapping) -> list[tuple[str, str]]:
    """The headers every response carries (also those answered before Flask, feeds.conditional)."""
    headers = [
        ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "strict-origin-when-cross-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
    ]
    if config["SESSION_COOKIE_SECURE"]:
        headers.append(("Strict-Transport-Security", "max-age=31536000"))
    return headers


def register_security(app: Flask) -> None:
    app.before_request(refuse_control_characters)

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        for name, value in security_headers(app.config):
            response.headers.setdefault(name, value)
        return response
