"""Local accounts: argon2 password hashes, roles, clearances, hashed API tokens, the session secret.

    add_user(store, "ana", "a long passphrase", "editor")     # clearance defaults by role
    authenticate(store, "ana", "a long passphrase") -> User | None
    create_token(store, user_id, "laptop") -> "lt_..."        # shown once; stored as sha256
"""
from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select, update

from ..errors import NotFoundError, UsageError
from ..model import ACCESS_LEVELS
from ..store import Store
from ..store.schema_web import api_tokens, users, web_settings

ROLES = ("reader", "editor", "admin")
ROLE_RANK = {"anonymous": -1, "reader": 0, "editor": 1, "admin": 2}
DEFAULT_CLEARANCE = {"reader": "public", "editor": "restricted", "admin": "confidential"}
USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")
MIN_PASSWORD = 8
_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a real password, used to keep timing even")


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class User:
    id: int | None
    username: str
    role: str                 # anonymous | reader | editor | admin
    clearance: str

    @property
    def is_anonymous(self) -> bool:
        return self.id is None

    def can(self, role: str) -> bool:
        return ROLE_RANK.get(self.role, -1) >= ROLE_RANK[role]


ANONYMOUS = User(None, "anonymous", "anonymous", "public")


def _row_user(r) -> User:
    return User(r.id, r.username, r.role, r.clearance)


def add_user(store: Store, username: str, password: str, role: str,
             clearance: str | None = None) -> User:
    """Create a local account; raises UsageError for a bad name, role, clearance or a short password."""
    if not USERNAME.match(username or ""):
        raise UsageError(f"user name {username!r} is not valid",
                         hint="use 1-64 letters, digits, '.', '_', '@' or '-'")
    if role not in ROLES:
        raise UsageError(f"role {role!r} is not known", hint="choose reader, editor or admin")
    clearance = clearance or DEFAULT_CLEARANCE[role]
    if clearance not in ACCESS_LEVELS:
        raise UsageError(f"clearance {clearance!r} is not known", hint=", ".join(ACCESS_LEVELS))
    if len(password or "") < MIN_PASSWORD:
        raise UsageError(f"the password is too short", hint=f"use at least {MIN_PASSWORD} characters")
    with store.engine.begin() as conn:
        if conn.execute(select(users.c.id).where(users.c.username == username)).first():
            raise UsageError(f"user {username!r} exists already")
        uid = conn.execute(users.insert(), {
            "username": username, "password_hash": _hasher.hash(password), "role": role,
            "clearance": clearance, "disabled": 0, "created_at": now()}).inserted_primary_key[0]
    return User(uid, username, role, clearance)


def set_password(store: Store, username: str, password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise UsageError("the password is too short", hint=f"use at least {MIN_PASSWORD} characters")
    with store.engine.begin() as conn:
        n = conn.execute(update(users).where(users.c.username == username)
                         .values(password_hash=_hasher.hash(password))).rowcount
    if not n:
        raise NotFoundError(f"no user {username!r}")


def authenticate(store: Store, username: str, password: str) -> User | None:
    with store.engine.connect() as conn:
        r = conn.execute(select(users).where(users.c.username == username)
                         .where(users.c.disabled == 0)).first()
    try:
        _hasher.verify(r.password_hash if r else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    return _row_user(r) if r else None


def get_user(store: Store, user_id: int) -> User | None:
    with store.engine.connect() as conn:
        r = conn.execute(select(users).where(users.c.id == user_id).where(users.c.disabled == 0)).first()
    return _row_user(r) if r else None


def list_users(store: Store) -> list[dict]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(users.c.id, users.c.username, users.c.role, users.c.clearance,
                                   users.c.disabled, users.c.created_at).order_by(users.c.username))
        return [dict(r._mapping) for r in rows]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(store: Store, user_id: int, name: str) -> str:
    token = "lt_" + secrets.token_urlsafe(32)
    with store.engine.begin() as conn:
        conn.execute(api_tokens.insert(), {"user_id": user_id, "token_hash": _token_hash(token),
                                           "name": (name or "token")[:100], "created_at": now()})
    return token


def list_tokens(store: Store, user_id: int) -> list[dict]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(api_tokens.c.id, api_tokens.c.name, api_tokens.c.created_at,
                                   api_tokens.c.last_used).where(api_tokens.c.user_id == user_id))
        return [dict(r._mapping) for r in rows]


def revoke_token(store: Store, user_id: int, token_id: int) -> None:
    with store.engine.begin() as conn:
        conn.execute(delete(api_tokens).where(api_tokens.c.id == token_id)
                     .where(api_tokens.c.user_id == user_id))


def user_for_token(store: Store, token: str) -> User | None:
    h = _token_hash(token or "")
    with store.engine.begin() as conn:
        r = conn.execute(select(users, api_tokens.c.id.label("tid"))
                         .join(api_tokens, api_tokens.c.user_id == users.c.id)
                         .where(api_tokens.c.token_hash == h).where(users.c.disabled == 0)).first()
        if r is None:
            return None
        conn.execute(update(api_tokens).where(api_tokens.c.id == r.tid).values(last_used=now()))
    return _row_user(r)


def secret_key(store: Store) -> str:
    """LETOPIS_SECRET_KEY, else a random key generated on first run and kept in the store."""
    env = os.environ.get("LETOPIS_SECRET_KEY")
    if env:
        return env
    with store.engine.begin() as conn:
        r = conn.execute(select(web_settings.c.value).where(web_settings.c.key == "secret_key")).first()
        if r:
            return r.value
        key = secrets.token_urlsafe(48)
        conn.execute(web_settings.insert(), {"key": "secret_key", "value": key})
        return key
