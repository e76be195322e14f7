"""Stores: where the release graphs live.  ``open_store(url)`` picks one by URL scheme.

================================  ==============================================
``url``                           store
================================  ==============================================
``out/store`` (a directory path)  embedded Oxigraph on disk (created if missing)
``oxigraph:out/store``            the same, spelled out
``memory:``                       embedded Oxigraph in memory (gone on close)
``http://host:7878/query``        remote SPARQL 1.1 Protocol + Graph Store Protocol
================================  ==============================================

A new kind of store is one module and one :func:`register_store` line.

>>> with open_store("memory:") as store:
...     store.graphs()
[]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from kg.errors import StoreError
from kg.store.base import Store
from kg.store.oxigraph import OxigraphStore
from kg.store.sparql import SparqlStore

__all__ = [
    "STORE_SCHEMES",
    "OxigraphStore",
    "SparqlStore",
    "Store",
    "StoreError",
    "local_directory",
    "open_store",
    "register_store",
]

StoreOpener = Callable[..., Store]

#: URL scheme -> function(url, **options) -> Store
STORE_SCHEMES: dict[str, StoreOpener] = {}

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")


def register_store(scheme: str, opener: StoreOpener) -> None:
    """Make ``open_store("<scheme>:...")`` call ``opener(url, **options)``."""
    STORE_SCHEMES[scheme.lower()] = opener


def open_store(url: str, **options) -> Store:
    """Open the store named by ``url`` (see the module docstring for the forms).

    ``options`` go to the store: ``read_only=True`` for embedded stores;
    ``update_url``, ``store_url``, ``union_default_graph``, ``timeout`` for remote ones.
    """
    url = str(url)
    match = _SCHEME.match(url)
    scheme = match.group(1).lower() if match else ""
    if scheme in STORE_SCHEMES:
        return STORE_SCHEMES[scheme](url, **options)
    if "://" in url:
        known = ", ".join(sorted(STORE_SCHEMES))
        raise StoreError(
            f"{url}: unknown store scheme {scheme!r}; use one of: {known}, or a directory path"
        )
    return _open_directory(url, **options)


def local_directory(url: str) -> Path | None:
    """The directory of the embedded on-disk store that ``url`` names, else ``None``."""
    url = str(url)
    match = _SCHEME.match(url)
    scheme = match.group(1).lower() if match else ""
    if scheme == "oxigraph":
        return Path(_oxigraph_path(url))
    if scheme in STORE_SCHEMES or "://" in url or not url:
        return None
    return Path(url)


def _open_directory(url: str, read_only: bool = False) -> Store:
    if not url:
        raise StoreError("no store given: pass a directory path, memory: or an http(s) URL")
    return OxigraphStore(url, read_only=read_only)


def _oxigraph_path(url: str) -> str:
    path = url.split(":", 1)[1]
    return path[2:] if path.startswith("//") else path  # oxigraph://PATH reads as oxigraph:PATH


def _open_oxigraph(url: str, read_only: bool = False) -> Store:
    return _open_directory(_oxigraph_path(url), read_only=read_only)


def _open_memory(url: str, read_only: bool = False) -> Store:
    if url.split(":", 1)[1]:
        raise StoreError(f"{url}: an in-memory store takes no path; use memory:")
    return OxigraphStore(None)


register_store("oxigraph", _open_oxigraph)
register_store("memory", _open_memory)
register_store("http", SparqlStore)
register_store("https", SparqlStore)
