"""Settings: one table, with defaults and help, read from a config file and LETOPIS_* variables.

Precedence, lowest first: the defaults below, the config file (``--config FILE``,
else ``$LETOPIS_CONFIG``, else ``letopis.toml`` in the current folder when it
exists), the environment (``LETOPIS_DB``, ``LETOPIS_MAX_FILE_BYTES``, ...), and
finally the command-line flags. Nothing is read at import time: call
``load_settings()``.

A config file holds the same names, at the top level or under ``[letopis]``::

    db = "reports.db"
    max_file_bytes = 50_000_000
    language_candidates = ["ru", "uk", "en"]
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields
from typing import Any, Callable, Mapping

from .errors import UsageError
from .model import ACCESS_LEVELS

CONFIG_FILE = "letopis.toml"


def _positive_int(v: Any) -> int:
    n = int(str(v).replace("_", ""))
    if n < 1:
        raise ValueError("must be 1 or more")
    return n


def _access(v: Any) -> str:
    s = str(v).strip().lower()
    if s not in ACCESS_LEVELS:
        raise ValueError(f"must be one of {', '.join(ACCESS_LEVELS)}")
    return s


def _languages(v: Any) -> tuple[str, ...]:
    items = v if isinstance(v, (list, tuple)) else str(v).split(",")
    out = tuple(str(x).strip().lower() for x in items if str(x).strip())
    if not out:
        raise ValueError("needs at least one language code")
    from lingua import IsoCode639_1
    for code in out:
        try:
            IsoCode639_1.from_str(code)
        except (ValueError, KeyError) as e:
            raise ValueError(f"{code!r} is not an ISO 639-1 code lingua knows") from e
    return out


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    default: Any
    parse: Callable[[Any], Any]
    help: str

    @property
    def env(self) -> str:
        return "LETOPIS_" + self.name.upper()


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "letopis.db", str,
            "the store: a SQLite file path (created when missing) or a SQLAlchemy URL"),
    Setting("max_file_bytes", 20 * 1024 * 1024, _positive_int,
            "files larger than this many bytes fail with E013 (for JSONL/CSV archives: each record)"),
    Setting("workers", 1, _positive_int,
            "processes that extract documents in parallel"),
    Setting("access", "public", _access,
            "access level of what ingest stores (public, restricted, confidential); "
            "front matter `access:` overrides it per document"),
    Setting("clearance", "public", _access,
            "the highest access level `events` and `export` show"),
    Setting("language_candidates", ("ru", "uk", "en", "kk", "be"), _languages,
            "the languages language detection chooses among (ISO 639-1 codes)"),
)


@dataclass(frozen=True, slots=True)
class Settings:
    db: str = "letopis.db"
    max_file_bytes: int = 20 * 1024 * 1024
    workers: int = 1
    access: str = "public"
    clearance: str = "public"
    language_candidates: tuple[str, ...] = ("ru", "uk", "en", "kk", "be")


_BY_NAME = {s.name: s for s in SETTINGS}
assert set(_BY_NAME) == {f.name for f in fields(Settings)}


def _parse(setting: Setting, value: Any, where: str) -> Any:
    try:
        return setting.parse(value)
    except (ValueError, TypeError) as e:
        raise UsageError(f"setting {setting.name} = {value!r} from {where} is not valid: {e}",
                         hint=setting.help) from e


def read_config(path: str) -> dict:
    """The settings in a TOML file, checked: unknown names are an error."""
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError as e:
        raise UsageError(f"config file {path} does not exist") from e
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise UsageError(f"config file {path} cannot be read: {e}") from e
    if isinstance(data.get("letopis"), dict):
        data = data["letopis"]
    unknown = sorted(set(data) - set(_BY_NAME))
    if unknown:
        raise UsageError(f"config file {path} has unknown settings: {', '.join(unknown)}",
                         hint="known: " + ", ".join(_BY_NAME))
    return {k: _parse(_BY_NAME[k], v, path) for k, v in data.items()}


def load_settings(config: str | None = None, env: Mapping[str, str] | None = None,
                  cwd: str | None = None) -> Settings:
    """Defaults < config file < LETOPIS_* environment variables."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    path = config or env.get("LETOPIS_CONFIG")
    if path is None:
        candidate = os.path.join(cwd or os.getcwd(), CONFIG_FILE)
        path = candidate if os.path.isfile(candidate) else None
    if path:
        values.update(read_config(path))
    for s in SETTINGS:
        if env.get(s.env) not in (None, ""):
            values[s.name] = _parse(s, env[s.env], f"${s.env}")
    return Settings(**values)
