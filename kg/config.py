"""The effective settings, from one place.

Each setting has a default, may be overridden by an environment variable, and by a
command-line flag (the CLI passes flags in as ``overrides``).  ``kg config`` prints
the result together with where each value came from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    value: str | int | None
    source: str  # "default" | "env KG_..." | "flag"


@dataclass(frozen=True)
class Settings:
    store: str = ".kg/store"
    registry: str = "data/entities.yaml"
    spacy_model: str | None = None
    extractor: str = "model"  # "model" (trained layers + rules) or "rules"
    workers: int = 1
    dask: str | None = None  # "local" or a Dask scheduler address (tcp://host:8786)
    out_dir: str = "out"

    def registry_path(self) -> Path | None:
        path = Path(self.registry)
        return path if path.is_file() else None


_ENV = {
    "store": "KG_STORE",
    "registry": "KG_REGISTRY",
    "spacy_model": "KG_SPACY_MODEL",
    "extractor": "KG_EXTRACTOR",
    "workers": "KG_WORKERS",
    "dask": "KG_DASK",
    "out_dir": "KG_OUT",
}


def load_settings(**overrides) -> tuple[Settings, list[Setting]]:
    """Settings from defaults < environment < ``overrides`` (flags that are not None)."""
    values: dict = {}
    report: list[Setting] = []
    defaults = Settings()
    for f in fields(Settings):
        value, source = getattr(defaults, f.name), "default"
        env = os.environ.get(_ENV[f.name])
        if env not in (None, ""):
            value, source = env, f"env {_ENV[f.name]}"
        if overrides.get(f.name) is not None:
            value, source = overrides[f.name], "flag"
        if f.name == "workers":
            value = int(value)
        if f.name == "spacy_model" and value in ("", "none", "rules"):
            value = None
        values[f.name] = value
        report.append(Setting(f.name, value, source))
    return Settings(**values), report
