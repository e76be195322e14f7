"""The effective settings, from one place.

Each setting has a default, may be overridden by an environment variable, and by a
command-line flag (the CLI passes flags in as ``overrides``).  ``kg config`` prints
the result together with where each value came from.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path

from kg.errors import KgError

#: The curated alias registry of this project (a source checkout or editable install):
#: found next to the package, not in the working directory.
PROJECT_REGISTRY = Path(__file__).resolve().parents[1] / "data" / "entities.yaml"
NO_REGISTRY = ("none", "off")  # --registry none: build without the alias registry


# the extractors a build can use: the trained layers with the rules as features, or the
# rules alone (kg.extract)
EXTRACTORS = ("model", "rules")


@dataclass(frozen=True)
class Setting:
    name: str
    value: str | int | float | None
    source: str  # "default" | "env KG_..." | "flag"


@dataclass(frozen=True)
class Settings:
    store: str = ".kg/store"
    registry: str | None = None  # None: the project's data/entities.yaml, if there is one
    spacy_model: str | None = None
    extractor: str = "model"  # "model" (trained layers + rules) or "rules"
    workers: int = 1
    max_chars: int = 30_000  # characters of a release extracted, 0: all (kg.build.MAX_CHARS)
    # facts kept: those whose confidence is at least this (kg.extract.decoding.confident)
    min_confidence: float = 0.0
    dask: str | None = None  # "local" or a Dask scheduler address (tcp://host:8786)
    out_dir: str = "out"

    def registry_path(self) -> Path | None:
        """The alias registry to use: the one given (``--registry``, ``$KG_REGISTRY``),
        else the project's ``data/entities.yaml``; ``None`` for none.  A registry that
        was given but is missing is an error, never silently skipped."""
        if self.registry is None or self.registry == "":
            return PROJECT_REGISTRY if PROJECT_REGISTRY.is_file() else None
        if self.registry.lower() in NO_REGISTRY:
            return None
        path = Path(self.registry)
        if not path.is_file():
            raise KgError(f"{path}: no such alias registry (given with --registry or "
                          "KG_REGISTRY); fix the path, or pass --registry none to build without one")
        return path


_ENV = {
    "store": "KG_STORE",
    "registry": "KG_REGISTRY",
    "spacy_model": "KG_SPACY_MODEL",
    "extractor": "KG_EXTRACTOR",
    "workers": "KG_WORKERS",
    "max_chars": "KG_MAX_CHARS",
    "min_confidence": "KG_MIN_CONFIDENCE",
    "dask": "KG_DASK",
    "out_dir": "KG_OUT",
}


def _number(name: str, value, source: str, kind: type, low, high=None):
    """``value`` read as ``kind`` (int or float) within ``[low, high]``, else a one-line
    error naming the setting, the value and where it came from."""
    try:
        number = kind(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not (low <= number and (high is None or number <= high)):
        what = (f"a whole number of {low} or more" if high is None
                else f"a number from {low} to {high}")
        raise KgError(f"{name} must be {what}, not {value!r} ({source})")
    return number


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
            value = _number(f.name, value, source, int, 1)
        if f.name == "max_chars":
            value = _number(f.name, value, source, int, 0)
        if f.name == "min_confidence":
            value = _number(f.name, value, source, float, 0, 1)
        if f.name == "extractor" and value not in EXTRACTORS:
            raise KgError(f"unknown extractor {value!r}: use one of {', '.join(EXTRACTORS)} "
                          f"({source})")
        if f.name == "spacy_model" and value in ("", "none", "rules"):
            value = None
        values[f.name] = value
        if f.name == "registry" and source == "default":
            found = PROJECT_REGISTRY.is_file()
            value = str(PROJECT_REGISTRY) if found else None
            source = "default (the project's data/entities.yaml)" if found else \
                "default (none: the project has no data/entities.yaml)"
        report.append(Setting(f.name, value, source))
    return Settings(**values), report
