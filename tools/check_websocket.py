"""Check that a multi-worker Odoo's websocket (gevent) worker is up and stays up.

Used by tools/serve.sh after start, and by the tests of the production launcher. Three checks:

1. exactly one child process of the master runs ``gevent`` (the websocket worker);
2. a websocket handshake on its port succeeds (``101 Switching Protocols``);
3. after ``--watch`` seconds it is still the same process: a worker that crashes at start is
   respawned by the master under a new pid, several times a second.

Prints what it found; exits 1 with the reason when a check fails.
"""

import argparse
import sys
import time
from pathlib import Path

import websocket


def gevent_workers(master_pid):
    """Pids of the master's children whose command line holds the ``gevent`` argument."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue  # the process ended while we looked
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == master_pid and b"gevent" in cmdline:
            found.append(int(proc.name))
    return found


def handshake(port, timeout=10):
    """Open and close a websocket on ``port``; returns the handshake's HTTP status."""
    conn = websocket.create_connection(
        f"ws://127.0.0.1:{port}/websocket", timeout=timeout, origin=f"http://127.0.0.1:{port}"
    )
    try:
        return conn.getstatus()
    finally:
        conn.close()


def check(master_pid, port, watch, wait=20):
    deadline = time.monotonic() + wait
    workers = gevent_workers(master_pid)
    while len(workers) != 1 and time.monotonic() < deadline:
        time.sleep(0.5)
        workers = gevent_workers(master_pid)
    if len(workers) != 1:
        return f"expected one websocket worker under master {master_pid}, found {workers}"
    first = workers[0]
    # The worker imports Odoo before it listens (a few seconds): retry until the deadline.
    while True:
        try:
            status = handshake(port)
            break
        except (OSError, websocket.WebSocketException) as error:
            if time.monotonic() >= deadline:
                return f"websocket handshake on port {port} failed: {error}"
            time.sleep(0.5)
    if status != 101:
        return f"websocket handshake on port {port} answered {status}"
    time.sleep(watch)
    later = gevent_workers(master_pid)
    if later != [first]:
        return f"the websocket worker {first} was replaced by {later} within {watch} s"
    print(f"    websocket worker {first} answers on port {port} and stayed up {watch} s")
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--master-pid", type=int, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--watch", type=float, default=5.0)
    args = parser.parse_args()
    problem = check(args.master_pid, args.port, args.watch)
    if problem:
        print(f"    {problem}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
