"""Imports and comparison through the REST API, beside the CLI's `letopis import` and `letopis compare`.

    POST /api/v1/import?format=acled-csv|mm-csv|events-jsonl[&access=L]   body: the file (editor)
    POST /api/v1/compare?format=acled-csv|mm-csv                          body: the file (any reader)

The body is the file itself, at most MAX_UPLOAD bytes. An import is linked at once; a
comparison sees only the events the caller is cleared for.
"""
from __future__ import annotations

import os
import tempfile
from typing import Literal

from fastapi import APIRouter, Depends, Request

from ..errors import UsageError
from .auth import api_viewer, check_api_csrf, require_role
from .users import User

router = APIRouter(prefix="/api/v1", tags=["api"])
MAX_UPLOAD = 50 * 1024 * 1024
RANK = {"public": 0, "restricted": 1, "confidential": 2}


async def _body_to_file(request: Request, suffix: str) -> str:
    size = 0
    fd, path = tempfile.mkstemp(prefix="letopis-upload-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as out:
            async for chunk in request.stream():
                size += len(chunk)
                if size > MAX_UPLOAD:
                    raise UsageError(f"the upload is over {MAX_UPLOAD // (1024 * 1024)} MB")
                out.write(chunk)
    except BaseException:
        os.unlink(path)
        raise
    if size == 0:
        os.unlink(path)
        raise UsageError("the request body is empty: send the file as the body")
    return path


@router.post("/import")
async def import_dataset(request: Request, format: Literal["acled-csv", "mm-csv", "events-jsonl"],
                         access: Literal["public", "restricted", "confidential"] = "public",
                         user: User = Depends(api_viewer)) -> dict:
    """Import a coded dataset (ACLED, Mass Mobilization) or another store's events-jsonl; then link."""
    require_role(user, "editor")
    check_api_csrf(request)
    if RANK[access] > RANK[user.clearance]:
        raise UsageError(f"you may not import records as {access}", hint=f"your clearance is {user.clearance}")
    path = await _body_to_file(request, ".jsonl" if format == "events-jsonl" else ".csv")
    try:
        from starlette.concurrency import run_in_threadpool
        from .. import pipeline
        from ..interop import import_file
        store = request.app.state.store

        def run():
            stats = import_file(store, format, path, access=access)
            pipeline.link(store)
            return stats
        stats = await run_in_threadpool(run)
    finally:
        os.unlink(path)
    return {"format": format, "access": access, "summary": stats.summary()}


@router.post("/compare")
async def compare_dataset(request: Request, format: Literal["acled-csv", "mm-csv"],
                          user: User = Depends(api_viewer)) -> dict:
    """Which of our visible events the other dataset has, which it lacks, and which of its events we lack."""
    path = await _body_to_file(request, ".csv")
    try:
        from starlette.concurrency import run_in_threadpool
        from ..interop.compare import compare
        result = await run_in_threadpool(compare, request.app.state.store, path, format, clearance=user.clearance)
    finally:
        os.unlink(path)
    return {"summary": result.summary(), "rows": list(result.rows())}
