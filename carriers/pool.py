"""Fetch tracking codes from several carriers at once, without one stalling the others.

A single dispatcher thread hands chunks (``client.batch_size`` codes) to a thread pool
and never has more than ``max_workers_per_carrier`` chunks of one carrier running. The
cap is enforced when submitting rather than with semaphores acquired inside workers:
a worker blocked on a busy carrier's semaphore would sit idle while other carriers
wait, which is exactly the stall this module exists to prevent.

A chunk still running after ``per_request_timeout`` seconds is abandoned: its codes get
a ``RetryableError``, the carrier is considered unresponsive for this round (its
queued chunks fail fast instead of piling more requests onto it) and its slot stays
taken while the thread is still alive, so the per-carrier cap holds even for hung
connections.
"""

import logging
import time
from collections import deque
from collections.abc import Mapping
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

from ..exceptions import RetryableError, TrackingError
from .base import TrackingResult, chunked

_logger = logging.getLogger(__name__)


def _clean(codes):
    return list(dict.fromkeys(str(c).strip() for c in codes if str(c).strip()))


def _run(client, chunk):
    try:
        return client.fetch(chunk)
    except TrackingError as error:
        return dict.fromkeys(chunk, error)
    except Exception as exc:  # noqa: BLE001 - a client bug must not lose the other results
        _logger.error("%s: unexpected %s while fetching", client.name, type(exc).__name__)
        error = TrackingError(
            f"{client.name}: unexpected {type(exc).__name__}", carrier=client.name
        )
        return dict.fromkeys(chunk, error)


class _Dispatcher:
    def __init__(self, jobs, per_carrier, total, timeout):
        self.per_carrier, self.total, self.timeout = per_carrier, total, timeout
        self.clients, self.queues = {}, {}
        for client, codes in jobs:
            if client.name in self.clients and self.clients[client.name] is not client:
                raise ValueError(f"two different clients are named {client.name!r}")
            self.clients[client.name] = client
            queue = self.queues.setdefault(client.name, deque())
            queue.extend(chunked(_clean(codes), max(1, client.batch_size)))
        self.running = dict.fromkeys(self.clients, 0)
        self.in_flight = {}  # future -> (carrier, chunk, started)
        self.abandoned = set()
        self.tripped = set()
        self.results = {}

    def _fail(self, carrier, chunk, message):
        for code in chunk:
            self.results[(carrier, code)] = RetryableError(
                f"{carrier}: {message}", carrier=carrier, tracking_code=code
            )

    def _submit_ready(self, executor):
        self.abandoned = {f for f in self.abandoned if not f.done()}
        for carrier, queue in self.queues.items():
            if carrier in self.tripped:
                while queue:
                    self._fail(carrier, queue.popleft(), "skipped, carrier did not answer in time")
                continue
            while (
                queue
                and self.running[carrier] < self.per_carrier
                and len(self.in_flight) + len(self.abandoned) < self.total
            ):
                chunk = queue.popleft()
                future = executor.submit(_run, self.clients[carrier], chunk)
                self.in_flight[future] = (carrier, chunk, time.monotonic())
                self.running[carrier] += 1

    def _collect(self, future):
        carrier, chunk, _started = self.in_flight.pop(future)
        self.running[carrier] -= 1
        found = future.result()
        for code in chunk:
            value = found.get(code) if isinstance(found, Mapping) else None
            if not isinstance(value, (TrackingResult, TrackingError)):
                value = TrackingError(
                    f"{carrier}: no result returned", carrier=carrier, tracking_code=code
                )
            self.results[(carrier, code)] = value

    def _expire(self):
        now = time.monotonic()
        for future, (carrier, chunk, started) in list(self.in_flight.items()):
            if now - started >= self.timeout:
                del self.in_flight[future]
                future.cancel()
                self.abandoned.add(future)  # slot stays taken while the thread lives
                self.tripped.add(carrier)
                self._fail(carrier, chunk, f"timed out after {self.timeout:g}s")

    def run(self, executor):
        while True:
            self._submit_ready(executor)
            pending = any(self.queues.values())
            if not self.in_flight:
                if not pending:
                    return self.results
                # Every worker is held by abandoned threads: give them one timeout to
                # finish, then fail what is left rather than wait forever.
                wait(self.abandoned, timeout=self.timeout, return_when=FIRST_COMPLETED)
                if all(not f.done() for f in self.abandoned):
                    for carrier, queue in self.queues.items():
                        while queue:
                            self._fail(carrier, queue.popleft(), "no free worker")
                continue
            next_deadline = min(s for _c, _ch, s in self.in_flight.values()) + self.timeout
            done, _ = wait(
                list(self.in_flight),
                timeout=max(0.0, next_deadline - time.monotonic()),
                return_when=FIRST_COMPLETED,
            )
            for future in done:
                self._collect(future)
            self._expire()


def fetch_many(
    clients_and_codes, max_workers_per_carrier=4, total_workers=16, per_request_timeout=30.0
):
    """Fetch concurrently; return ``{(carrier name, code): TrackingResult | TrackingError}``.

    ``clients_and_codes`` is a ``{client: codes}`` mapping or an iterable of
    ``(client, codes)`` pairs. ``per_request_timeout`` bounds one chunk (one call of
    ``client.fetch``); set it above the clients' own HTTP timeouts, it is the backstop
    for a carrier that keeps a connection open without answering.
    """
    if max_workers_per_carrier < 1 or total_workers < 1 or per_request_timeout <= 0:
        raise ValueError("worker counts and timeout must be positive")
    jobs = (
        clients_and_codes.items() if isinstance(clients_and_codes, Mapping) else clients_and_codes
    )
    dispatcher = _Dispatcher(
        list(jobs), min(max_workers_per_carrier, total_workers), total_workers, per_request_timeout
    )
    executor = ThreadPoolExecutor(max_workers=total_workers, thread_name_prefix="carrier-fetch")
    try:
        return dispatcher.run(executor)
    finally:
        # Do not wait for abandoned threads; their own HTTP timeouts end them.
        executor.shutdown(wait=False, cancel_futures=True)
