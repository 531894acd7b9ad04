"""What the local fakes of vendors' APIs share (carrier, SMS gateway, Bot API): an HTTP server on
a free port of 127.0.0.1 in a background thread, bounded in lifetime (it stops by itself), used as
a context manager, and a request-handler base that answers in one piece and logs nothing.
Subclasses give the request handler and their own counters."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class LoopbackHandler(BaseHTTPRequestHandler):
    """Handler base of the fakes: ``send_body`` / ``send_json`` write one whole answer."""

    # Headers and body leave together: with Nagle on, the body waits for the client's delayed
    # ACK of the headers (about 40 ms per request, which no real API adds).
    disable_nagle_algorithm = True

    def send_body(self, status, body, content_type="application/json; charset=utf-8"):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status, payload):
        self.send_body(status, json.dumps(payload).encode())

    def log_message(self, *args):
        pass


class LoopbackServer:
    """``with Subclass(...) as fake: ... fake.url ...``; ``handler_class`` answers the requests
    and reaches the subclass instance as ``self.server.fake``."""

    handler_class = None

    def __init__(self, lifetime):
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self.handler_class)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.httpd.request_queue_size = 128
        self.httpd.fake = self
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._timer = threading.Timer(lifetime, self.stop)
        self._timer.daemon = True
        self._stopped = False

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self):
        self._thread.start()
        self._timer.start()
        return self

    def stop(self):
        if self._stopped:
            return
        self._stopped = True
        self._timer.cancel()
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
