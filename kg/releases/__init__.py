"""Release files -> ``Release`` objects, through one registry of loaders keyed by suffix.

A loader is a function ``loader(source: SourceFile) -> Iterable[Release | ReleaseError]``
registered for one or more file suffixes::

    from kg.releases import register

    @register(".rst")
    def load_rst(source):
        text = decode_text(source.read_bytes(), source.path)
        yield build_release(text, release_id=source.path.stem, ...)

The built-in loaders (``txt``, ``md``, ``html``, ``pdf``, ``jsonl``) live in one module
each in this package.  Other packages add loaders through the entry-point group
``corporate_kg.loaders``: the entry point's name is the suffix (``rst``) and its value
a loader function, or a module whose import registers its loaders.

Reading:

* ``load_path(path)`` yields the releases of one file (a ``.jsonl`` file holds many)
  or of every file under a directory; it raises the first ``ReleaseError``, or
  appends every error to ``errors=[]`` when given and goes on.
* ``load_paths(paths)`` -> ``LoadResult(releases, errors)``: files and directories,
  directories walked in sorted order (deterministic), hidden files and directories
  skipped, one ``ReleaseError`` per bad input while the rest of the batch goes on.
* ``iter_load_paths(paths)`` streams ``Release`` and ``ReleaseError`` items in the
  same order, for batches too large to hold.
* ``read_file(path)`` reads a file's bytes with the same checks, and
  ``load_file(path, data=...)`` loads them where the file cannot be read (a Dask
  worker on another machine).

A file over ``MAX_RELEASE_BYTES`` (or the ``max_bytes`` argument) is rejected from its
``os.stat`` size without being read; a ``.jsonl`` batch is read line by line, and the
limit applies to each record.  No exception other than ``ReleaseError`` escapes for bad
input.
"""

from __future__ import annotations

import errno
import importlib
import io
import logging
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType
from typing import IO, NamedTuple

from kg.errors import ReleaseError
from kg.model import Release
from kg.releases.metadata import check_release_id

log = logging.getLogger(__name__)

MAX_RELEASE_BYTES = 20 * 1024 * 1024  # one release file; configurable per call (max_bytes)
ENTRY_POINT_GROUP = "corporate_kg.loaders"
BUILTIN_LOADER_MODULES = ("txt", "md", "html", "pdf", "jsonl")


@dataclass(frozen=True)
class SourceFile:
    """A release file handed to a loader: its path, loader name and size limit, and
    its bytes when another process read them (:func:`read_file`): a build on a Dask
    cluster ships them to a worker that may not see the file."""

    path: Path
    format: str
    max_bytes: int
    data: bytes | None = None

    def read_bytes(self) -> bytes:
        """The whole file; ``ReleaseError`` if it is empty, too large or unreadable."""
        if self.data is not None:
            return self.data  # read_file made the checks
        size = _regular_file_size(self.path)
        if size > self.max_bytes:
            raise ReleaseError(self.path, f"file is {_mb(size)}, over the {_mb(self.max_bytes)} "
                                          "limit for one release (raise max_bytes to load it)")
        try:
            with open(self.path, "rb") as handle:
                data = handle.read(self.max_bytes + 1)
        except OSError as exc:
            raise _read_error(self.path, exc) from None
        if not data:
            raise ReleaseError(self.path, "empty file (0 bytes)")
        if len(data) > self.max_bytes:
            raise ReleaseError(self.path, f"file grew over the {_mb(self.max_bytes)} limit "
                                          "while it was read")
        return data

    def open(self) -> IO[bytes]:
        """The file opened for binary reading (for loaders that stream records)."""
        if self.data is not None:
            return io.BytesIO(self.data)
        _regular_file_size(self.path)
        try:
            return open(self.path, "rb")
        except OSError as exc:
            raise _read_error(self.path, exc) from None


Loader = Callable[[SourceFile], Iterable[Release | ReleaseError]]


@dataclass(frozen=True)
class LoaderSpec:
    """One registered loader: its name (``Release.format``), suffixes and function."""

    name: str
    suffixes: tuple[str, ...]
    load: Loader


class LoadResult(NamedTuple):
    """What ``load_paths`` read: the releases, and one error per bad input."""

    releases: list[Release]
    errors: list[ReleaseError]


# -- the registry -----------------------------------------------------------------------

_LOADERS: dict[str, LoaderSpec] = {}  # suffix (".txt") -> spec
_plugins_loaded = False


def _normal_suffix(suffix: str) -> str:
    suffix = suffix.strip().lower()
    return suffix if suffix.startswith(".") else "." + suffix


def register(*suffixes: str, name: str | None = None,
             replace: bool = False) -> Callable[[Loader], Loader]:
    """Register the decorated function as the loader of files with ``suffixes``.

    ``name`` (default: the first suffix without its dot) becomes ``Release.format``.
    Registering a suffix that already has a loader is an error unless ``replace``.
    """
    if not suffixes:
        raise ValueError("register() needs at least one suffix, e.g. register('.txt')")
    normal = tuple(_normal_suffix(s) for s in suffixes)

    def decorate(func: Loader) -> Loader:
        spec = LoaderSpec(name or normal[0].lstrip("."), normal, func)
        for suffix in normal:
            taken = _LOADERS.get(suffix)
            if taken and taken.load is not func and not replace:
                raise ValueError(f"suffix {suffix} already has the loader {taken.name!r}; "
                                 "pass replace=True to override it")
            _LOADERS[suffix] = spec
        return func

    return decorate


def _load_plugins() -> None:
    """Register the loaders of the ``corporate_kg.loaders`` entry points (once)."""
    global _plugins_loaded
    if _plugins_loaded:
        return
    _plugins_loaded = True
    for entry in _entry_points():
        try:
            target = entry.load()
        except Exception as exc:  # a broken plug-in must not stop the built-in formats
            log.warning("loader plug-in %s could not be imported: %s", entry.name, exc)
            continue
        if isinstance(target, ModuleType):
            continue  # importing the module registered its loaders
        suffix = _normal_suffix(entry.name)
        if suffix in _LOADERS and _LOADERS[suffix].load is not target:
            log.warning("loader plug-in %s ignored: %s already has the loader %r",
                        entry.value, suffix, _LOADERS[suffix].name)
            continue
        register(suffix)(target)


def _entry_points():
    return entry_points(group=ENTRY_POINT_GROUP)


def loaders() -> dict[str, LoaderSpec]:
    """Every registered loader by suffix, plug-ins included."""
    _load_plugins()
    return dict(sorted(_LOADERS.items()))


def known_suffixes() -> list[str]:
    """The file suffixes a loader is registered for, sorted."""
    return list(loaders())


def loader_for(path: str | os.PathLike[str]) -> LoaderSpec:
    """The loader of ``path`` by its suffix; ``ReleaseError`` if there is none."""
    path = Path(path)
    spec = loaders().get(path.suffix.lower())
    if spec is None:
        what = path.suffix.lower() or "files without a suffix"
        raise ReleaseError(path, f"no loader for {what}; known: {', '.join(known_suffixes())}")
    return spec


# -- reading ----------------------------------------------------------------------------

def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _read_error(path: Path, exc: OSError) -> ReleaseError:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return ReleaseError(path, "cannot read the file: permission denied")
    if exc.errno == errno.ENOENT:
        return ReleaseError(path, "no such file or directory")
    return ReleaseError(path, f"cannot read the file: {exc.strerror or exc}")


def _regular_file_size(path: Path) -> int:
    """The size of a regular file (never opening FIFOs or devices)."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise _read_error(path, exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise ReleaseError(path, "is a directory, not a release file")
    if not stat.S_ISREG(info.st_mode):
        raise ReleaseError(path, "not a regular file")
    return info.st_size


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _outside(link: Path, top: Path) -> Path | None:
    """Where the symbolic link ``link`` points, if that is outside the folder ``top``."""
    try:
        target = link.resolve(strict=False)
        inside = top.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return link
    return None if target.is_relative_to(inside) else target


def _walk(root: Path, recursive: bool, top: Path | None = None) -> Iterator[Path | ReleaseError]:
    """The non-hidden files under ``root``, sorted by name at each level.

    A symbolic link to a file outside the folder given (``top``) is not followed: a
    release folder must not make the build read files from elsewhere (one warning line).
    """
    top = root if top is None else top
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except OSError as exc:
        yield _read_error(root, exc)
        return
    for entry in entries:
        if _hidden(entry.name):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
        except OSError as exc:
            yield _read_error(path, exc)
            continue
        if is_dir:
            if recursive and not entry.is_symlink():
                yield from _walk(path, recursive, top)
        elif entry.is_symlink() and (target := _outside(path, top)) is not None:
            log.warning("%s: skipped, a symbolic link to %s outside %s (not followed)",
                        path, target, top)
        else:
            yield path


def _files(paths: Iterable[str | os.PathLike[str]], recursive: bool,
           skip_unknown: bool) -> Iterator[Path | ReleaseError]:
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for item in _walk(path, recursive):
                if skip_unknown and isinstance(item, Path) and \
                        item.suffix.lower() not in loaders():
                    log.debug("skipped %s: no loader for %s", item, item.suffix)
                    continue
                yield item
        elif not path.exists() and not path.is_symlink():
            kind = "directory" if str(given).endswith(os.sep) else "file or directory"
            yield ReleaseError(path, f"no such {kind}")
        else:
            yield path


def _load_file(path: Path, max_bytes: int,
               data: bytes | None = None) -> Iterator[Release | ReleaseError]:
    try:
        spec = loader_for(path)
    except ReleaseError as err:
        yield err
        return
    source = SourceFile(path, spec.name, max_bytes, data)
    try:
        for item in spec.load(source):
            if isinstance(item, Release):
                check_release_id(item.id, item.source)
            yield item
    except ReleaseError as err:
        yield err
    except Exception as exc:  # a loader bug must cost one file, not the batch
        log.debug("loader %r failed on %s", spec.name, path, exc_info=True)  # -v shows it
        yield ReleaseError(path, f"the {spec.name} loader failed: {type(exc).__name__}: {exc}")


def iter_release_files(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    recursive: bool = True,
    skip_unknown: bool = False,
) -> Iterator[Path | ReleaseError]:
    """The release files under ``paths`` in the order :func:`iter_load_paths` reads them
    (and an error for each path that cannot be listed), without reading any file: a
    build hashes each one first and loads only those that changed."""
    yield from _files(_as_paths(paths), recursive, skip_unknown)


def load_file(path: str | os.PathLike[str], max_bytes: int | None = None, *,
              data: bytes | None = None) -> Iterator[Release | ReleaseError]:
    """The releases (and errors) of one file, as :func:`iter_load_paths` yields them,
    except that release ids are not compared across files.

    ``data``: the file's bytes, read elsewhere by :func:`read_file` (``path`` then only
    names the file and picks its loader; it need not exist here).
    """
    yield from _load_file(Path(path), MAX_RELEASE_BYTES if max_bytes is None else max_bytes,
                          data)


def read_file(path: str | os.PathLike[str], max_bytes: int | None = None) -> bytes:
    """The bytes of one release file, with the checks a loader's reading makes (a
    regular file, not empty, within ``max_bytes``): ``ReleaseError`` else.  Give them
    to :func:`load_file` as ``data`` to load the file where it cannot be read."""
    limit = MAX_RELEASE_BYTES if max_bytes is None else max_bytes
    return SourceFile(Path(path), "", limit).read_bytes()


def _as_paths(paths) -> list:
    if isinstance(paths, (str, os.PathLike)):
        return [paths]
    return list(paths)


def iter_load_paths(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    recursive: bool = True,
    max_bytes: int | None = None,
    skip_unknown: bool = False,
) -> Iterator[Release | ReleaseError]:
    """Stream the releases (and errors) of files and directories, in a stable order.

    Parameters
    ----------
    paths : files and directories (one path is accepted too).
    recursive : walk sub-directories.
    max_bytes : size limit of one release file (default ``MAX_RELEASE_BYTES``).
    skip_unknown : in directories, pass over files no loader is registered for
        instead of reporting them (files named explicitly are always reported).

    Yields
    ------
    ``Release`` for each release read, ``ReleaseError`` for each bad input.  A release
    whose id an earlier release already used is reported, not yielded.
    """
    limit = MAX_RELEASE_BYTES if max_bytes is None else max_bytes
    seen: dict[str, str] = {}
    for item in _files(_as_paths(paths), recursive, skip_unknown):
        if isinstance(item, ReleaseError):
            yield item
            continue
        for loaded in _load_file(item, limit):
            if isinstance(loaded, Release):
                if loaded.id in seen:
                    loaded = ReleaseError(loaded.source, f"release id {loaded.id!r} is also used "
                                          f"by {seen[loaded.id]}; set a distinct `id`")
                else:
                    seen[loaded.id] = loaded.source
            yield loaded


def load_paths(
    paths: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    recursive: bool = True,
    max_bytes: int | None = None,
    skip_unknown: bool = False,
) -> LoadResult:
    """Every release under ``paths``; bad inputs become errors and the rest goes on.

    Examples
    --------
    >>> releases, errors = load_paths(["data/releases"])  # doctest: +SKIP
    """
    result = LoadResult([], [])
    for item in iter_load_paths(paths, recursive=recursive, max_bytes=max_bytes,
                                skip_unknown=skip_unknown):
        (result.errors if isinstance(item, ReleaseError) else result.releases).append(item)
    return result


def load_path(
    path: str | os.PathLike[str],
    *,
    errors: list[ReleaseError] | None = None,
    max_bytes: int | None = None,
) -> Iterator[Release]:
    """The releases of one file (or of the files under one directory).

    Raises the first ``ReleaseError``; with ``errors=[]`` appends every error to that
    list instead and goes on (the other records of a ``.jsonl`` file still load).
    """
    for item in iter_load_paths([path], max_bytes=max_bytes):
        if isinstance(item, ReleaseError):
            if errors is None:
                raise item
            errors.append(item)
        else:
            yield item


def _register_builtin_loaders() -> None:
    for name in BUILTIN_LOADER_MODULES:
        importlib.import_module(f"{__name__}.{name}")


_register_builtin_loaders()

__all__ = [
    "ENTRY_POINT_GROUP", "MAX_RELEASE_BYTES", "LoadResult", "Loader", "LoaderSpec",
    "SourceFile", "iter_load_paths", "iter_release_files", "known_suffixes", "load_file",
    "load_path", "load_paths", "read_file",
    "loader_for", "loaders", "register",
]
