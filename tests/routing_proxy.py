"""A path-routing TCP proxy in front of a multi-worker Odoo, as nginx is in production.

A browser knows one origin; Odoo with workers serves HTTP on one port and ``/websocket`` on its
gevent port. The README's nginx settings route ``/websocket`` to the gevent port and everything
else to the HTTP port; this proxy does the same for a test browser, deciding per connection from
the first request line (Chromium opens a connection of its own for each websocket) and then
copying bytes both ways untouched, so the websocket upgrade, keep-alive and streaming all pass.
"""

import socket
import threading

WEBSOCKET_PREFIX = b"/websocket"
HEAD_LIMIT = 65536  # bytes read at most to find the request line


class RoutingProxy:
    def __init__(self, http_port, websocket_port, host="127.0.0.1"):
        self.host = host
        self.http_port = http_port
        self.websocket_port = websocket_port
        self.routed = {"http": 0, "websocket": 0}
        self._listener = socket.create_server((host, 0))
        self.port = self._listener.getsockname()[1]
        self._stopping = threading.Event()
        self._sockets = set()
        self._lock = threading.Lock()

    def url(self, path=""):
        return f"http://{self.host}:{self.port}{path}"

    def start(self):
        threading.Thread(target=self._accept_loop, name="routing-proxy", daemon=True).start()
        return self

    def stop(self):
        self._stopping.set()
        self._listener.close()
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            try:
                sock.close()
            except OSError:
                pass

    # ------------------------------------------------------------------ internals

    def _track(self, sock):
        with self._lock:
            self._sockets.add(sock)
        return sock

    def _accept_loop(self):
        while not self._stopping.is_set():
            try:
                client, _address = self._listener.accept()
            except OSError:
                return  # closed by stop()
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        self._track(client)
        head = b""
        try:
            while b"\r\n" not in head and len(head) < HEAD_LIMIT:
                chunk = client.recv(4096)
                if not chunk:
                    client.close()
                    return
                head += chunk
            request_line = head.split(b"\r\n", 1)[0].split(b" ")
            path = request_line[1] if len(request_line) > 1 else b"/"
            kind = "websocket" if path.startswith(WEBSOCKET_PREFIX) else "http"
            port = self.websocket_port if kind == "websocket" else self.http_port
            upstream = self._track(socket.create_connection((self.host, port)))
        except OSError:
            client.close()
            return
        with self._lock:
            self.routed[kind] += 1
        upstream.sendall(head)
        threading.Thread(target=self._pipe, args=(upstream, client), daemon=True).start()
        self._pipe(client, upstream)

    @staticmethod
    def _pipe(source, target):
        """Copy until either side closes, then close both (the other direction ends too)."""
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
