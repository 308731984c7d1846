#!/usr/bin/env python3
"""Build the sample PDF of our own corpus: examples/corpus/uk_05_odesa_zayava_sud.pdf.

    .venv/bin/python tools/make_sample_pdf.py [--out PATH] [--font TTF]

The PDF has a real text layer (a Unicode TTF font is embedded), so a PDF reader
can extract the Ukrainian text. The statement below was written by the letopis
authors; it is fictional. The output is deterministic: the creation date is
fixed, so re-running the script gives the same document.

Needs fpdf2 (in the ``test`` extra) and a Cyrillic TTF font; DejaVu Sans is
looked up in the usual system places.
"""
from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "examples" / "corpus" / "uk_05_odesa_zayava_sud.pdf"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/Library/Fonts/DejaVuSans.ttf",
)

TITLE = "Заява щодо переслідування захисників скверу на Приморській"
DATE = dt.datetime(2019, 5, 10, 12, 0, tzinfo=dt.timezone.utc)

PARAGRAPHS = (
    "ЗАЯВА",
    "Правозахисної групи «Південний моніторинг»",
    "Одеса, 10 травня 2019 року",
    "Щодо судового переслідування захисників скверу на вулиці Приморській",
    "У березні 2019 року поліція затримала п'ятьох активістів під час пікету проти вирубки "
    "дерев у сквері на вулиці Приморській в Одесі. Пікетувальники стояли біля паркану будмайданчика "
    "і не давали техніці заїхати на територію скверу. Усім п'ятьом інкримінують хуліганство та "
    "опір працівникам поліції; двоє з них два місяці провели під вартою.",
    "Судові засідання у справі тривали з 6 по 8 травня в Приморському районному суді Одеси. "
    "Спостерігачі нашої групи були присутні на всіх засіданнях. Суд відмовився долучити до справи "
    "відеозаписи, які, на думку захисту, показують, що активісти не чинили жодного опору.",
    "8 травня суд звільнив з-під варти одного з обвинувачених, Тараса Кравця, під особисте "
    "зобов'язання. Інший активіст, Максим Дорошенко, залишається в слідчому ізоляторі.",
    "7 травня Одеський окружний адміністративний суд за позовом міської ради заборонив проведення "
    "мітингу на підтримку активістів, запланованого на 12 травня біля будівлі міськради. Суд "
    "послався на «загрозу громадському порядку», не навівши жодних доказів.",
    "Ми вимагаємо:",
    "1. Закрити справу проти захисників скверу як таку, що переслідує їх за мирний протест.",
    "2. Негайно звільнити Максима Дорошенка з-під варти.",
    "3. Скасувати заборону мітингу та гарантувати право на мирні зібрання в Одесі.",
    "Заяву підтримали: Громадська ініціатива «Зелене місто», Одеська правозахисна група "
    "«Статус», Об'єднання мешканців Приморського району.",
)


def find_font(explicit: str | None) -> Path:
    for cand in ((explicit,) if explicit else FONT_CANDIDATES):
        if cand and Path(cand).is_file():
            return Path(cand)
    raise SystemExit("no Cyrillic TTF font found; pass --font /path/to/DejaVuSans.ttf")


def build_pdf(out: Path, font: Path) -> Path:
    from fpdf import FPDF  # imported here: fpdf2 is only a test/tooling dependency

    pdf = FPDF(format="A4")
    pdf.set_title(TITLE)
    pdf.set_author("Правозахисна група «Південний моніторинг»")
    pdf.set_creator("letopis tools/make_sample_pdf.py")
    pdf.set_creation_date(DATE)
    pdf.add_font("DejaVu", "", str(font))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    for i, para in enumerate(PARAGRAPHS):
        pdf.set_font("DejaVu", size=14 if i == 0 else 11)
        pdf.multi_cell(0, 6, para, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    out.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(out))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(OUT), help="where to write the PDF (default: %(default)s)")
    ap.add_argument("--font", help="a TTF font with Cyrillic glyphs")
    a = ap.parse_args(argv)
    path = build_pdf(Path(a.out), find_font(a.font))
    print(f"wrote {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
