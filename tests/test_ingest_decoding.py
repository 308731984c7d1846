"""Bytes → text: UTF-8 first, then legacy Cyrillic and other encodings, else a clear error."""
import codecs
import random

import pytest

from letopis.errors import BinaryContentError, DecodeError, EmptyDocumentError
from letopis.ingest.decoding import decode_bytes

from conftest import RU_REPORT, UK_REPORT

FRENCH = "Manifestation à Paris : la police a arrêté des étudiants près de la préfecture, selon des témoins.\n"


@pytest.mark.parametrize("text, encoding, expected", [
    (RU_REPORT, "cp1251", "cp1251"),
    (RU_REPORT, "koi8_r", "koi8_r"),
    (UK_REPORT, "cp1251", "cp1251"),
    (UK_REPORT, "koi8_u", "koi8_u"),
    (RU_REPORT, "utf-16", "utf-16"),        # with a BOM
    (RU_REPORT, "utf-16-le", "utf-16"),     # without one
    (FRENCH, "cp1252", "cp1252"),
])
def test_decoding_detects_legacy_encodings(text, encoding, expected):
    decoded, found = decode_bytes(text.encode(encoding))
    assert decoded == text
    assert found == expected


def test_decoding_utf8_keeps_bom_and_translates_newlines_like_text_mode(tmp_path):
    raw = codecs.BOM_UTF8 + "строка один\r\nстрока два\rтри\n".encode("utf-8")
    path = tmp_path / "a.txt"
    path.write_bytes(raw)
    text, enc = decode_bytes(raw)
    with open(path, encoding="utf-8") as f:
        assert text == f.read()
    assert text.startswith("\ufeff") and "\r" not in text and enc == "utf-8"


@pytest.mark.parametrize("raw", [b"", b"   \n\t\r\n", codecs.BOM_UTF8])
def test_decoding_empty_is_e011(raw):
    with pytest.raises(EmptyDocumentError) as e:
        decode_bytes(raw, "x.md")
    assert e.value.code == "E011"


def test_decoding_binary_junk_is_e012():
    rnd = random.Random(7)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rnd.randrange(256) for _ in range(2000))
    no_nul = bytes(rnd.randrange(1, 256) for _ in range(3000))
    for raw in (png, no_nul, "text with a NUL\x00 inside".encode()):
        with pytest.raises(BinaryContentError) as e:
            decode_bytes(raw, "junk.md")
        assert e.value.code == "E012" and "junk.md" in str(e.value)


def test_decoding_unreadable_high_bytes_is_e010():
    rnd = random.Random(3)
    raw = bytes(rnd.randrange(0x80, 0x100) for _ in range(3000))   # no controls, no spaces: not text
    with pytest.raises(DecodeError) as e:
        decode_bytes(raw, "odd.txt")
    assert e.value.code == "E010" and "odd.txt" in str(e.value)
