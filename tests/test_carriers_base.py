"""Vocabulary, dataclasses, the client contract, registry, errors, dates and Persian text."""

import unittest
from datetime import date, datetime, timedelta, timezone

from .. import exceptions
from ..carriers import base, persian, registry
from ..carriers.simulated import SimulatedClient
from ..carriers.timeparse import TEHRAN, jalali_to_gregorian, parse_datetime, parse_eta

T0 = datetime(2025, 5, 1, 6, 0, tzinfo=timezone.utc)


def event(hours, status, substatus=None, text="", code=None, location=None):
    return base.TrackingEvent(T0 + timedelta(hours=hours), status, substatus, code, text, location)


class TestVocabulary(unittest.TestCase):
    def test_tags_are_aftership_spelling(self):
        self.assertEqual(
            base.STATUSES,
            (
                "Pending",
                "InfoReceived",
                "InTransit",
                "OutForDelivery",
                "AttemptFail",
                "Delivered",
                "AvailableForPickup",
                "Exception",
                "Expired",
            ),
        )
        self.assertEqual(
            base.EXCEPTION_HINTS,
            (
                "delayed",
                "returned_to_sender",
                "lost",
                "address_issue",
                "failed_attempt",
                "damaged",
            ),
        )

    def test_hint_for(self):
        self.assertEqual(base.hint_for(base.EXCEPTION, base.SUB_LOST), base.HINT_LOST)
        self.assertEqual(base.hint_for(base.EXCEPTION, base.SUB_DAMAGED), base.HINT_DAMAGED)
        self.assertEqual(base.hint_for(base.ATTEMPT_FAIL, None), base.HINT_FAILED_ATTEMPT)
        self.assertEqual(base.hint_for(base.EXPIRED, None), base.HINT_DELAYED)
        self.assertIsNone(base.hint_for(base.EXCEPTION, base.SUB_EXCEPTION))
        self.assertIsNone(base.hint_for(base.DELIVERED, base.SUB_DELIVERED))


class TestTrackingEvent(unittest.TestCase):
    def test_naive_datetime_is_refused_and_aware_is_stored_in_utc(self):
        with self.assertRaises(ValueError):
            base.TrackingEvent(datetime(2025, 5, 1, 9, 0), base.IN_TRANSIT)
        tehran = base.TrackingEvent(datetime(2025, 5, 1, 9, 30, tzinfo=TEHRAN), base.IN_TRANSIT)
        self.assertEqual(tehran.occurred_at.utcoffset(), timedelta(0))
        self.assertEqual(tehran.occurred_at, datetime(2025, 5, 1, 6, 0, tzinfo=timezone.utc))

    def test_unknown_status_is_refused(self):
        with self.assertRaises(ValueError):
            event(0, "Shipped")

    def test_dedup_key_is_stable_and_sensitive(self):
        a = event(1, base.IN_TRANSIT, text="ورود به مرکز مبادلات تهران", code="A", location="تهران")
        same_instant_other_zone = base.TrackingEvent(
            a.occurred_at.astimezone(TEHRAN), base.DELIVERED, None, "A", a.raw_text, "تهران"
        )
        self.assertEqual(a.dedup_key, same_instant_other_zone.dedup_key)  # status not in key
        self.assertEqual(len(a.dedup_key), 64)
        # computed from content, not from hash(): the same value in every process
        fixed = base.TrackingEvent(
            datetime(2025, 1, 1, tzinfo=timezone.utc), base.DELIVERED, raw_text="Delivered"
        )
        self.assertEqual(
            fixed.dedup_key, "a4908a9b78f9122c42ff794c0e40647cc184eba57875c30b338a92418f4fbfa4"
        )
        for changed in (
            event(2, base.IN_TRANSIT, text=a.raw_text, code="A", location="تهران"),
            event(1, base.IN_TRANSIT, text=a.raw_text, code="B", location="تهران"),
            event(
                1, base.IN_TRANSIT, text="خروج از مرکز مبادلات تهران", code="A", location="تهران"
            ),
            event(1, base.IN_TRANSIT, text=a.raw_text, code="A", location="کرج"),
        ):
            self.assertNotEqual(changed.dedup_key, a.dedup_key)

    def test_event_is_frozen(self):
        with self.assertRaises(AttributeError):
            event(0, base.PENDING).status = base.DELIVERED


class TestTrackingResult(unittest.TestCase):
    def test_events_newest_first_and_status_from_newest(self):
        result = base.TrackingResult.from_events(
            "C1",
            [
                event(0, base.INFO_RECEIVED),
                event(30, base.DELIVERED, base.SUB_DELIVERED),
                event(10, base.IN_TRANSIT),
            ],
        )
        self.assertEqual(
            [e.status for e in result.events], [base.DELIVERED, base.IN_TRANSIT, base.INFO_RECEIVED]
        )
        self.assertEqual(result.status, base.DELIVERED)
        self.assertEqual(result.substatus, base.SUB_DELIVERED)
        self.assertEqual(result.latest_event, result.events[0])

    def test_trailing_pending_event_does_not_hide_last_real_state(self):
        result = base.TrackingResult.from_events(
            "C1",
            [
                event(0, base.IN_TRANSIT, base.SUB_ARRIVED_HUB),
                event(5, base.PENDING),
            ],
        )
        self.assertEqual(result.status, base.IN_TRANSIT)
        self.assertEqual(result.events[0].status, base.PENDING)

    def test_no_events_is_pending(self):
        result = base.TrackingResult.from_events("C1", [])
        self.assertEqual(result.status, base.PENDING)
        self.assertIsNone(result.exception_hint)

    def test_hint_follows_current_state_only(self):
        failed_then_delivered = base.TrackingResult.from_events(
            "C1",
            [
                event(0, base.ATTEMPT_FAIL, base.SUB_ADDRESSEE_ABSENT),
                event(20, base.DELIVERED, base.SUB_DELIVERED),
            ],
        )
        self.assertIsNone(failed_then_delivered.exception_hint)
        lost = base.TrackingResult.from_events("C1", [event(0, base.EXCEPTION, base.SUB_LOST)])
        self.assertEqual(lost.exception_hint, base.HINT_LOST)

    def test_explicit_status_and_hint_win(self):
        result = base.TrackingResult.from_events(
            "C1",
            [event(0, base.IN_TRANSIT)],
            status=base.EXCEPTION,
            substatus=base.SUB_RETURNING,
            eta=date(2025, 5, 3),
        )
        self.assertEqual(result.status, base.EXCEPTION)
        self.assertEqual(result.exception_hint, base.HINT_RETURNED)
        self.assertEqual(result.eta, date(2025, 5, 3))

    def test_duplicates_are_dropped(self):
        twice = [event(1, base.IN_TRANSIT, text="x"), event(1, base.IN_TRANSIT, text="x")]
        self.assertEqual(len(base.TrackingResult.from_events("C1", twice).events), 1)

    def test_invalid_values_are_refused(self):
        with self.assertRaises(ValueError):
            base.TrackingResult("C1", status="Lost")
        with self.assertRaises(ValueError):
            base.TrackingResult("C1", exception_hint="stolen")


class _FakeClient(base.CarrierClient):
    name = "fake"
    batch_size = 2

    def __init__(self):
        self.batches = []

    def _fetch_batch(self, codes):
        self.batches.append(list(codes))
        if "BOOM" in codes:
            raise exceptions.RetryableError("fake: down", carrier=self.name)
        return {c: base.TrackingResult.from_events(c, []) for c in codes if c != "GONE"}


class TestCarrierClientContract(unittest.TestCase):
    def test_fetch_maps_every_code_and_isolates_failures(self):
        client = _FakeClient()
        results = client.fetch(["A", " B ", "A", "BOOM", "C", "GONE", ""])
        self.assertEqual(client.batches, [["A", "B"], ["BOOM", "C"], ["GONE"]])
        self.assertEqual(set(results), {"A", "B", "BOOM", "C", "GONE"})
        self.assertIsInstance(results["A"], base.TrackingResult)
        self.assertIsInstance(results["BOOM"], exceptions.RetryableError)
        self.assertIsInstance(results["C"], exceptions.RetryableError)  # same batch as BOOM
        self.assertIsInstance(results["GONE"], exceptions.TrackingNotFoundError)

    def test_default_webhook_is_refused_and_url_is_quoted(self):
        client = _FakeClient()
        with self.assertRaises(exceptions.PermanentError):
            client.parse_webhook({}, b"{}")
        self.assertEqual(client.tracking_url("X"), "")
        client.tracking_url_template = "https://t.example/track/%s"
        self.assertEqual(client.tracking_url(" A/B 1 "), "https://t.example/track/A%2FB%201")

    def test_header_lookup_is_case_insensitive(self):
        self.assertEqual(base.header({"X-Ot-Signature": "v"}, "x-ot-signature"), "v")
        self.assertIsNone(base.header({"Other": "v"}, "x-ot-signature"))
        self.assertIsNone(base.header(None, "x"))


class TestExceptions(unittest.TestCase):
    def test_retryable_flags(self):
        self.assertTrue(exceptions.RetryableError("x").retryable)
        self.assertTrue(exceptions.InvalidResponseError("x").retryable)
        self.assertFalse(exceptions.PermanentError("x").retryable)
        self.assertFalse(exceptions.AuthenticationError("x").retryable)
        self.assertFalse(exceptions.TrackingNotFoundError("x").retryable)
        self.assertFalse(exceptions.SignatureError("x").retryable)
        self.assertFalse(exceptions.TrackingError("x").retryable)
        self.assertTrue(issubclass(exceptions.InvalidResponseError, exceptions.RetryableError))

    def test_repr_carries_context(self):
        error = exceptions.RetryableError("busy", carrier="tipax", status_code=429, retry_after=3.0)
        self.assertEqual(
            repr(error),
            "RetryableError('busy', carrier='tipax', status_code=429, retry_after=3.0)",
        )
        self.assertEqual(str(error), "busy")


class TestRegistry(unittest.TestCase):
    def test_dispatch_by_name(self):
        self.assertEqual(
            registry.providers(),
            ("aftership", "chapar", "postex", "simulated", "tapin", "tipax", "webhook"),
        )
        for name in registry.providers():
            self.assertEqual(registry.get_client_class(name).name, name)
        client = registry.create_client("simulated", clock=lambda: T0)
        self.assertIsInstance(client, SimulatedClient)

    def test_unknown_provider_is_permanent_error(self):
        with self.assertRaises(exceptions.PermanentError):
            registry.get_client_class("dhl")

    def test_name_clash_is_refused(self):
        class Other(_FakeClient):
            name = "tipax"

        with self.assertRaises(ValueError):
            registry.register(Other)
        self.assertIsNot(registry.get_client_class("tipax"), Other)


class TestTimeParsing(unittest.TestCase):
    def test_jalali_conversion(self):
        for jalali, gregorian in (
            ((1403, 1, 1), date(2024, 3, 20)),
            ((1402, 1, 1), date(2023, 3, 21)),
            ((1403, 12, 30), date(2025, 3, 20)),  # leap year end
            ((1404, 2, 11), date(2025, 5, 1)),
        ):
            self.assertEqual(jalali_to_gregorian(*jalali), gregorian)

    def test_formats(self):
        utc = timezone.utc
        self.assertEqual(
            parse_datetime("2025-05-01T10:00:00Z"), datetime(2025, 5, 1, 10, tzinfo=utc)
        )
        self.assertEqual(
            parse_datetime("2025-05-01 13:30", TEHRAN), datetime(2025, 5, 1, 10, tzinfo=utc)
        )
        self.assertEqual(
            parse_datetime("۱۴۰۴/۰۲/۱۱ ۱۳:۳۰", TEHRAN), datetime(2025, 5, 1, 10, tzinfo=utc)
        )
        self.assertEqual(parse_datetime(1746093600), datetime(2025, 5, 1, 10, tzinfo=utc))
        self.assertEqual(parse_datetime("1746093600000"), datetime(2025, 5, 1, 10, tzinfo=utc))
        self.assertEqual(
            parse_datetime("2025-05-01T12:00:00.5+02:00"),
            datetime(2025, 5, 1, 10, 0, 0, 500000, tzinfo=utc),
        )
        for junk in ("tomorrow", "", None, True, "2025-13-01"):
            with self.assertRaises(ValueError):
                parse_datetime(junk)

    def test_eta_keeps_dates_as_dates(self):
        self.assertEqual(parse_eta("2025-05-03"), date(2025, 5, 3))
        self.assertEqual(parse_eta("1404/02/13"), date(2025, 5, 3))
        self.assertEqual(
            parse_eta("2025-05-03T10:00:00+03:30"), datetime(2025, 5, 3, 6, 30, tzinfo=timezone.utc)
        )
        self.assertIsNone(parse_eta(None))
        self.assertIsNone(parse_eta(""))


class TestPersianClassifier(unittest.TestCase):
    def test_known_phrases(self):
        cases = {
            "تحویل به مرکز مبادلات": (base.IN_TRANSIT, None),
            "برگشت به فرستنده": (base.EXCEPTION, base.HINT_RETURNED),
            "تحویل گیرنده شد": (base.DELIVERED, None),
            "آدرس ناقص": (base.EXCEPTION, base.HINT_ADDRESS),
            "مرسوله مفقود شده است": (base.EXCEPTION, base.HINT_LOST),
            "آسیب‌دیدگی مرسوله": (base.EXCEPTION, base.HINT_DAMAGED),
            "عدم حضور گیرنده": (base.ATTEMPT_FAIL, base.HINT_FAILED_ATTEMPT),
            "تأخیر در ارسال": (base.EXCEPTION, base.HINT_DELAYED),
            "تحویل به مامور توزیع": (base.OUT_FOR_DELIVERY, None),
            "بار در سیستم ورود اطلاعات شد": (base.INFO_RECEIVED, None),
            "مرسوله به فرستنده تحویل شد": (base.EXCEPTION, base.HINT_RETURNED),
        }
        for text, (status, hint) in cases.items():
            with self.subTest(text=text):
                found = persian.classify(text)
                self.assertEqual((found.status, found.hint), (status, hint))

    def test_letter_variants_and_zwnj_are_folded(self):
        arabic_letters = "تحويل به مامور توزيع"  # Arabic yeh
        self.assertEqual(persian.classify(arabic_letters).status, base.OUT_FOR_DELIVERY)
        self.assertEqual(persian.normalize("آسیب\u200cدیده"), persian.normalize("آسیب دیده"))
        self.assertEqual(persian.normalize("تأخیر"), persian.normalize("تاخیر"))

    def test_most_specific_rule_wins_across_fields(self):
        found = persian.classify("عدم تحویل", "آدرس ناقص")
        self.assertEqual(found.hint, base.HINT_ADDRESS)
        self.assertIsNone(persian.classify("", "xyz"))

    def test_resolve_prefers_code_map_then_text_then_default(self):
        code_map = {"9": (base.EXCEPTION, base.SUB_LOST)}
        self.assertEqual(
            persian.resolve(9, "تحویل شد", code_map=code_map), (base.EXCEPTION, base.SUB_LOST)
        )
        self.assertEqual(
            persian.resolve(1, "تحویل شد", code_map=code_map), (base.DELIVERED, base.SUB_DELIVERED)
        )
        self.assertEqual(persian.resolve(None, "؟"), (base.IN_TRANSIT, None))
