"""The lifecycle the fake carrier and the fake SMS gateway share: an HTTP server on a free port of
127.0.0.1 in a background thread, bounded in lifetime (it stops by itself), used as a context
manager. Subclasses give the request handler and their own counters."""

import threading
from http.server import ThreadingHTTPServer


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
