"""Settings: defaults, config file, LETOPIS_* environment, and clear errors."""
import pytest

from letopis.errors import UsageError
from letopis.settings import SETTINGS, Settings, load_settings


def test_settings_defaults_without_file_or_env(tmp_path):
    s = load_settings(env={}, cwd=str(tmp_path))
    assert s == Settings()
    assert s.max_file_bytes == 20 * 1024 * 1024 and s.db == "letopis.db" and s.access == "public"
    assert {x.name for x in SETTINGS} == set(Settings.__slots__)


def test_settings_config_file_then_env_wins(tmp_path):
    (tmp_path / "letopis.toml").write_text(
        'db = "file.db"\nmax_file_bytes = 1_000\nlanguage_candidates = ["ru", "en"]\n', encoding="utf-8")
    s = load_settings(env={}, cwd=str(tmp_path))
    assert (s.db, s.max_file_bytes, s.language_candidates) == ("file.db", 1000, ("ru", "en"))
    s = load_settings(env={"LETOPIS_DB": "env.db", "LETOPIS_LANGUAGE_CANDIDATES": "uk, be",
                           "LETOPIS_WORKERS": "3"}, cwd=str(tmp_path))
    assert (s.db, s.max_file_bytes, s.language_candidates, s.workers) == ("env.db", 1000, ("uk", "be"), 3)


def test_settings_explicit_config_with_letopis_table(tmp_path):
    cfg = tmp_path / "other.toml"
    cfg.write_text('[letopis]\naccess = "restricted"\nclearance = "confidential"\n', encoding="utf-8")
    s = load_settings(str(cfg), env={})
    assert (s.access, s.clearance) == ("restricted", "confidential")
    s = load_settings(env={"LETOPIS_CONFIG": str(cfg)}, cwd=str(tmp_path))
    assert s.access == "restricted"


@pytest.mark.parametrize("content, words", [
    ('colour = "blue"\n', "unknown settings: colour"),
    ('max_file_bytes = -5\n', "max_file_bytes"),
    ('access = "secret"\n', "access"),
    ('language_candidates = ["xx"]\n', "language_candidates"),
    ('db = [\n', "cannot be read"),
])
def test_settings_bad_config_is_usage_error(tmp_path, content, words):
    cfg = tmp_path / "bad.toml"
    cfg.write_text(content, encoding="utf-8")
    with pytest.raises(UsageError) as e:
        load_settings(str(cfg), env={})
    assert words in str(e.value) and e.value.code == "E070"


def test_settings_bad_env_value_names_the_variable(tmp_path):
    with pytest.raises(UsageError) as e:
        load_settings(env={"LETOPIS_WORKERS": "many"}, cwd=str(tmp_path))
    assert "$LETOPIS_WORKERS" in str(e.value)


def test_settings_missing_config_file(tmp_path):
    with pytest.raises(UsageError):
        load_settings(str(tmp_path / "nope.toml"), env={})
