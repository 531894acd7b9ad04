"""Run a batch's gateway calls side by side, at most ``max_workers`` at a time.

A gateway answers in tens or hundreds of milliseconds; one request after the other, a batch of
200 notifications (each its own text, so its own request) waits 200 round trips. The calls are
independent, so a small thread pool overlaps them. The callables must be plain Python (the
gateway clients): they run in other threads, where Odoo's environment and cursor must never be
used. Each job's outcome is kept apart: one that raises gives its exception back in its place
and the others still count.
"""

from concurrent.futures import ThreadPoolExecutor

# Enough to hide a slow gateway's latency for a cron batch, few enough not to look like an
# attack to the provider (Kavenegar and SMS.ir answer 429 to floods).
DEFAULT_MAX_WORKERS = 8


class JobFailed:
    """The exception a job raised, in the job's place among the results."""

    __slots__ = ("error",)

    def __init__(self, error):
        self.error = error


def _guarded(job):
    try:
        return job()
    except Exception as error:  # noqa: BLE001 - handed back to the caller, per job
        return JobFailed(error)


def run_bounded(jobs, max_workers=DEFAULT_MAX_WORKERS):
    """Call every job (no argument) with at most ``max_workers`` running at once; return their
    results in the order of ``jobs``, a ``JobFailed`` for each job that raised."""
    jobs = list(jobs)
    workers = max(1, min(int(max_workers), len(jobs)))
    if workers == 1:
        # One job, or sequential on purpose: no thread to start.
        return [_guarded(job) for job in jobs]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="ot-sms-send") as pool:
        return list(pool.map(_guarded, jobs))
