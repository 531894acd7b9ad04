"""Tipax (تیپاکس, Iran) client on the "OM v3" business API.

Seen in public code (third-party; none of it checked against the live API):

* Login, confirmed by several sources (``AmirVahedix/laravel-tipax``, ``aliSehati/tipax``,
  academy.tipax.ir): ``POST /api/OM/v3/Account/token`` with ``{"username", "password",
  "apiKey"}`` answering ``{"accessToken", "refreshToken"}`` (``expiresIn`` in some), then
  ``Authorization: Bearer <accessToken>``; production host ``omapi.tipax.ir``, sandbox
  ``omtestapi.tipax.ir``.
* Renewal (``aliSehati/tipax``): ``POST /api/OM/v3/Account/RefreshToken`` with
  ``{"refreshToken", "accessToken"}`` answering the same shape; on HTTP 401 that code
  refreshes once and retries, and logs in again when the refresh fails. The answer may be
  wrapped in ``{"data": {...}}``.
* Status vocabulary (document.tipaxapi.org): statuses are ``{id, latinTitle, title}``;
  parcel events carry ``parcelStatus{id, latinTitle, title}``.

Seen only in third-party code, never documented: ``GET /api/OM/v3/Tracking/BriefTracking/
{trackingCode}`` (the default here) and ``GET /api/OM/v3/Tracking/{orderId}``.

Assumed: the tracking answer is ``{"parcelStatus", "estimatedDeliveryDate", "events":
[{"title", "latinTitle", "parcelStatus", "creationDate", "cityTitle"}]}`` (a bare list of
events, or either wrapped in ``data``, is accepted too); naive ``creationDate`` values are
Tehran time, Jalali or Gregorian; an unknown code gives HTTP 404/400 or an empty answer.
Status ids are not published, so events are mapped from their Persian/English titles;
``code_map`` pins ids once known. Base URL, the three paths and the map are options.
"""

import threading
import time
from urllib.parse import quote

from ..exceptions import AuthenticationError, InvalidResponseError, TrackingNotFoundError
from . import base, persian
from .http import HttpMixin
from .timeparse import TEHRAN, parse_datetime, parse_eta

DEFAULT_BASE_URL = "https://omapi.tipax.ir"
TOKEN_PATH = "/api/OM/v3/Account/token"
REFRESH_PATH = "/api/OM/v3/Account/RefreshToken"
TRACKING_PATH = "/api/OM/v3/Tracking/BriefTracking/{code}"
# Renew this long before the announced expiry, so a request never carries a dying token.
EXPIRY_MARGIN = 60.0


def _unwrap(payload):
    """Some answers come as ``{"data": {...}}``, others flat."""
    if isinstance(payload, dict) and isinstance(payload.get("data"), (dict, list)):
        return payload["data"]
    return payload


class TipaxClient(HttpMixin, base.CarrierClient):
    """Credentials: ``username``, ``password`` and ``api_key`` of the Tipax business
    account. A token is obtained on first use, refreshed before it expires or on HTTP
    401 (``RefreshToken``), and obtained anew when the refresh is refused."""

    name = "tipax"
    batch_size = 1
    # The public page asks for the code itself; no documented prefill parameter.
    tracking_url_template = "https://tipaxco.com/tracking"

    def __init__(
        self,
        username,
        password,
        api_key,
        *,
        base_url=DEFAULT_BASE_URL,
        timeout=None,
        session=None,
        code_map=None,
        tracking_page_url=None,
        token_path=TOKEN_PATH,
        refresh_path=REFRESH_PATH,
        tracking_path=TRACKING_PATH,
        clock=time.monotonic,
    ):
        if not (username and password and api_key):
            raise ValueError("Tipax needs username, password and API key")
        self._init_http(base_url, timeout=timeout, session=session, secrets=(password, api_key))
        self._credentials = {"username": username, "password": password, "apiKey": api_key}
        self.code_map = dict(code_map or {})
        self.token_path, self.refresh_path = token_path, refresh_path
        self.tracking_path = tracking_path
        if tracking_page_url:
            self.tracking_url_template = tracking_page_url
        self._clock = clock
        self._token = self._refresh_token = None
        self._expires_at = None
        # The pool may call one client from several threads: renew only once.
        self._token_lock = threading.Lock()

    # -- tokens -----------------------------------------------------------------------------

    def _token_answer(self, response, what):
        payload = _unwrap(self._json(response))
        token = payload.get("accessToken") if isinstance(payload, dict) else None
        if not token or not isinstance(token, str):
            raise self._shape_error(f"{what} answer has no accessToken")
        refresh = payload.get("refreshToken")
        self._add_secret(token)
        self._add_secret(refresh if isinstance(refresh, str) else None)
        try:
            lifetime = float(payload.get("expiresIn") or payload.get("expireIn") or 0)
        except (TypeError, ValueError):
            lifetime = 0.0
        self._token = token
        self._refresh_token = refresh if isinstance(refresh, str) else None
        self._expires_at = self._clock() + lifetime - EXPIRY_MARGIN if lifetime > 0 else None
        return lifetime

    def _login(self):
        response = self._request(
            "POST", self.token_path, json=self._credentials, allow_status=(400,)
        )
        if response.status_code == 400:
            raise self._error(AuthenticationError, "login refused (HTTP 400)", status_code=400)
        return self._token_answer(response, "login")

    def _refresh(self):
        """Renew with the refresh token; ``False`` when Tipax refuses it (then log in)."""
        if not self._refresh_token:
            return False
        response = self._request(
            "POST",
            self.refresh_path,
            json={"refreshToken": self._refresh_token, "accessToken": self._token or ""},
            allow_status=(400, 401, 403),
        )
        if response.status_code in (400, 401, 403):
            return False
        self._token_answer(response, "refresh")
        return True

    def _get_token(self, stale=None):
        """A usable access token; ``stale`` is one the API just refused."""
        with self._token_lock:
            expired = self._expires_at is not None and self._clock() >= self._expires_at
            renew = self._token == stale or expired
            # A refused or missing refresh token falls back to a full login.
            if self._token is None or (renew and not self._refresh()):
                self._login()
            return self._token

    def check_connection(self):
        """A fresh login: the cheapest request that proves the three credentials."""
        with self._token_lock:
            lifetime = self._login()
        valid = f", token valid for {int(lifetime)} s" if lifetime else ""
        return f"tipax: login accepted{valid}"

    # -- tracking -------------------------------------------------------------------------

    def _fetch_batch(self, codes):
        code = codes[0]
        path = self.tracking_path.format(code=quote(code, safe=""))
        token = self._get_token()
        response = None
        for _attempt in range(2):
            response = self._request(
                "GET",
                path,
                headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                allow_status=(400, 401, 404),
            )
            if response.status_code != 401:
                break
            # Tokens expire early at times: renew once, then a second 401 is bad credentials.
            token = self._get_token(stale=token)
        if response.status_code == 401:
            raise self._error(AuthenticationError, "token refused (HTTP 401)", status_code=401)
        if response.status_code in (400, 404) or not response.content.strip():
            return self._unknown_code(code, response.status_code)
        payload = self._json(response)
        try:
            return {code: self.parse_tracking(code, payload)}
        except TrackingNotFoundError as error:
            return {code: error}
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            return {
                code: self._error(
                    InvalidResponseError, f"unreadable tracking: {exc}", tracking_code=code
                )
            }

    def parse_tracking(self, code, payload):
        """Turn a tracking answer into a ``TrackingResult`` (shape: see module).

        Raises ``TrackingNotFoundError`` for a ``null`` answer, ``TypeError`` for junk.
        """
        payload = _unwrap(payload)
        if payload is None:
            raise self._error(TrackingNotFoundError, "unknown tracking code", tracking_code=code)
        events = payload if isinstance(payload, list) else None
        eta = None
        if isinstance(payload, dict):
            events = payload.get("events")
            eta = parse_eta(payload.get("estimatedDeliveryDate"), TEHRAN)
        if not isinstance(events, list):
            raise TypeError("events is not a list")
        return base.TrackingResult.from_events(code, [self._event(e) for e in events], eta=eta)

    def _event(self, item):
        state = item.get("parcelStatus") or {}
        status_id = state.get("id")
        title = item.get("title") or state.get("title") or ""
        status, substatus = persian.resolve(
            status_id,
            title,
            state.get("title"),
            item.get("latinTitle"),
            state.get("latinTitle"),
            code_map=self.code_map,
        )
        return base.TrackingEvent(
            occurred_at=parse_datetime(item["creationDate"], TEHRAN),
            status=status,
            substatus=substatus,
            raw_code=None if status_id is None else str(status_id),
            raw_text=str(title),
            location=item.get("cityTitle") or item.get("city") or None,
        )
