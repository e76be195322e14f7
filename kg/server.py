"""Serve a store directory over HTTP with the Oxigraph server (the ``oxigraph`` CLI).

``kg serve`` calls :func:`serve`.  The server is read-only unless ``writable=True``
(``oxigraph serve-read-only`` vs ``oxigraph serve``), binds 127.0.0.1 unless told
otherwise, and answers queries whose default graph is the merge of the release graphs,
like the embedded store.  Endpoints: ``/query`` (SPARQL 1.1 Protocol), ``/update`` and ``/store``
(Graph Store Protocol; writable mode only).

Oxigraph itself listens on a private port of 127.0.0.1 that browsers refuse to reach;
the public address is served by :mod:`kg.server_guard`, which refuses cross-origin and
form-encoded writes, ``SERVICE`` (unless ``allow_service``), stops queries after
``timeout_s`` seconds and gives errors their HTTP status.

:func:`start_server` starts both in the background and waits, bounded, until they
answer; :class:`OxigraphServer` stops them (also as a context manager).
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from kg.errors import StoreError
from kg.server_guard import BROWSER_BLOCKED_PORTS, GuardPolicy, GuardServer
from kg.store.oxigraph import writer_pid

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT_S = 30.0
UPSTREAM_HOST = "127.0.0.1"


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
        command += ["--timeout-s", str(max(1, math.ceil(timeout_s)))]
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
    guard: GuardServer | None = None  # the public side (host, port); Oxigraph behind it
    upstream_port: int | None = None  # Oxigraph's private port on 127.0.0.1
    allow_service: bool = False
    timeout_s: float = DEFAULT_TIMEOUT_S
    restarts: int = 0  # times Oxigraph was restarted to stop a query it kept running
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _stopped: bool = field(default=False, repr=False)

    @property
    def url(self) -> str:
        """The server's base URL; the query endpoint is ``url + "/query"``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        return self.url + "/query"

    def running(self) -> bool:
        """Whether Oxigraph runs (waiting out a restart in progress)."""
        with self._lock:
            return self.process.poll() is None

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server: the guard, then Oxigraph (SIGTERM, then SIGKILL after
        ``timeout`` seconds)."""
        self._stopped = True
        if self.guard is not None:
            self.guard.stop()
            self.guard = None
        with self._lock:
            self._terminate(timeout)
        if self.output is not None:
            self.output.close()

    def stop_runaway(self, grace: float = 1.0) -> None:
        """Called by the guard when a query ran out of time and it closed the connection.

        Oxigraph stops a query whose answer it streams when the connection closes, and
        many others at its own timeout, but not every one (a large ``COUNT`` over a
        cross product runs on).  If Oxigraph still keeps a core busy ``grace`` seconds
        later, it is restarted on the same store and port: queries running at that
        moment fail with HTTP 502, nothing stored is lost (each update is one
        transaction).  A server in memory is never restarted.
        """
        if self.location is None or not self._lock.acquire(blocking=False):
            return  # nothing to restart from, or a restart is already under way
        try:
            time.sleep(grace)
            if self._stopped or self.process.poll() is not None or not _busy(self.process.pid):
                return
            log.warning("a query outlived the %g s timeout; restarting the oxigraph server",
                        self.timeout_s)
            self._terminate()
            self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL,
                                            stdout=self.output, stderr=subprocess.STDOUT)
            self.restarts += 1
            _wait_until_ready(self, 30.0)
        except (StoreError, OSError) as err:
            log.error("restarting the oxigraph server failed: %s", err)
        finally:
            self._lock.release()

    def _terminate(self, timeout: float = 10.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)

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
    allow_service: bool = False,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    ready_timeout: float = 30.0,
) -> OxigraphServer:
    """Start the Oxigraph server on ``location`` behind its guard; wait until it answers.

    ``port=None`` picks a free port.  A read-only server needs an existing store
    directory (build it with the embedded store first) and must not share it with a
    process that writes.  ``allow_service`` lets queries use ``SERVICE`` (and updates
    ``LOAD``); ``timeout_s`` bounds each query.  Raises ``StoreError`` if the server
    exits or does not answer within ``ready_timeout`` seconds; everything started is
    stopped in that case.
    """
    if timeout_s <= 0:
        raise StoreError(f"--timeout must be a positive number of seconds, not {timeout_s:g}")
    if location is not None:
        location = store_directory(location)
        if not writable and not (location / "CURRENT").is_file():
            raise StoreError(
                f"{location}: no Oxigraph store here; build it first (kg build RELEASES --store DIR)"
            )
        writer = writer_pid(location) if not writable else None
        if writer is not None:
            raise StoreError(
                f"{location}: another process (pid {writer}) is writing this store; serve it "
                "read-only once that has finished (reading it meanwhile is undefined)"
            )
    if port is None:
        port = free_port(host)
    elif not port_is_free(host, port):
        raise StoreError(
            f"{_bind_address(host, port)} is already in use; stop that server or pick another port"
        )
    upstream_port = private_port()
    command = server_command(location, host=UPSTREAM_HOST, port=upstream_port,
                             writable=writable, timeout_s=timeout_s)
    log.info("starting %s", " ".join(command))
    # A file, not a pipe: a chatty server must never block on a full pipe.
    output = tempfile.TemporaryFile()
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT
    )
    server = OxigraphServer(
        process, host, port, None if location is None else str(location), writable, command,
        output, upstream_port=upstream_port, allow_service=allow_service, timeout_s=timeout_s,
    )
    try:
        policy = GuardPolicy(UPSTREAM_HOST, upstream_port, host, port, writable=writable,
                             allow_service=allow_service, timeout_s=timeout_s)
        try:
            server.guard = GuardServer(policy, on_timeout=server.stop_runaway)
        except OSError as err:
            raise StoreError(f"cannot listen on {_bind_address(host, port)}: {err.strerror or err}"
                             ) from err
        server.guard.start()
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
    allow_service: bool = False,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    announce=None,
) -> int:
    """Run the server in the foreground until it exits or is interrupted (Ctrl-C).

    ``location`` is the store directory, or a store URL naming one (``oxigraph:PATH``).
    ``announce`` is called with one line saying where the server listens.
    Returns the Oxigraph server's exit code (0 after an interrupt).
    """
    location = store_directory(location)
    log.info("serving %s (%s)", location, "writable" if writable else "read-only")
    server = start_server(location, host=host, port=port, writable=writable,
                          allow_service=allow_service, timeout_s=timeout_s)

    def _stop(signum, frame):  # SIGTERM ends the server like Ctrl-C does
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, _stop)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        if announce is not None:
            announce(
                f"serving {location} at {server.query_url} "
                f"({'writable' if writable else 'read-only'}; SERVICE "
                f"{'allowed' if allow_service else 'disabled'}; queries stopped after "
                f"{timeout_s:g} s); Ctrl-C stops it"
            )
        while server.running():
            time.sleep(0.5)
        code = server.process.returncode
        message = server.last_message()
        server.stop()
        if code:
            raise StoreError(f"the oxigraph server on {location} exited with code {code}: "
                             f"{message or 'no message'}")
        return code
    except KeyboardInterrupt:
        server.stop()
        return 0
    finally:
        server.stop()
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


def private_port() -> int:
    """A free port on 127.0.0.1 for Oxigraph behind the guard: one that browsers refuse
    to connect to, so no web page can reach it; any free port if all of those are taken."""
    for candidate in BROWSER_BLOCKED_PORTS:
        if port_is_free(UPSTREAM_HOST, candidate):
            return candidate
    log.warning("every browser-blocked port is taken; Oxigraph gets an ordinary port")
    return free_port(UPSTREAM_HOST)


def port_is_free(host: str, port: int) -> bool:
    """Whether nothing listens on ``host:port`` (so a readiness probe cannot reach
    another server)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        # As servers bind: connections closed a moment ago (TIME_WAIT) do not count.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _busy(pid: int, window: float = 0.5) -> bool:
    """Whether process ``pid`` used over a third of a core during ``window`` seconds
    (always ``True`` where ``/proc`` cannot tell)."""
    stat = Path(f"/proc/{pid}/stat")

    def cpu() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    try:
        before = cpu()
        time.sleep(window)
        return cpu() - before > window / 3
    except (OSError, ValueError, IndexError):
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
