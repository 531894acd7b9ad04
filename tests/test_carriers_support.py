"""Test helpers for the carrier clients: fixtures, a replay transport, a slow local server.

No test here reaches the network: ``FixtureAdapter`` answers ``requests`` calls from
files under ``tests/data/carriers``, and ``LocalServer`` listens on 127.0.0.1 only, to
exercise real socket timeouts.
"""

import io
import json
import logging
import os
import socket
import threading
import time
from collections import namedtuple
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from .. import exceptions as errors

DATA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "carriers")

Reply = namedtuple("Reply", "status body headers", defaults=(200, b"{}", None))


def fixture_bytes(name):
    with open(os.path.join(DATA_DIR, name), "rb") as handle:
        return handle.read()


def fixture_json(name):
    return json.loads(fixture_bytes(name).decode("utf-8"))


def reply(name=None, status=200, headers=None, body=None):
    """A canned answer from a fixture file (or raw ``body`` bytes)."""
    payload = body if body is not None else (fixture_bytes(name) if name else b"")
    if isinstance(payload, (dict, list)):
        payload = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    base_headers = {"Content-Type": "application/json; charset=utf-8"}
    return Reply(status, payload, {**base_headers, **(headers or {})})


def _matches(match, request, path):
    return match(request) if callable(match) else path.endswith(match)


class FixtureAdapter(BaseAdapter):
    """A ``requests`` transport answering from a route table instead of the network.

    ``routes`` is a list of ``(method, path_suffix_or_callable, answer)``; ``answer`` is a
    ``Reply``, an exception instance to raise, or a callable ``request -> Reply``.
    Every prepared request and the ``timeout`` it was sent with are recorded.
    """

    def __init__(self, routes):
        super().__init__()
        self.routes = list(routes)
        self.calls = []

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        self.calls.append((request, timeout))
        path = requests.utils.urlparse(request.url).path
        for method, match, answer in self.routes:
            if method != request.method or not _matches(match, request, path):
                continue
            if isinstance(answer, BaseException):
                raise answer
            if callable(answer):
                answer = answer(request)
            return self._build(request, answer)
        return self._build(request, reply(status=599, body=b'{"error": "no route in test"}'))

    @staticmethod
    def _build(request, answer):
        response = requests.Response()
        response.status_code = answer.status
        response.headers = CaseInsensitiveDict(answer.headers or {})
        response.raw = io.BytesIO(answer.body)
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        response.reason = "TEST"
        return response

    def close(self):
        pass


def session_with(adapter):
    session = requests.Session()
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


class _Handler(BaseHTTPRequestHandler):
    def _answer(self):
        server = self.server
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        time.sleep(server.delay)
        body = server.body
        self.send_response(server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            if server.trickle:
                for byte in body:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(server.trickle)
            else:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up, which is what the timeout tests expect.
            server.client_gone += 1

    do_GET = _answer
    do_POST = _answer

    def log_message(self, *args):
        pass


class LocalServer:
    """An HTTP server on 127.0.0.1 that answers after ``delay`` seconds (or trickles)."""

    def __init__(self, delay=0.0, body=b"{}", status=200, trickle=0.0):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.httpd.delay, self.httpd.body = delay, body
        self.httpd.status, self.httpd.trickle = status, trickle
        self.httpd.client_gone = 0
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def closed_port_url():
    """A loopback URL nobody listens on (connection refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


class LogCapture(logging.Handler):
    """Collects every log record of the carriers package, down to DEBUG."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())

    def __enter__(self):
        self.logger = logging.getLogger(__name__.rsplit(".", 2)[0] + ".carriers")
        self.old_level = self.logger.level
        self.logger.setLevel(logging.DEBUG)
        self.logger.addHandler(self)
        return self

    def __exit__(self, *exc):
        self.logger.removeHandler(self)
        self.logger.setLevel(self.old_level)


class CarrierContract:
    """Behaviour every HTTP carrier client must show; mixed into one TestCase each.

    A subclass sets ``secret``, ``code`` and ``unknown_code``, and implements
    ``make_client(session=None, base_url=None, timeout=None)``, ``routes_with(answer)``
    (the route table with the tracking call answering ``answer``) and
    ``unknown_answer()`` (how the provider says it does not know a code).
    """

    secret = ""
    code = ""
    unknown_code = ""

    def fetch_one(self, answer, code=None):
        code = code or self.code
        self.adapter = FixtureAdapter(self.routes_with(answer))
        client = self.make_client(session=session_with(self.adapter))
        return client.fetch([code])[code]

    def assertNoSecret(self, *texts):
        for text in texts:
            self.assertNotIn(self.secret, str(text))

    def test_contract_401_is_permanent_authentication_error(self):
        body = {"message": f"invalid credentials {self.secret}"}
        error = self.fetch_one(reply(status=401, body=body))
        self.assertIsInstance(error, errors.AuthenticationError)
        self.assertFalse(error.retryable)
        self.assertNoSecret(error, repr(error))

    def test_contract_500_is_retryable(self):
        error = self.fetch_one(reply(status=500, body={"message": "upstream down"}))
        self.assertIsInstance(error, errors.RetryableError)
        self.assertTrue(error.retryable)
        self.assertEqual(error.status_code, 500)

    def test_contract_429_is_retryable_with_retry_after(self):
        error = self.fetch_one(reply(status=429, body={}, headers={"Retry-After": "7"}))
        self.assertIsInstance(error, errors.RetryableError)
        self.assertEqual(error.retry_after, 7.0)

    def test_contract_html_body_is_invalid_response(self):
        error = self.fetch_one(reply("junk.html", headers={"Content-Type": "text/html"}))
        self.assertIsInstance(error, errors.InvalidResponseError)
        self.assertTrue(error.retryable)

    def test_contract_truncated_json_is_invalid_response(self):
        error = self.fetch_one(reply("truncated.json"))
        self.assertIsInstance(error, errors.InvalidResponseError)

    def test_contract_wrong_shape_is_invalid_response(self):
        for name in ("wrong_shape_list.json", "wrong_shape_object.json"):
            with self.subTest(name=name):
                error = self.fetch_one(reply(name))
                self.assertIsInstance(error, errors.InvalidResponseError)

    def test_contract_unknown_code_is_permanent(self):
        error = self.fetch_one(self.unknown_answer(), code=self.unknown_code)
        self.assertIsInstance(error, errors.TrackingNotFoundError)
        self.assertFalse(error.retryable)
        self.assertEqual(error.tracking_code, self.unknown_code)

    def test_contract_connection_error_is_retryable_and_redacted(self):
        leak = requests.ConnectionError(f"cannot reach https://x.test/?api_key={self.secret}")
        error = self.fetch_one(leak)
        self.assertIsInstance(error, errors.RetryableError)
        self.assertNotIsInstance(error, errors.InvalidResponseError)
        self.assertNoSecret(error, repr(error))

    def test_contract_read_timeout_on_local_server_is_retryable(self):
        with LocalServer(delay=1.5) as server:
            client = self.make_client(base_url=server.url, timeout=(0.5, 0.2))
            started = time.monotonic()
            error = client.fetch([self.code])[self.code]
            elapsed = time.monotonic() - started
        self.assertIsInstance(error, errors.RetryableError)
        self.assertIn("timeout", str(error))
        self.assertLess(elapsed, 1.2)

    def test_contract_every_request_has_explicit_timeout(self):
        self.fetch_one(reply(status=500, body={}))
        self.assertTrue(self.adapter.calls)
        for _request, timeout in self.adapter.calls:
            self.assertIsInstance(timeout, tuple)
            self.assertEqual(len(timeout), 2)
            self.assertTrue(all(t > 0 for t in timeout))

    def test_contract_secret_absent_from_logs_errors_and_repr(self):
        body = {"error": f"bad key {self.secret}", "password": self.secret}
        with LogCapture() as logs:
            error = self.fetch_one(reply(status=403, body=body))
            client = self.make_client()
        self.assertTrue(logs.messages)  # the request was logged...
        self.assertNoSecret(error, repr(error), repr(client), *logs.messages)  # ...redacted
