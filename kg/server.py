"""Serve a store directory over HTTP with the Oxigraph server (the ``oxigraph`` CLI).

``kg serve`` calls :func:`serve`.  The server is read-only unless ``writable=True``
(``oxigraph serve-read-only`` vs ``oxigraph serve``), binds 127.0.0.1 unless told
otherwise, and answers queries whose default graph is the merge of the release graphs,
like the embedded store.  Endpoints: ``/query`` (SPARQL 1.1 Protocol), ``/update`` and ``/store``
(Graph Store Protocol; writable mode only).

:func:`start_server` starts it in the background and waits, bounded, until it answers;
:class:`OxigraphServer` stops it (also as a context manager).
"""

from __future__ import annotations

import logging
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from kg.errors import StoreError

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878


def oxigraph_executable() -> str:
    """The ``oxigraph`` server CLI: next to this Python first, then on ``PATH``."""
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise StoreError(
        "the `oxigraph` server CLI is not installed; install it with "
        "`pip install 'corporate-kg[server]'` (PyPI package oxigraph)"
    )


def server_command(
    location: str | Path | None,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    writable: bool = False,
    timeout_s: int | None = None,
) -> list[str]:
    """The ``oxigraph`` command line that serves ``location`` (``None``: in memory)."""
    if location is None and not writable:
        raise StoreError("a read-only server needs a store directory; pass the store path")
    command = [oxigraph_executable(), "serve" if writable else "serve-read-only"]
    if location is not None:
        command += ["--location", str(location)]
    command += ["--bind", _bind_address(host, port)]
    if timeout_s is not None:
        command += ["--timeout-s", str(int(timeout_s))]
    return command


@dataclass
class OxigraphServer:
    """A running ``oxigraph`` server process started by :func:`start_server`."""

    process: subprocess.Popen
    host: str
    port: int
    location: str | None
    writable: bool
    command: list[str] = field(default_factory=list)
    output: IO[bytes] | None = None  # the server's stdout and stderr (a temporary file)

    @property
    def url(self) -> str:
        """The server's base URL; the query endpoint is ``url + "/query"``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server: SIGTERM, then SIGKILL after ``timeout`` seconds."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)
        if self.output is not None:
            self.output.close()

    def last_message(self) -> str:
        """The server's error line (``Error: ...``), else the last line it printed."""
        if self.output is None or self.output.closed:
            return ""
        self.output.seek(0)
        lines = self.output.read().decode("utf-8", "replace").strip().splitlines()
        errors = [line.strip() for line in lines if line.startswith("Error")]
        return errors[0] if errors else (lines[-1].strip() if lines else "")

    def __enter__(self) -> OxigraphServer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()


def start_server(
    location: str | Path | None,
    *,
    host: str = DEFAULT_HOST,
    port: int | None = DEFAULT_PORT,
    writable: bool = False,
    ready_timeout: float = 30.0,
) -> OxigraphServer:
    """Start the Oxigraph server on ``location`` and wait until it answers a query.

    ``port=None`` picks a free port.  A read-only server needs an existing store
    directory (build it with the embedded store first) and must not share it with a
    process that writes.  Raises ``StoreError`` if the server exits or does not answer
    within ``ready_timeout`` seconds; the process is stopped in that case.
    """
    if location is not None:
        location = store_directory(location)
        if not writable and not (location / "CURRENT").is_file():
            raise StoreError(
                f"{location}: no Oxigraph store here; build it first (kg build RELEASES --store DIR)"
            )
    if port is None:
        port = free_port(host)
    elif not port_is_free(host, port):
        raise StoreError(
            f"{_bind_address(host, port)} is already in use; stop that server or pick another port"
        )
    command = server_command(location, host=host, port=port, writable=writable)
    log.info("starting %s", " ".join(command))
    # A file, not a pipe: a chatty server must never block on a full pipe.
    output = tempfile.TemporaryFile()
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT
    )
    server = OxigraphServer(
        process, host, port, None if location is None else str(location), writable, command, output
    )
    try:
        _wait_until_ready(server, ready_timeout)
    except BaseException:
        server.stop()
        raise
    return server


def serve(
    location: str | Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    writable: bool = False,
) -> int:
    """Run the server in the foreground until it exits or is interrupted (Ctrl-C).

    ``location`` is the store directory, or a store URL naming one (``oxigraph:PATH``).
    Returns the server's exit code (0 after an interrupt).
    """
    location = store_directory(location)
    log.info("serving %s (%s)", location, "writable" if writable else "read-only")
    if not writable and not (location / "CURRENT").is_file():
        raise StoreError(
            f"{location}: no Oxigraph store here; build it first (kg build RELEASES --store DIR)"
        )
    if not port_is_free(host, port):
        raise StoreError(
            f"{_bind_address(host, port)} is already in use; stop that server or pick another port"
        )
    command = server_command(location, host=host, port=port, writable=writable)
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL)

    def _stop(signum, frame):  # SIGTERM ends the server like Ctrl-C does
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, _stop)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        return 0
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def store_directory(location: str | Path) -> Path:
    """The directory of an embedded store given as a path or an ``oxigraph:PATH`` URL."""
    text = str(location)
    if text.startswith("oxigraph:"):
        text = text[len("oxigraph:") :].removeprefix("//")
    elif text.startswith(("memory:", "http://", "https://")):
        raise StoreError(
            f"{text}: only an on-disk store can be served; pass its directory (e.g. out/store)"
        )
    return Path(text)


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port that is free on ``host`` right now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_is_free(host: str, port: int) -> bool:
    """Whether nothing listens on ``host:port`` (so a readiness probe cannot reach
    another server)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _wait_until_ready(server: OxigraphServer, timeout: float) -> None:
    probe = server.query_url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    delay = 0.05
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise StoreError(
                f"the oxigraph server on {server.location or 'memory'} exited with code "
                f"{server.process.returncode}: {server.last_message() or 'no message'}"
            )
        try:
            with opener.open(probe, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(delay)
        delay = min(delay * 2, 0.5)
    raise StoreError(f"the oxigraph server at {server.url} did not answer within {timeout:.0f} s")
