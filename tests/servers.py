"""Real SPARQL servers for the remote tests: `oxigraph serve` (from the `oxigraph` package) on a
free loopback port with a temporary store, and a small authenticating front for it (Oxigraph has
no authentication of its own; servers in use sit behind a proxy that asks for a password)."""

from __future__ import annotations

import base64
import http.client
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class OxigraphServer:
    """`oxigraph serve` on 127.0.0.1; `stop()` and `start()` again keep the store folder."""

    def __init__(self, binary: str, location: Path) -> None:
        self.binary, self.location = binary, location
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "serve",
                "--location",
                str(self.location),
                "--bind",
                f"127.0.0.1:{self.port}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):  # bounded: 20 s at most
            try:
                with urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("oxigraph serve exited at start") from None
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("oxigraph serve did not answer within 20 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def count(self, graph: str) -> int:
        """Triples in `graph`, asked over the protocol."""
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        request = urllib.request.Request(
            f"{self.url}/query",
            data=urllib.parse.urlencode({"query": query}).encode(),
            headers={"Accept": "text/csv"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return int(answer.read().decode().splitlines()[1])

    def graphs(self) -> set[str]:
        request = urllib.request.Request(
            f"{self.url}/query",
            data=urllib.parse.urlencode(
                {"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}
            ).encode(),
            headers={"Accept": "text/csv"},
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            return set(answer.read().decode().splitlines()[1:])


class AuthProxy:
    """Asks for HTTP Basic credentials, then forwards the request to `target` (host, port)."""

    def __init__(self, target: tuple[str, int], user: str, password: str) -> None:
        expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def _forward(self) -> None:
                if self.headers.get("Authorization") != expected:
                    # read the request first, as HTTP servers do: answering in the middle of an
                    # upload resets the connection, which the client rightly retries
                    self._body()
                    proxy.refused += 1
                    self.send_response(401, "Unauthorized")
                    self.send_header("WWW-Authenticate", 'Basic realm="studies"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = self._body()
                connection = http.client.HTTPConnection(*target, timeout=30)
                headers = {
                    k: v
                    for k, v in self.headers.items()
                    if k.lower()
                    not in ("authorization", "transfer-encoding", "content-length", "host")
                }
                try:
                    connection.request(self.command, self.path, body=body, headers=headers)
                    answer = connection.getresponse()
                except ConnectionRefusedError:
                    message = b"oxigraph is not answering"
                    self.send_response(502, "Bad Gateway")
                    self.send_header("Content-Type", "text/plain")
                    self.send_header("Content-Length", str(len(message)))
                    self.end_headers()
                    self.wfile.write(message)
                    return
                data = answer.read()
                self.send_response(answer.status, answer.reason)
                for key, value in answer.getheaders():
                    if key.lower() not in ("transfer-encoding", "content-length", "connection"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                connection.close()

            def _body(self) -> bytes | None:
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    parts = []
                    while True:
                        size = int(self.rfile.readline().split(b";")[0].strip(), 16)
                        if size == 0:
                            self.rfile.readline()
                            return b"".join(parts)
                        parts.append(self.rfile.read(size))
                        self.rfile.readline()
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else None

            do_GET = do_POST = do_PUT = do_DELETE = _forward

        self.refused = 0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
