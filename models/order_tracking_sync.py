"""The tracking sync: asks carriers about shipments on the road and stores what they say.

One code path applies a carrier's answer, whoever asked: the cron (polling), a webhook (push),
the "Sync tracking now" button and OCA `delivery_state`'s hook all end in `_ot_apply_result`.

How the cron stays safe and fast:

* **Due shipments only**: validated, with a tracked carrier, a tracking code, not delivered,
  ``ot_next_check_at`` passed. Shipments stop being due once delivered, when the carrier says the
  code cannot be tracked, or after the carrier's give-up age.
* **Claims**: a batch is claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` and its next check
  moved to a lease end, committed at once. Another worker skips rows being claimed and no longer
  sees claimed ones as due; no row lock is held during the HTTP calls (which could otherwise
  block people editing those deliveries), and a worker killed half-way only delays its batch
  until the lease ends.
* **HTTP in threads, ORM in the cron's thread**: `carriers.pool.fetch_many` fetches a batch with
  a per-carrier concurrency cap and a timeout per request, so a carrier that hangs or answers junk
  only fails its own shipments. While a batch is applied, the next one is already being fetched.
* **A savepoint per shipment** and a commit with progress (`ir.cron._commit_progress`) every
  ``commit_size`` shipments.
* **Next check**: the carrier's update interval after news; without news the wait doubles (it is
  the time since the last change plus one interval, capped); errors back off from 15 minutes,
  doubling, and a shipment stops after `MAX_FAILURES` errors in a row or a permanent error.

Tuning (system parameters, ``order_tracking_chatbot.sync_<name>``): ``batch_size`` (200
shipments claimed and fetched together), ``commit_size`` (25 shipments applied per commit),
``workers_per_carrier`` (4), ``total_workers`` (16), ``request_timeout`` (30 s), ``lease_minutes``
(15).
"""

import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..carriers import pool
from ..carriers.http import redact
from ..exceptions import (
    InvalidResponseError,
    PermanentError,
    RetryableError,
    SignatureError,
    TrackingError,
    TrackingNotFoundError,
)
from .settings import SETTING_DEFAULTS, read_setting

_logger = logging.getLogger(__name__)

SYNC_PREFIX = "sync_"
RETRY_BASE = timedelta(minutes=15)
MAX_FAILURES = 8
# Carriers list a parcel some hours after the label is made: "unknown code" is only final later.
NOT_FOUND_GRACE = timedelta(days=3)
ERROR_MAX_LENGTH = 250
WEBHOOK_MAX_BODY = 1024 * 1024


class _FetchJob:
    """A client under a name unique to its carrier record: the pool keys results and caps
    concurrency by name, and two carriers may use one provider with different accounts."""

    def __init__(self, name, client):
        self.name = name
        self.client = client
        self.batch_size = client.batch_size

    def fetch(self, codes):
        return self.client.fetch(codes)


def _fetch_in_threads(jobs, settings):
    """Runs in a worker thread: HTTP only, never the ORM (the cursor is not thread-safe)."""
    if not jobs:
        return {}
    return pool.fetch_many(
        [(job, codes) for job, codes in jobs],
        max_workers_per_carrier=settings["workers_per_carrier"],
        total_workers=settings["total_workers"],
        per_request_timeout=settings["request_timeout"],
    )


class _Stop(Exception):
    """Outcome of a shipment that is not fetched any more (give-up age reached)."""

    retryable = False


class OrderTrackingSync(models.AbstractModel):
    _name = "order.tracking.sync"
    _description = "Shipment Tracking Sync"

    # --- small helpers --------------------------------------------------------------------

    @api.model
    def _ot_tracking_code(self, picking):
        """The code to ask the carrier about (the first one when several were joined)."""
        return (picking.carrier_tracking_ref or "").split(",")[0].strip()

    @api.model
    def _ot_mask(self, text, carriers=None):
        """``text`` without any credential of ``carriers`` nor secret-looking values."""
        known = set()
        for carrier in carriers or ():
            known |= carrier._ot_secrets()
        return redact(text, known)[:ERROR_MAX_LENGTH]

    @api.model
    def _ot_settings(self):
        """The sync's tuning knobs (``sync_*`` in settings.SETTING_DEFAULTS), without prefix."""
        return {
            key[len(SYNC_PREFIX) :]: read_setting(self.env, key)
            for key in SETTING_DEFAULTS
            if key.startswith(SYNC_PREFIX)
        }

    @api.model
    def _ot_unpolled_providers(self):
        return {"none"} | self.env["delivery.carrier"]._ot_push_only_providers()

    @api.model
    def _ot_handed_over_at(self, picking):
        return picking.date_done or picking.create_date

    @api.model
    def _ot_gave_up(self, picking, now):
        days = picking.carrier_id.ot_tracking_give_up_days
        handed_over = self._ot_handed_over_at(picking)
        return bool(days > 0 and handed_over and handed_over + timedelta(days=days) < now)

    # --- scheduling -----------------------------------------------------------------------

    @api.model
    def _ot_schedule_first_check(self, pickings):
        """Give validated deliveries of tracked carriers their first check (as soon as the cron
        runs). Returns the shipments scheduled."""
        skip = self._ot_unpolled_providers()
        todo = pickings.filtered(
            lambda p: (
                p.state == "done"
                and p.picking_type_code == "outgoing"
                and p.carrier_id
                and p.carrier_id.ot_tracking_provider not in skip
                and not p.ot_next_check_at
                and p.ot_carrier_status != "Delivered"
            )
        )
        if todo:
            todo.write({"ot_next_check_at": fields.Datetime.now()})
        return todo

    @api.model
    def _ot_reschedule_carrier(self, carriers):
        """Check every open shipment of ``carriers`` at the next run, stopped ones included (a
        person changed the settings or asked). Returns how many shipments were scheduled."""
        now = fields.Datetime.now()
        skip = self._ot_unpolled_providers()
        count = 0
        for carrier in carriers.filtered(lambda c: c.ot_tracking_provider not in skip):
            domain = [
                ("carrier_id", "=", carrier.id),
                ("state", "=", "done"),
                ("picking_type_code", "=", "outgoing"),
                ("ot_carrier_status", "!=", "Delivered"),
            ]
            if carrier.ot_tracking_give_up_days > 0:
                oldest = now - timedelta(days=carrier.ot_tracking_give_up_days)
                domain.append(("date_done", ">=", oldest))
            pickings = self.env["stock.picking"].search(domain)
            pickings.write(
                {"ot_next_check_at": now, "ot_check_failures": 0, "ot_last_check_error": False}
            )
            count += len(pickings)
        if count:
            cron = self.env.ref("order_tracking_chatbot.ir_cron_order_tracking_sync", False)
            if cron:
                # sudo: ir.cron - asking for an early run is allowed to whoever may sync.
                cron.sudo()._trigger()
        return count

    # --- claiming due shipments -----------------------------------------------------------

    @api.model
    def _ot_due_condition(self, now):
        return SQL(
            """
            sp.ot_next_check_at <= %(now)s
            AND sp.state = 'done'
            AND dc.ot_tracking_provider != ALL(%(skip)s)
            AND sp.ot_carrier_status IS DISTINCT FROM 'Delivered'
            AND COALESCE(sp.carrier_tracking_ref, '') != ''
            """,
            now=now,
            skip=sorted(self._ot_unpolled_providers()),
        )

    @api.model
    def _ot_count_due(self, now=None):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT count(*) FROM stock_picking sp
                JOIN delivery_carrier dc ON dc.id = sp.carrier_id
                WHERE %s
                """,
                self._ot_due_condition(now or fields.Datetime.now()),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _ot_claim_due(self, limit, now=None, lease=timedelta(minutes=15)):
        """Claim up to ``limit`` due shipments for this worker; returns their ids.

        Rows another worker is claiming are skipped (not waited for); claimed rows get their
        next check at the end of the lease, so they are no longer due for anyone else once the
        caller commits, and come back by themselves if this worker dies.
        """
        now = now or fields.Datetime.now()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH due AS (
                    SELECT sp.id FROM stock_picking sp
                    JOIN delivery_carrier dc ON dc.id = sp.carrier_id
                    WHERE %(due)s
                    ORDER BY sp.ot_next_check_at, sp.id
                    LIMIT %(limit)s
                    FOR UPDATE OF sp SKIP LOCKED
                )
                UPDATE stock_picking sp SET ot_next_check_at = %(lease_end)s
                FROM due WHERE sp.id = due.id
                RETURNING sp.id
                """,
                due=self._ot_due_condition(now),
                limit=limit,
                lease_end=now + lease,
            )
        )
        ids = sorted(row[0] for row in self.env.cr.fetchall())
        self.env["stock.picking"].invalidate_model(["ot_next_check_at"])
        return ids

    # --- the cron ---------------------------------------------------------------------------

    @api.model
    def _cron_sync_tracking(self, batch_size=None, commit_size=None):
        """Poll every due shipment, batch after batch, until none is due or time is up."""
        settings = self._ot_settings()
        batch_size = batch_size or settings["batch_size"]
        commit_size = commit_size or settings["commit_size"]
        lease = timedelta(minutes=settings["lease_minutes"])
        cron = self.env["ir.cron"]
        self.env["order.tracking.webhook.receipt"]._ot_prune()
        stats = {"shipments": 0, "changed": 0, "errors": 0}
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ot-tracking-fetch") as fetcher:
            ids = self._ot_claim_due(batch_size, lease=lease)
            # Commits the claim: from here on no other worker takes these shipments.
            time_left = cron._commit_progress(remaining=self._ot_count_due() + len(ids))
            current = self._ot_start_fetch(fetcher, ids, settings)
            while current:
                pickings, outcomes, future = current
                outcomes.update(self._ot_outcomes_by_picking(pickings, future.result()))
                current = None
                if time_left:
                    next_ids = self._ot_claim_due(batch_size, lease=lease)
                    if next_ids:
                        cron._commit_progress(0)
                        current = self._ot_start_fetch(fetcher, next_ids, settings)
                waiting = len(current[0]) if current else 0
                for start in range(0, len(pickings), commit_size):
                    chunk = pickings[start : start + commit_size]
                    report = self._ot_apply_batch(chunk, outcomes)
                    stats["shipments"] += len(report)
                    stats["changed"] += sum(1 for value in report.values() if value is True)
                    stats["errors"] += sum(1 for v in report.values() if isinstance(v, str))
                    left = len(pickings) - start - len(chunk) + waiting
                    time_left = cron._commit_progress(
                        len(chunk), remaining=self._ot_count_due() + left
                    )
        _logger.info(
            "tracking sync: %(shipments)s shipments checked, %(changed)s with news, "
            "%(errors)s errors",
            stats,
        )
        return stats

    def _ot_start_fetch(self, fetcher, ids, settings):
        """Prepare the batch with the ORM here, then fetch it in the background thread."""
        if not ids:
            return None
        pickings = self.env["stock.picking"].browse(ids)
        jobs, outcomes = self._ot_prepare_fetch(pickings, fields.Datetime.now())
        return pickings, outcomes, fetcher.submit(_fetch_in_threads, jobs, settings)

    def _ot_prepare_fetch(self, pickings, now, give_up=True):
        """Build one client per carrier and the codes to ask. Returns ``(jobs, outcomes)``:
        jobs for the pool, and outcomes already known without asking (give-up age reached,
        carrier not configured), by picking id."""
        jobs, outcomes = [], {}
        for carrier, group in pickings.grouped("carrier_id").items():
            if give_up:
                stopped = group.filtered(lambda p: self._ot_gave_up(p, now))
                for picking in stopped:
                    outcomes[picking.id] = _Stop()
                group -= stopped
            if not group:
                continue
            try:
                client = carrier._ot_tracking_client(pickings=group)
            except UserError as error:
                client, reason = None, str(error)
            else:
                reason = self.env._("This carrier has no tracking provider.")
            if client is None:
                for picking in group:
                    outcomes[picking.id] = PermanentError(reason)
                continue
            job = _FetchJob(f"{carrier.ot_tracking_provider}#{carrier.id}", client)
            jobs.append((job, [self._ot_tracking_code(p) for p in group]))
        return jobs, outcomes

    def _ot_outcomes_by_picking(self, pickings, results):
        """Turn the pool's ``{(job name, code): outcome}`` into ``{picking id: outcome}``."""
        outcomes = {}
        for picking in pickings:
            name = f"{picking.carrier_id.ot_tracking_provider}#{picking.carrier_id.id}"
            outcome = results.get((name, self._ot_tracking_code(picking)))
            if outcome is not None:
                outcomes[picking.id] = outcome
        return outcomes

    # --- applying outcomes ------------------------------------------------------------------

    def _ot_existing_keys(self, pickings):
        """Dedup keys already stored, for a whole batch in one query."""
        keys = {picking.id: set() for picking in pickings}
        if pickings:
            self.env["order.tracking.event"].flush_model(["picking_id", "dedup_key"])
            self.env.cr.execute(
                SQL(
                    "SELECT picking_id, dedup_key FROM order_tracking_event "
                    "WHERE picking_id = ANY(%s)",
                    pickings.ids,
                )
            )
            for picking_id, key in self.env.cr.fetchall():
                keys[picking_id].add(key)
        return keys

    def _ot_apply_batch(self, pickings, outcomes, source="poll"):
        """Apply each shipment's outcome in its own savepoint. Returns ``{picking id: True (news)
        | False (nothing new) | error message}``."""
        known = self._ot_existing_keys(pickings)
        now = fields.Datetime.now()
        report = {}
        # The stored events are the shipment's history (timeline on the delivery): a chatter
        # line per status change would repeat them and was half the cost of an update.
        pickings = pickings.with_context(mail_notrack=True)
        for picking in pickings:
            outcome = outcomes.get(picking.id)
            if outcome is None:
                outcome = RetryableError("no answer for this shipment")
            try:
                with self.env.cr.savepoint():
                    if isinstance(outcome, Exception):
                        self._ot_apply_error(picking, outcome, now)
                        report[picking.id] = picking.ot_last_check_error
                    else:
                        report[picking.id] = self._ot_apply_result(
                            picking, outcome, source=source, known_keys=known[picking.id], now=now
                        )
            except Exception as error:  # noqa: BLE001 - one shipment must not stop the batch
                # The type only: a message could quote data we must not log.
                _logger.warning(
                    "tracking sync: shipment %s could not be updated (%s)",
                    picking.id,
                    type(error).__name__,
                )
                with self.env.cr.savepoint():
                    self._ot_apply_error(
                        picking, RetryableError(f"internal error: {type(error).__name__}"), now
                    )
                report[picking.id] = picking.ot_last_check_error
        return report

    def _ot_apply_result(self, picking, result, source="poll", known_keys=None, now=None):
        """Store the new events of ``result`` and update the shipment. Returns whether the
        carrier said something new. Events are only added: one the carrier forgets stays."""
        now = now or fields.Datetime.now()
        event_model = self.env["order.tracking.event"]
        if known_keys is None:
            known_keys = set(picking.ot_event_ids.mapped("dedup_key"))
        new_events = []
        for event in result.events:
            occurred_at = event.occurred_at.astimezone(timezone.utc).replace(
                tzinfo=None, microsecond=0
            )
            text = event.raw_text or event.raw_code or event.status
            key = event_model._ot_dedup_key(occurred_at, event.raw_code, text, event.location)
            if key in known_keys:
                continue
            known_keys.add(key)
            new_events.append(
                {
                    "picking_id": picking.id,
                    "occurred_at": occurred_at,
                    "status": event.status,
                    "substatus": event.substatus,
                    "raw_code": event.raw_code,
                    "raw_text": text,
                    "location": event.location,
                    "source": source,
                    "dedup_key": key,
                }
            )
        if new_events:
            event_model.create(new_events)
        vals = self._ot_prepare_picking_vals(picking, result, new_events)
        changed = bool(new_events) or any(
            name in vals for name in ("ot_carrier_status", "ot_carrier_substatus", "ot_eta")
        )
        vals["ot_next_check_at"] = self._ot_next_check_at(picking, changed, now, result.status)
        if picking.ot_check_failures or picking.ot_last_check_error:
            vals.update({"ot_check_failures": 0, "ot_last_check_error": False})
        picking.write(vals)
        if changed and "ot_eta" not in vals:
            # No date from the carrier this time: keep the shop's own estimate current (a date
            # the carrier published earlier is kept; see order.tracking.eta._ot_refresh_etas).
            self.env["order.tracking.eta"]._ot_refresh_etas(picking)
        # The exception rules (and their tickets) want news only.
        if changed:
            self.env["order.tracking.exception"]._ot_on_tracking_update(
                picking, result.exception_hint
            )
        return changed

    def _ot_prepare_picking_vals(self, picking, result, new_events):
        """Only the values that differ, so unchanged shipments write (and track) nothing."""
        vals = {}
        if result.status != picking.ot_carrier_status:
            vals["ot_carrier_status"] = result.status
        if (result.substatus or False) != picking.ot_carrier_substatus:
            vals["ot_carrier_substatus"] = result.substatus or False
        newest = max(new_events, key=lambda e: e["occurred_at"], default=None)
        if newest and (
            not picking.ot_last_event_at or newest["occurred_at"] >= picking.ot_last_event_at
        ):
            vals.update(
                {
                    "ot_last_event_at": newest["occurred_at"],
                    "ot_last_event_text": newest["raw_text"],
                    "ot_last_event_location": newest["location"] or False,
                }
            )
        eta = self._ot_eta_date(result.eta)
        if eta and (eta != picking.ot_eta or picking.ot_eta_source != "carrier"):
            vals.update({"ot_eta": eta, "ot_eta_source": "carrier"})
        if result.status == "Delivered" and not picking.date_delivered:
            delivered = [e["occurred_at"] for e in new_events if e["status"] == "Delivered"]
            vals["date_delivered"] = max(delivered, default=fields.Datetime.now())
        return vals

    @api.model
    def _ot_eta_date(self, eta):
        """A carrier's ETA as a date in the shop's time zone (Iranian shops: Tehran)."""
        if not eta:
            return False
        if isinstance(eta, datetime):
            if eta.tzinfo is None:
                return eta.date()
            return self.env["order.tracking.eta"]._ot_local_date(eta)
        return eta

    def _ot_next_check_at(self, picking, changed, now, status=None):
        """When to ask again: never once delivered or past the give-up age; the carrier's
        interval after news; otherwise doubling waits (time since the last change plus one
        interval: base, 2×, 4×, ... when checks come on time), capped."""
        carrier = picking.carrier_id
        if status == "Delivered" or self._ot_gave_up(picking, now):
            return False
        if carrier.ot_tracking_provider in self._ot_unpolled_providers():
            return False
        base = timedelta(hours=max(carrier.ot_update_interval_hours, 1))
        cap = max(timedelta(hours=carrier.ot_tracking_max_interval_hours), base)
        if changed:
            return now + base
        moments = [m for m in (picking.ot_last_event_at, self._ot_handed_over_at(picking)) if m]
        last_change = max(moments) if moments else now
        return now + min(cap, max(base, now - last_change + base))

    def _ot_apply_error(self, picking, error, now):
        """Record a failed check: retry later with backoff, or stop and flag the shipment."""
        carrier = picking.carrier_id
        failures = picking.ot_check_failures + 1
        message = self._ot_mask(str(error) or type(error).__name__, carrier)
        if isinstance(error, _Stop):
            days = carrier.ot_tracking_give_up_days
            stop, message = True, self.env._("Not delivered %s days after hand-over.", days)
        else:
            stop = not getattr(error, "retryable", False)
            handed_over = self._ot_handed_over_at(picking)
            if isinstance(error, TrackingNotFoundError) and handed_over + NOT_FOUND_GRACE > now:
                stop = False
            stop = stop or failures >= MAX_FAILURES or self._ot_gave_up(picking, now)
        if stop:
            next_check = False
            message = self.env._("Tracking stopped: %s", message)
        else:
            cap = timedelta(hours=max(carrier.ot_tracking_max_interval_hours, 1))
            delay = min(cap, RETRY_BASE * 2 ** (failures - 1))
            retry_after = getattr(error, "retry_after", None)
            if retry_after:
                delay = max(delay, timedelta(seconds=retry_after))
            next_check = now + delay
        picking.write(
            {
                "ot_check_failures": failures,
                "ot_last_check_error": message[:ERROR_MAX_LENGTH],
                "ot_next_check_at": next_check,
            }
        )

    # --- on demand: buttons, OCA's hook -------------------------------------------------------

    @api.model
    def _ot_sync_pickings(self, pickings):
        """Fetch and apply now, in the caller's transaction (no commit, no claim). Shipments
        without a pollable provider or a tracking code are left alone. Returns
        ``{picking id: True (news) | False (nothing new) | error message}``."""
        skip = self._ot_unpolled_providers()
        pickings = pickings.filtered(
            lambda p: (
                p.state == "done"
                and p.carrier_id.ot_tracking_provider not in skip
                and self._ot_tracking_code(p)
            )
        )
        if not pickings:
            return {}
        settings = self._ot_settings()
        jobs, outcomes = self._ot_prepare_fetch(pickings, fields.Datetime.now(), give_up=False)
        outcomes.update(self._ot_outcomes_by_picking(pickings, _fetch_in_threads(jobs, settings)))
        return self._ot_apply_batch(pickings, outcomes)

    @api.model
    def _ot_action_sync_now(self, picking):
        """ "Sync tracking now" on a delivery: a person asked, so stopped shipments retry too."""
        picking.ensure_one()
        if picking.carrier_id.ot_tracking_provider in self._ot_unpolled_providers():
            message = self.env._("This carrier has no tracking API; its tracking link works.")
            return picking.carrier_id._ot_notify(message, "info")
        if not self._ot_tracking_code(picking) or picking.state != "done":
            message = self.env._("Validate the delivery and set its tracking reference first.")
            return picking.carrier_id._ot_notify(message, "warning")
        picking.write({"ot_check_failures": 0, "ot_last_check_error": False})
        outcome = self._ot_sync_pickings(picking).get(picking.id)
        if isinstance(outcome, str):
            return picking.carrier_id._ot_notify(
                self.env._("The carrier could not be asked: %s", outcome), "warning"
            )
        if outcome:
            return picking.carrier_id._ot_notify(
                self.env._("Tracking updated: %s", picking.ot_last_event_text or ""), "success"
            )
        return picking.carrier_id._ot_notify(self.env._("No news from the carrier."), "info")

    # --- webhooks -------------------------------------------------------------------------

    @api.model
    def _ot_handle_webhook(self, provider, carrier_id, headers, body):
        """Verify and apply a push for one carrier; returns ``(HTTP status, JSON body)`` and
        never raises. 401: signature missing, wrong, too old, or no secret configured; 200 with
        ``duplicate``: an event already processed (the sender may stop retrying); 400: a body
        that is not a valid payload; 404: no such webhook; 503: our failure, retry later."""
        carrier = self.env["delivery.carrier"].browse(carrier_id).exists()
        if (
            not carrier
            or carrier.ot_tracking_provider != provider
            or provider not in carrier._ot_webhook_providers()
        ):
            return 404, {"error": "unknown webhook"}
        if len(body) > WEBHOOK_MAX_BODY:
            return 400, {"error": "payload too large"}
        receipts = self.env["order.tracking.webhook.receipt"]
        try:
            with self.env.cr.savepoint():
                client = carrier._ot_tracking_client()
                results = client.parse_webhook(
                    headers, body, seen=lambda nonce: not receipts._ot_register(carrier, nonce)
                )
                applied, unknown = self._ot_apply_pushed(carrier, results)
        except SignatureError as error:
            if error.reason == "replayed":
                return 200, {"result": "duplicate"}
            _logger.info("tracking webhook %s/%s refused: %s", provider, carrier.id, error.reason)
            return 401, {"error": "invalid signature"}
        except UserError:
            _logger.info("tracking webhook %s/%s: provider not configured", provider, carrier.id)
            return 401, {"error": "invalid signature"}
        except (InvalidResponseError, TrackingError) as error:
            _logger.info(
                "tracking webhook %s/%s: invalid payload (%s)",
                provider,
                carrier.id,
                type(error).__name__,
            )
            return 400, {"error": "invalid payload"}
        except Exception as error:  # noqa: BLE001 - a sender must never see a stack trace
            _logger.error(
                "tracking webhook %s/%s failed: %s", provider, carrier.id, type(error).__name__
            )
            return 503, {"error": "temporarily unavailable"}
        return 200, {"result": "ok", "applied": applied, "unknown": unknown}

    def _ot_apply_pushed(self, carrier, results):
        """Apply pushed results to this carrier's shipments with their codes."""
        applied = unknown = 0
        for result in results:
            pickings = self.env["stock.picking"].search(
                [
                    ("carrier_id", "=", carrier.id),
                    ("state", "=", "done"),
                    ("carrier_tracking_ref", "=", result.tracking_code),
                ]
            )
            if not pickings:
                unknown += 1
                continue
            self._ot_apply_batch(pickings, dict.fromkeys(pickings.ids, result), source="webhook")
            applied += len(pickings)
        return applied, unknown
