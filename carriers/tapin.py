"""Tapin (تاپین, tapin.ir) client: Iran Post parcels of shops that ship through Tapin.

Iran Post has no public JSON API; Tapin, an aggregator many Iranian shops use, registers
the parcels with Iran Post and reports their status.

Seen in public code and documentation (third-party; none of it checked against the live
API):

* ``MahdiY/Persian-woocommerce-shipping`` (``includes/class-tapin.php``): every call is a
  POST of JSON to ``https://api.tapin.ir/api/{path}/`` with the header ``Authorization:
  <token>`` (the token alone, no "Bearer"); answers are ``{"returns": {"status",
  "message"}, "entries": ...}``; ``v2/public/shop/detail`` with ``{"shop_id"}`` returns the
  shop (used here as the connection test); the plugin polls statuses every 15 minutes.
* ``AshkanFr/SATapindoc`` (Tapin's API guide): ``v2/public/order/post/get-status/bulk``
  with ``{"shop_id", "orders": [{"id": "<order id>"}]}`` answers ``entries.list[]`` items
  ``{"id", "order_id", "barcode", "status"}``, at most 200 orders a request; the
  ``get-status/report`` variant adds ``last_change_status`` ("2023-12-12T10:07:09.620789");
  and the table of status codes below.

Assumed: tracking codes stored on deliveries are Tapin order ids (the ``id`` of the order
Tapin returned at registration; a numeric ``order_id`` matches too); ``returns.status`` other
than 200 is an error whose HTTP-like code tells its kind; an order missing from the list is
unknown to Tapin; ``last_change_status`` without an offset is Tehran time and, when absent,
the status is reported without an event (the bulk answer has no time). Base URL, paths and
the status map are options.
"""

from ..exceptions import AuthenticationError, PermanentError, RetryableError
from . import base
from .http import HttpMixin
from .timeparse import TEHRAN, parse_datetime

DEFAULT_BASE_URL = "https://api.tapin.ir/api"
STATUS_PATH = "/v2/public/order/post/get-status/bulk/"
SHOP_PATH = "/v2/public/shop/detail/"

_B = base
# Tapin's status codes (SATapindoc "وضعیت سفارش") → (title, status, sub-status).
STATUSES = {
    -1: ("ثبت شده در فروشگاه (تحت بررسی)(API)", _B.INFO_RECEIVED, _B.SUB_INFO_RECEIVED),
    0: ("ثبت شده در فروشگاه (تحت بررسی)", _B.INFO_RECEIVED, _B.SUB_INFO_RECEIVED),
    1: ("آماده به پرینت", _B.INFO_RECEIVED, _B.SUB_INFO_RECEIVED),
    2: ("آماده به ارسال", _B.INFO_RECEIVED, _B.SUB_INFO_RECEIVED),
    3: ("اشتباه در اعلام آماده به ارسال", _B.INFO_RECEIVED, _B.SUB_INFO_RECEIVED),
    4: ("عدم حضور فروشگاه", _B.EXCEPTION, _B.SUB_DELAYED),
    5: ("قبول شد", _B.IN_TRANSIT, _B.SUB_ACCEPTED),
    6: ("عدم قبول (غیر قابل توزیع در مبدا)", _B.EXCEPTION, _B.SUB_EXCEPTION),
    7: ("توزیع شد", _B.DELIVERED, _B.SUB_DELIVERED),
    8: ("باجه معطل", _B.AVAILABLE_FOR_PICKUP, _B.SUB_AVAILABLE_FOR_PICKUP),
    9: ("غیر قابل توزیع (غیر قابل توزیع در مقصد)", _B.ATTEMPT_FAIL, _B.SUB_ATTEMPT_FAIL),
    10: ("پیش برگشتی مرسوله", _B.EXCEPTION, _B.SUB_RETURNING),
    11: ("ثبت نهایی برگشتی", _B.EXCEPTION, _B.SUB_RETURNING),
    12: ("مرسوله مشارکتی", _B.IN_TRANSIT, _B.SUB_IN_TRANSIT),
    13: ("وارد شده به استان توزیع", _B.IN_TRANSIT, _B.SUB_ARRIVED_HUB),
    14: ("تحویل به نامه رسان", _B.OUT_FOR_DELIVERY, _B.SUB_OUT_FOR_DELIVERY),
    15: ("مراجعه اول", _B.ATTEMPT_FAIL, _B.SUB_ADDRESSEE_ABSENT),
    16: ("مراجعه دوم", _B.ATTEMPT_FAIL, _B.SUB_ADDRESSEE_ABSENT),
    17: ("توزیع در صندوق پستی", _B.DELIVERED, _B.SUB_DELIVERED),
    18: ("بی ترتیبی (کسری مرسوله)", _B.EXCEPTION, _B.SUB_DAMAGED),
    50: ("در حال جمع آوری", _B.INFO_RECEIVED, _B.SUB_INFO_RECEIVED),
    # Financial states Tapin reaches after a delivery (cash on delivery settled).
    70: ("تایید شده مدیر مالی", _B.DELIVERED, _B.SUB_DELIVERED),
    71: ("تسویه شده مدیر مالی", _B.DELIVERED, _B.SUB_DELIVERED),
    72: ("تسویه شده با پست", _B.DELIVERED, _B.SUB_DELIVERED),
    80: ("حذف شده", _B.EXCEPTION, _B.SUB_EXCEPTION),
    81: ("بلاتکلیف", _B.EXCEPTION, _B.SUB_DELAYED),
    82: ("مانند قبول", _B.IN_TRANSIT, _B.SUB_ACCEPTED),
    83: ("تایید برگشتی", _B.EXCEPTION, _B.SUB_RETURNING),
    100: ("منتظر استعلام", _B.INFO_RECEIVED, _B.SUB_INFO_RECEIVED),
    -100: ("منتظر استعلام (API)", _B.INFO_RECEIVED, _B.SUB_INFO_RECEIVED),
    101: ("در حال تغییر وضعیت", _B.IN_TRANSIT, _B.SUB_IN_TRANSIT),
    102: ("عودت داده شده", _B.EXCEPTION, _B.SUB_RETURNED),
    103: ("پیش ثبت سفارش", _B.INFO_RECEIVED, _B.SUB_INFO_RECEIVED),
}
# A code the table does not know still means Tapin has the parcel.
UNKNOWN_STATUS = ("", _B.IN_TRANSIT, None)


class TapinClient(HttpMixin, base.CarrierClient):
    """Credentials: the Tapin API ``token`` and the ``shop_id`` of the shop (both from
    the Tapin panel)."""

    name = "tapin"
    # Tapin's guide allows 200 orders a request; 100 keeps one slow answer small.
    batch_size = 100
    # Iran Post's page takes the barcode, which the shop's tracking code (a Tapin order
    # id) is not: customers get the carrier's own tracking link.
    tracking_url_template = ""

    def __init__(
        self,
        token,
        shop_id,
        *,
        base_url=DEFAULT_BASE_URL,
        timeout=None,
        session=None,
        status_map=None,
        tracking_page_url=None,
        status_path=STATUS_PATH,
        shop_path=SHOP_PATH,
    ):
        if not (token and shop_id):
            raise ValueError("Tapin needs an API token and a shop id")
        self._init_http(base_url, timeout=timeout, session=session, secrets=(token,))
        self._token, self.shop_id = token, shop_id
        self.status_map = {**STATUSES, **{int(k): v for k, v in (status_map or {}).items()}}
        self.status_path, self.shop_path = status_path, shop_path
        if tracking_page_url:
            self.tracking_url_template = tracking_page_url

    def _post(self, path, body):
        """POST ``body``; return ``entries`` or raise the error ``returns`` describes."""
        response = self._request(
            "POST",
            path,
            json=body,
            headers={"Authorization": self._token, "Accept": "application/json"},
        )
        payload = self._json(response)
        returns = payload.get("returns") if isinstance(payload, dict) else None
        if not isinstance(returns, dict):
            raise self._shape_error("no returns object")
        try:
            status = int(returns.get("status"))
        except (TypeError, ValueError):
            raise self._shape_error("returns.status is not a number") from None
        if status != 200:
            message = f"Tapin status {status}: {str(returns.get('message') or '')[:200]}"
            if status in (401, 403):
                raise self._error(AuthenticationError, message, status_code=status)
            if status == 429 or status >= 500:
                raise self._error(RetryableError, message, status_code=status)
            raise self._error(PermanentError, message, status_code=status)
        return payload.get("entries")

    def check_connection(self):
        """The shop's details: the cheapest call that needs both the token and the shop."""
        shop = self._post(self.shop_path, {"shop_id": self.shop_id})
        if not isinstance(shop, dict):
            raise self._shape_error("shop details are not an object")
        title = shop.get("title") or shop.get("name")
        return "tapin: token and shop accepted" + (f" (shop «{title}»)" if title else "")

    def _fetch_batch(self, codes):
        entries = self._post(
            self.status_path,
            {"shop_id": self.shop_id, "orders": [{"id": code} for code in codes]},
        )
        items = entries.get("list") if isinstance(entries, dict) else None
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise self._shape_error("entries.list is not a list of objects")
        wanted = set(codes)
        results = {}
        for item in items:
            keys = {str(item.get("id") or ""), str(item.get("order_id") or "")}
            for code in keys & wanted:
                results[code] = self._result(code, item)
        return results

    def _result(self, code, item):
        try:
            raw = int(item["status"])
            title, status, substatus = self.status_map.get(raw, UNKNOWN_STATUS)
            events = []
            if item.get("last_change_status"):
                events.append(
                    base.TrackingEvent(
                        occurred_at=parse_datetime(item["last_change_status"], TEHRAN),
                        status=status,
                        substatus=substatus,
                        raw_code=str(raw),
                        raw_text=title,
                    )
                )
            return base.TrackingResult.from_events(code, events, status=status, substatus=substatus)
        except (KeyError, TypeError, ValueError) as exc:
            return self._shape_error(f"unreadable status of {code}: {exc}")
