"""Who is asking: session cookie or API token; CSRF checks; login rate limiting.

Sessions are signed cookies (Starlette's SessionMiddleware: HttpOnly, SameSite=Lax)
holding the user id and a CSRF token. Every POST form carries the token in a hidden
field ``csrf``; API calls made with the session cookie send it as ``X-CSRF-Token``;
calls with ``Authorization: Bearer <token>`` need none.
"""
from __future__ import annotations

import hmac
import secrets
import threading
import time
from collections import defaultdict, deque

from fastapi import Request

from .users import ANONYMOUS, User, get_user, user_for_token


class LoginRequired(Exception):
    """A page needs a signed-in user (or anonymous mode)."""


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def csrf_token(request: Request) -> str:
    tok = request.session.get("csrf")
    if not tok:
        tok = secrets.token_urlsafe(24)
        request.session["csrf"] = tok
    return tok


def _session_user(request: Request) -> User | None:
    uid = request.session.get("uid")
    if not isinstance(uid, int):
        return None
    user = get_user(request.app.state.store, uid)
    if user is None:
        request.session.clear()
    return user


def resolve_user(request: Request) -> tuple[User | None, bool]:
    """(user or None, came with a bearer token)."""
    cached = getattr(request.state, "user_resolved", None)
    if cached is not None:
        return cached
    auth = request.headers.get("authorization", "")
    result: tuple[User | None, bool]
    if auth.lower().startswith("bearer "):
        result = (user_for_token(request.app.state.store, auth[7:].strip()), True)
        if result[0] is None:
            raise ApiError(401, "bad_token", "the API token is not valid")
    else:
        result = (_session_user(request), False)
    request.state.user_resolved = result
    return result


def page_viewer(request: Request) -> User:
    user, _ = resolve_user(request)
    if user is not None:
        return user
    if request.app.state.anonymous:
        return ANONYMOUS
    raise LoginRequired()


def api_viewer(request: Request) -> User:
    user, _ = resolve_user(request)
    if user is not None:
        return user
    if request.app.state.anonymous:
        return ANONYMOUS
    raise ApiError(401, "unauthorized", "sign in or send an API token: Authorization: Bearer <token>")


def require_role(user: User, role: str) -> None:
    if user.is_anonymous:
        raise ApiError(401, "unauthorized", "sign in to do this")
    if not user.can(role):
        raise ApiError(403, "forbidden", f"this needs the {role} role")


def check_csrf_value(request: Request, value: str | None) -> None:
    expected = request.session.get("csrf")
    if not expected or not value or not hmac.compare_digest(str(expected), str(value)):
        raise ApiError(403, "csrf", "the form has expired or did not come from this site; reload and try again")


def check_api_csrf(request: Request) -> None:
    """A state-changing API call with the session cookie must echo the CSRF token."""
    _, bearer = resolve_user(request)
    if not bearer:
        check_csrf_value(request, request.headers.get("x-csrf-token"))


class RateLimiter:
    """At most ``limit`` failures per ``window`` seconds per key (client address, user name)."""

    def __init__(self, limit: int = 5, window: float = 300.0):
        self.limit, self.window = limit, window
        self.fails: dict[str, deque] = defaultdict(deque)
        self.lock = threading.Lock()

    def _trim(self, key: str, now: float) -> deque:
        q = self.fails[key]
        while q and now - q[0] > self.window:
            q.popleft()
        return q

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self.lock:
            return any(len(self._trim(k, now)) >= self.limit for k in keys)

    def fail(self, *keys: str) -> None:
        now = time.monotonic()
        with self.lock:
            for k in keys:
                self._trim(k, now).append(now)

    def reset(self, *keys: str) -> None:
        with self.lock:
            for k in keys:
                self.fails.pop(k, None)
