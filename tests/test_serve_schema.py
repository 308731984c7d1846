"""schemathesis against /openapi.json: no request the schema allows makes the server fail (bounded examples)."""
from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from letopis.serve import create_app  # noqa: E402
from letopis.serve.users import create_token  # noqa: E402
from webfixtures import build_store  # noqa: E402


def _app():
    import tempfile
    db = tempfile.mkdtemp(prefix="letopis-schema-") + "/schema.db"
    store, _ = build_store(db)
    token = create_token(store, 3, "schemathesis")            # admin: every route answers, review included
    store.close()
    return create_app(db), token


APP, TOKEN = _app()
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_serve_schema_no_server_errors(case):
    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {TOKEN}"}
    response = case.call()
    case.validate_response(response, checks=(not_a_server_error,))
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and {"code", "message"} <= set(body["error"])
