"""pymorphy3 analysers for Russian and Ukrainian, built once per process.

natasha is imported first: it pulls pymorphy2, which breaks on Python 3.11 unless
natasha (or yargy.morph) has patched it.
"""
from __future__ import annotations

from functools import cache


@cache
def analyzer(lang: str):
    import natasha  # noqa: F401
    import pymorphy3
    return pymorphy3.MorphAnalyzer(lang="uk" if lang == "uk" else "ru")
