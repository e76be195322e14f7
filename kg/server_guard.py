"""The guard in front of the ``oxigraph`` server that ``kg serve`` starts.

The ``oxigraph`` server has no switch to refuse cross-origin writes, ``SERVICE`` or
``LOAD``, and its ``--timeout-s`` neither stops a query that streams its answer nor
changes the status of an answer cut by an error (it sends HTTP 200 and appends the
error text to the half-written results).  So ``kg serve`` runs Oxigraph on a private
port of 127.0.0.1 and puts this small HTTP proxy on the public address.  It:

* refuses a request whose ``Origin`` is another site, whose ``Sec-Fetch-Site`` is
  ``cross-site``, or whose ``Host`` is not a name of this server (DNS rebinding):
  HTTP 403;
* accepts SPARQL updates only as ``POST`` with ``Content-Type:
  application/sparql-update`` (a web form cannot send that type), and Graph Store
  writes only with an RDF content type: HTTP 415 otherwise; a read-only server
  refuses every write with HTTP 403;
* refuses queries with ``SERVICE`` and updates with ``SERVICE`` or ``LOAD`` (both
  make the server send requests elsewhere) unless started with ``allow_service``:
  HTTP 403;
* gives each query ``timeout_s`` seconds: past that it closes the connection to
  Oxigraph (which stops the evaluation; Oxigraph's own timeout, set to the same
  value, stops a query that has not written anything yet) and answers HTTP 503;
* receives the whole answer before sending it, checks that it parses, and turns an
  answer cut by an error into HTTP 500 (HTTP 503 for a cancelled query) with the
  error in one line of text.

The private port is one that web browsers refuse to connect to (the WHATWG Fetch
standard's list of "bad ports"), so a web page cannot reach Oxigraph directly either.
"""

from __future__ import annotations

import http.client
import logging
import re
import shutil
import socket
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox

log = logging.getLogger(__name__)

#: Ports above 1023 that browsers refuse to fetch from (WHATWG Fetch, "bad port").
BROWSER_BLOCKED_PORTS = (10080, 6665, 6666, 6667, 6668, 6669, 6697, 6566, 6000, 5060,
                         5061, 4190, 4045, 3659, 2049, 1723, 1720, 1719)

MAX_REQUEST_BYTES = 16 * 1024 * 1024  # a query or update text
MAX_RESULT_BYTES = 512 * 1024 * 1024  # one query answer, spooled to a temporary file
SPOOL_IN_MEMORY = 8 * 1024 * 1024

SPARQL_UPDATE = "application/sparql-update"
SPARQL_QUERY = "application/sparql-query"
FORM = "application/x-www-form-urlencoded"
# What an HTML form (or a "simple" cross-origin request) can send.
FORM_TYPES = frozenset((FORM, "multipart/form-data", "text/plain"))
HOP_BY_HOP = frozenset(("connection", "keep-alive", "proxy-authenticate",
                        "proxy-authorization", "te", "trailer", "transfer-encoding",
                        "upgrade", "host", "origin", "referer", "cookie",
                        "content-length"))

# -- finding SERVICE and LOAD in SPARQL text -----------------------------------------------

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_NAME = r"A-Za-z0-9_\-.\u00B7\u00C0-\uFFFF"
_TOKEN = re.compile(
    r"""
      (?P<comment>\#[^\n\r]*)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"{1,2}(?!"))*\"\"\"
                | '''(?:[^'\\]|\\.|'{1,2}(?!'))*'''
                | "(?:[^"\\\n\r]|\\.)*"
                | '(?:[^'\\\n\r]|\\.)*')
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]*)
    | (?P<pname>(?:[A-Za-z\u00C0-\uFFFF][NAME]*)?:(?:[NAME:%]|\\.)*)
    | (?P<word>[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_\u00C0-\uFFFF]*)
    """.replace("NAME", _NAME),
    re.VERBOSE | re.DOTALL,
)


def _unescape(text: str) -> str:
    """SPARQL's ``\\uXXXX`` escapes, which the standard applies before parsing."""

    def char(match: re.Match) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except ValueError:
            return match.group(0)

    return _ESCAPE.sub(char, text)


def outbound_keywords(sparql: str, keywords: Iterable[str] = ("SERVICE",)) -> set[str]:
    """The ``keywords`` (``SERVICE``, ``LOAD``) that ``sparql`` may use as keywords.

    Strings, IRIs, comments, variables and the local part of prefixed names are
    skipped; anywhere else a keyword is found even inside a longer word (a parser may
    read ``1SERVICE`` or ``SERVICE:x`` as the keyword followed by something), so a
    rare harmless query may be refused, never a harmful one let through.

    >>> sorted(outbound_keywords('SELECT * { SERVICE <http://x/> { ?s ?p "SERVICE" } }'))
    ['SERVICE']
    >>> outbound_keywords('SELECT ?service { ?s schema:serviceType ?service } # SERVICE')
    set()
    """
    wanted = {k.upper() for k in keywords}
    found: set[str] = set()
    text = _unescape(sparql)
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            position += 1
            continue
        position = max(match.end(), position + 1)
        kind = match.lastgroup
        if kind == "word":
            part = match.group()
        elif kind == "pname":
            part = match.group().split(":", 1)[0]  # the prefix, never the local name
        else:
            continue
        upper = part.upper()
        found.update(k for k in wanted if k in upper)
    return found


# -- the proxy -------------------------------------------------------------------------------


@dataclass(frozen=True)
class GuardPolicy:
    """What the guard lets through."""

    upstream_host: str
    upstream_port: int
    public_host: str
    public_port: int
    writable: bool = False
    allow_service: bool = False
    timeout_s: float = 30.0
    max_result_bytes: int = MAX_RESULT_BYTES

    def allowed_hosts(self) -> set[str] | None:
        """The ``Host`` header values this server answers to; ``None``: any (the server
        listens on every interface)."""
        if self.public_host in ("0.0.0.0", "::", ""):
            return None
        port = self.public_port
        names = {self.public_host, "localhost", "127.0.0.1", "[::1]"}
        hosts = {f"[{n}]:{port}" if ":" in n and not n.startswith("[") else f"{n}:{port}"
                 for n in names}
        if port == 80:
            hosts |= {h.rsplit(":", 1)[0] for h in hosts}
        return hosts


class _Refused(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _media_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


class _BodyReader:
    """At most ``length`` bytes of the request body (for streaming uploads)."""

    def __init__(self, stream, length: int):
        self.stream = stream
        self.left = length

    def read(self, size: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        size = self.left if size is None or size < 0 else min(size, self.left)
        data = self.stream.read(size)
        self.left -= len(data)
        return data


class GuardHandler(BaseHTTPRequestHandler):
    """One request: check it, forward it to Oxigraph, answer with the right status."""

    server_version = "corporate-kg-guard"
    protocol_version = "HTTP/1.0"
    policy: GuardPolicy  # set on the subclass the guard creates

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        log.info("%s %s", self.address_string(), format % args)

    def do_GET(self):
        self._handle()

    def do_HEAD(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def do_PUT(self):
        self._handle()

    def do_DELETE(self):
        self._handle()

    def do_OPTIONS(self):
        self._handle()

    def do_PATCH(self):
        self._handle()

    # -- checks ------------------------------------------------------------------------

    def _handle(self) -> None:
        try:
            self._check_origin()
            path = urllib.parse.urlsplit(self.path).path
            if path == "/query":
                self._query()
            elif path == "/update":
                self._update()
            elif path == "/store" or path.startswith("/store/"):
                self._graph_store()
            elif path == "/" and self.command in ("GET", "HEAD"):
                self._forward_streaming(None)
            else:
                raise _Refused(404, f"no endpoint {path}; use /query, /update or /store")
        except _Refused as refused:
            self._send_error(refused.status, refused.message)
        except (ConnectionError, TimeoutError) as err:
            log.info("connection to %s lost: %s", self.address_string(), err)

    def _check_origin(self) -> None:
        host = self.headers.get("Host")
        allowed = self.policy.allowed_hosts()
        if host is not None and allowed is not None and host.lower() not in allowed:
            raise _Refused(403, f"requests for host {host!r} are refused; this server answers "
                                "to 127.0.0.1 and localhost (DNS rebinding protection)")
        if (self.headers.get("Sec-Fetch-Site") or "").lower() == "cross-site":
            raise _Refused(403, "cross-site requests are refused")
        origin = self.headers.get("Origin")
        if origin is None:
            return
        parts = urllib.parse.urlsplit(origin)
        same = parts.scheme == "http" and (
            (host is not None and parts.netloc.lower() == host.lower())
            or (host is None and allowed is not None and parts.netloc.lower() in allowed))
        if not same:
            raise _Refused(403, f"cross-origin requests are refused (Origin: {origin[:100]})")

    def _content_length(self) -> int:
        """The request body's length: a body needs a Content-Length, not chunks."""
        if self.headers.get("Transfer-Encoding"):
            raise _Refused(411, "send the request body with a Content-Length")
        try:
            return int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise _Refused(400, "Content-Length is not a number") from None

    def _read_body(self) -> bytes:
        length = self._content_length()
        if length > MAX_REQUEST_BYTES:
            raise _Refused(413, f"request body over {MAX_REQUEST_BYTES // (1024 * 1024)} MB")
        return self.rfile.read(length) if length > 0 else b""

    def _check_outbound(self, texts: list[str], keywords: tuple[str, ...]) -> None:
        if self.policy.allow_service:
            return
        found = set()
        for text in texts:
            found |= outbound_keywords(text, keywords)
        if found:
            words = " and ".join(sorted(found))
            raise _Refused(403, f"{words} is disabled on this server (it would make the server "
                                "send requests elsewhere); start it with --allow-service")

    def _query(self) -> None:
        if self.command == "GET":
            params = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            texts = params.get("query", [])
            body = None
        elif self.command == "POST":
            body = self._read_body()
            kind = _media_type(self.headers.get("Content-Type"))
            if kind == FORM:
                texts = urllib.parse.parse_qs(body.decode("utf-8", "replace")).get("query", [])
            elif kind == SPARQL_QUERY:
                texts = [body.decode("utf-8", "replace")]
            else:
                raise _Refused(415, f"send a query as {SPARQL_QUERY} or {FORM}, "
                                    f"not {kind or 'no content type'}")
        else:
            raise _Refused(405, "use GET or POST for /query")
        if len(texts) != 1:
            raise _Refused(400, "give exactly one query")
        self._check_outbound(texts, ("SERVICE",))
        self._forward_query(body)

    def _update(self) -> None:
        if not self.policy.writable:
            raise _Refused(403, "this server is read-only; start it with --writable to update")
        if self.command != "POST":
            raise _Refused(405, "send updates with POST")
        kind = _media_type(self.headers.get("Content-Type"))
        if kind != SPARQL_UPDATE:
            raise _Refused(415, f"send updates as {SPARQL_UPDATE}, not {kind or 'no content type'}"
                                " (form-encoded updates are refused)")
        body = self._read_body()
        self._check_outbound([body.decode("utf-8", "replace")], ("SERVICE", "LOAD"))
        self._forward_buffered(body)

    def _graph_store(self) -> None:
        if self.command in ("GET", "HEAD"):
            self._forward_streaming(None)
            return
        if self.command not in ("PUT", "POST", "DELETE"):
            raise _Refused(405, "use GET, PUT, POST or DELETE on /store")
        if not self.policy.writable:
            raise _Refused(403, "this server is read-only; start it with --writable to write")
        if self.command != "DELETE":
            kind = _media_type(self.headers.get("Content-Type"))
            if not kind or kind in FORM_TYPES:
                raise _Refused(415, f"send graphs with an RDF content type, not "
                                    f"{kind or 'no content type'}")
        length = self._content_length()
        self._forward_streaming(_BodyReader(self.rfile, length), length)

    # -- forwarding --------------------------------------------------------------------

    def _upstream(self, timeout: float | None) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.policy.upstream_host, self.policy.upstream_port,
                                          timeout=timeout)

    def _forward_headers(self, length: int | None) -> dict[str, str]:
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        if length is not None:
            headers["Content-Length"] = str(length)
        return headers

    def _forward_query(self, body: bytes | None) -> None:
        policy = self.policy
        deadline = time.monotonic() + policy.timeout_s
        connection = self._upstream(policy.timeout_s)
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
        try:
            try:
                connection.request(self.command, self.path, body=body,
                                   headers=self._forward_headers(None if body is None
                                                                 else len(body)))
                sock = connection.sock  # kept: getresponse() may drop the connection's
                response = connection.getresponse()
                size = 0
                while True:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        raise TimeoutError
                    sock.settimeout(left)
                    chunk = response.read1(65536)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > policy.max_result_bytes:
                        raise _Refused(500, f"the answer is over "
                                            f"{policy.max_result_bytes // (1024 * 1024)} MB; "
                                            "ask for less (LIMIT, fewer variables)")
                    spool.write(chunk)
            except TimeoutError:
                connection.close()
                self._report_timeout()
                raise _Refused(503, f"the query did not finish within {policy.timeout_s:g} s "
                                    "and was stopped; narrow it or raise --timeout") from None
            except (OSError, http.client.HTTPException) as err:
                raise _Refused(502, f"the oxigraph server failed: {err}") from None
            finally:
                connection.close()  # on a timeout, this is what stops the evaluation
            content_type = response.getheader("Content-Type") or ""
            if response.status == 200:
                problem = _answer_problem(spool, content_type)
                if problem is not None:
                    status = 503 if "cancel" in problem.lower() else 500
                    raise _Refused(status, f"the query failed while its answer was written: "
                                           f"{problem}")
            spool.seek(0)
            self._send(response.status, response.getheaders(), spool, size)
        finally:
            spool.close()

    def _report_timeout(self) -> None:
        callback = getattr(self.server, "on_timeout", None)
        if callback is not None:
            threading.Thread(target=callback, name="kg-serve-runaway", daemon=True).start()

    def _forward_buffered(self, body: bytes) -> None:
        connection = self._upstream(None)
        try:
            connection.request(self.command, self.path, body=body,
                               headers=self._forward_headers(len(body)))
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as err:
            raise _Refused(502, f"the oxigraph server failed: {err}") from None
        finally:
            connection.close()
        self._send_bytes(response.status, response.getheaders(), data)

    def _forward_streaming(self, body, length: int | None = None) -> None:
        connection = self._upstream(None)
        try:
            try:
                connection.request(self.command, self.path, body=body,
                                   headers=self._forward_headers(length))
                response = connection.getresponse()
            except (OSError, http.client.HTTPException) as err:
                raise _Refused(502, f"the oxigraph server failed: {err}") from None
            self.send_response(response.status)
            for key, value in response.getheaders():
                if key.lower() not in HOP_BY_HOP and key.lower() not in ("server", "date"):
                    self.send_header(key, value)
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                shutil.copyfileobj(response, self.wfile, 65536)
        finally:
            connection.close()

    # -- answers -----------------------------------------------------------------------

    def _send(self, status: int, headers, body, length: int) -> None:
        self.send_response(status)
        for key, value in headers:
            if key.lower() not in HOP_BY_HOP and key.lower() not in ("server", "date"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(length))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            shutil.copyfileobj(body, self.wfile, 65536)

    def _send_bytes(self, status: int, headers, data: bytes) -> None:
        import io

        self._send(status, headers, io.BytesIO(data), len(data))

    def _send_error(self, status: int, message: str) -> None:
        data = (" ".join(message.split()) + "\n").encode("utf-8")
        try:
            self._send_bytes(status, [("Content-Type", "text/plain; charset=utf-8")], data)
        except (ConnectionError, TimeoutError):
            pass


def _answer_problem(spool, content_type: str) -> str | None:
    """Why a complete HTTP 200 answer does not parse (Oxigraph appends its error to
    the half-written results), or ``None``."""
    kind = _media_type(content_type)
    spool.seek(0)
    try:
        if kind in ("application/sparql-results+json", "application/json"):
            _consume(ox.parse_query_results(spool, ox.QueryResultsFormat.JSON))
        elif kind in ("application/sparql-results+xml", "application/xml"):
            _consume(ox.parse_query_results(spool, ox.QueryResultsFormat.XML))
        elif kind == "text/tab-separated-values":
            _consume(ox.parse_query_results(spool, ox.QueryResultsFormat.TSV))
        elif kind == "text/csv":  # no parser: an answer ends with a line break
            size = spool.seek(0, 2)
            spool.seek(max(0, size - 2))
            if spool.read() != b"\r\n":
                return _error_tail(spool)
        else:
            rdf = ox.RdfFormat.from_media_type(kind) if kind else None
            if rdf is not None:
                _consume(ox.parse(spool, rdf))
    except (SyntaxError, ValueError, OSError):
        return _error_tail(spool)
    return None


def _consume(items) -> None:
    if isinstance(items, ox.QueryBoolean):
        return
    for _ in items:
        pass


_LAST_PIECE = re.compile(r"[\[\]{},>\n]([^\[\]{},>\n]+)\s*$")


def _error_tail(spool) -> str:
    spool.seek(0, 2)
    size = spool.tell()
    spool.seek(max(0, size - 400))
    tail = spool.read().decode("utf-8", "replace")
    match = _LAST_PIECE.search(tail)
    text = match.group(1) if match else tail
    return " ".join(text.split())[:300] or "the answer was cut"


class GuardServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True  # a restart must not wait for TIME_WAIT; never a 2nd listener

    def __init__(self, policy: GuardPolicy, on_timeout=None):
        self.on_timeout = on_timeout  # called (in a thread) after a query ran out of time
        handler = type("BoundGuardHandler", (GuardHandler,), {"policy": policy})
        family = socket.AF_INET6 if ":" in policy.public_host else socket.AF_INET
        self.address_family = family
        super().__init__((policy.public_host, policy.public_port), handler)
        self.policy = policy
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        """Serve in a background thread."""
        self.thread = threading.Thread(target=self.serve_forever, name="kg-serve-guard",
                                       daemon=True)
        self.thread.start()

    def stop(self) -> None:
        if self.thread is not None:
            self.shutdown()
            self.thread.join(timeout=10)
            self.thread = None
        self.server_close()
