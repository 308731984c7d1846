"""Walking folders: recursion, names, symlinks (loops, duplicates, dangling) and unreadable files."""
import os

import pytest
from sqlalchemy import select

from letopis.ingest import ingest_paths
from letopis.ingest.walk import walk_paths
from letopis.store.schema import documents, sources

from conftest import EN_REPORT, RU_REPORT, is_root, write


def test_walk_recursive_sorted_names_relative_to_folder(tmp_path):
    write(tmp_path / "b.md", "b")
    write(tmp_path / "a" / "z.txt", "z")
    write(tmp_path / "a" / "deep" / "x.md", "x")
    write(tmp_path / ".git" / "config.md", "hidden")
    names = [e.name for e in walk_paths([str(tmp_path)])]
    assert names == ["b.md", "a/z.txt", "a/deep/x.md"]
    single = list(walk_paths([str(tmp_path / "a" / "z.txt")]))
    assert [(e.name, e.explicit) for e in single] == [("z.txt", True)]


def test_walk_symlink_loop_is_e018_and_walk_ends(store, tmp_path):
    write(tmp_path / "r" / "sub" / "a.md", RU_REPORT)
    os.symlink("../..", tmp_path / "r" / "sub" / "up")           # back to an ancestor
    os.symlink("self", tmp_path / "r" / "self")                  # a link to itself
    stats = ingest_paths(store, [str(tmp_path / "r")])
    assert stats.ingested == 1
    codes = {n: c for n, c, _ in stats.failures}
    assert codes == {"sub/up": "E018", "self": "E018"}


def test_walk_symlinked_file_gives_second_source_of_same_document(store, tmp_path):
    write(tmp_path / "r" / "a.md", EN_REPORT)
    os.symlink("a.md", tmp_path / "r" / "link.md")
    os.symlink(str(tmp_path / "elsewhere"), tmp_path / "r" / "dir")
    write(tmp_path / "elsewhere" / "b.md", RU_REPORT)
    stats = ingest_paths(store, [str(tmp_path / "r")])
    assert (stats.ingested, stats.failed) == (3, 0)
    with store.engine.connect() as conn:
        assert len(conn.execute(select(documents)).all()) == 2
        names = sorted(conn.execute(select(sources.c.name)).scalars())
    assert names == ["a.md", "dir/b.md", "link.md"]


def test_walk_dangling_symlink_and_missing_path_are_e017(store, tmp_path):
    write(tmp_path / "r" / "a.md", EN_REPORT)
    os.symlink("gone.md", tmp_path / "r" / "dangling.md")
    stats = ingest_paths(store, [str(tmp_path / "r"), str(tmp_path / "no-such-folder")])
    assert stats.ingested == 1
    assert sorted(c for _, c, _ in stats.failures) == ["E017", "E017"]


def test_walk_permission_denied_is_e017_monkeypatched(store, tmp_path, monkeypatch):
    write(tmp_path / "a.md", EN_REPORT)
    locked = write(tmp_path / "locked.md", RU_REPORT)
    real_open = os.open

    def guarded_open(path, flags, *args, **kw):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args, **kw)
    monkeypatch.setattr(os, "open", guarded_open)
    stats = ingest_paths(store, [str(tmp_path)])
    assert stats.ingested == 1
    assert stats.failures[0][:2] == ("locked.md", "E017") and "permission denied" in stats.failures[0][2]


@pytest.mark.skipif(is_root(), reason="root reads files whatever their mode; the monkeypatched test covers it")
def test_walk_permission_denied_is_e017_real_chmod(store, tmp_path):
    write(tmp_path / "a.md", EN_REPORT)
    locked = write(tmp_path / "locked.md", RU_REPORT)
    locked.chmod(0)
    try:
        stats = ingest_paths(store, [str(tmp_path)])
    finally:
        locked.chmod(0o644)
    assert stats.ingested == 1 and stats.failures[0][:2] == ("locked.md", "E017")


def test_walk_fifo_is_not_read(store, tmp_path):
    write(tmp_path / "a.md", EN_REPORT)
    os.mkfifo(tmp_path / "pipe.md")                 # reading it would block forever
    stats = ingest_paths(store, [str(tmp_path)])
    assert stats.ingested == 1 and stats.failures[0][:2] == ("pipe.md", "E017")
