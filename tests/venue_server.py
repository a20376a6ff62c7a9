"""A local Binance + Bybit REST venue for ``check --online`` tests, on a loopback port.

It checks every signed request as the venues' public API documentation says and
answers in their documented shapes:

- Binance (SIGNED, USER_DATA): ``X-MBX-APIKEY`` names a known key (else -2015,
  or -2014 without it); ``signature`` is the HMAC-SHA256, keyed by the secret, of
  the query string before it, or for an Ed25519 or RSA key (``Account.public_key``)
  that query string's Ed25519 / RSASSA-PKCS1-v1_5 SHA-256 signature in Base64,
  URL-encoded, verified with the key's public half (binance-spot-api-docs rest-api.md,
  "SIGNED Endpoint Examples for POST /api/v3/order": HMAC, RSA and Ed25519 keys);
  ``timestamp`` lies within ``[server - recvWindow, server + 1000)`` (else -1021);
  a bad signature is -1022.
- Bybit v5: ``X-BAPI-API-KEY`` names a known key (else retCode 10003);
  ``X-BAPI-TIMESTAMP`` lies within ``[server - X-BAPI-RECV-WINDOW, server + 1000)``
  (else 10002); ``X-BAPI-SIGN`` is HMAC-SHA256(timestamp + api_key + recv_window +
  query string) in hex (else 10004).
- OKX v5: ``OK-ACCESS-KEY`` names a known key (else 50111), ``OK-ACCESS-PASSPHRASE``
  is its passphrase (else 50105), ``x-simulated-trading`` matches the key's
  environment (else 50101), ``OK-ACCESS-TIMESTAMP`` (ISO 8601) is within 30 s
  (else 50102), ``OK-ACCESS-SIGN`` is Base64 of HMAC-SHA256(timestamp + method +
  request path + body) (else 50113).

- BitMEX: ``api-key`` names a known key (else 401 "Invalid API Key."),
  ``api-expires`` (Unix seconds) is not in the past (else 401 "This request has
  expired"), ``api-signature`` is hex HMAC-SHA256(verb + path + expires + data)
  (else 401 "Signature not valid.").
- Deribit: ``public/auth`` with ``grant_type=client_signature``: ``client_id`` names
  a known key and ``signature`` is hex HMAC-SHA256(timestamp + "\\n" + nonce +
  "\\n" + data) keyed by the client secret (else error 13004
  ``invalid_credentials``); private methods need the issued bearer token (else
  13009 ``unauthorized``).
- Kraken spot: ``API-Key`` names a known key (else ``EAPI:Invalid key``), the
  nonce grows per key (else ``EAPI:Invalid nonce``), ``API-Sign`` is Base64 of
  HMAC-SHA512(path + SHA256(nonce + POST data)) keyed by the Base64-decoded
  secret (else ``EAPI:Invalid signature``).

- Kraken Futures: ``APIKey`` names a known key and ``Authent`` is Base64 of
  HMAC-SHA512(SHA256(postData + Nonce + endpoint path without ``/derivatives``))
  keyed by the Base64-decoded secret (else ``"error": "authenticationError"``);
  every answer carries ``serverTime``.
- dYdX indexer (unsigned): ``GET /v4/time`` (``epoch`` in seconds with a fraction,
  as the indexer sends it) and ``GET /v4/addresses/{address}/subaccountNumber/{n}``
  (404 ``No subaccount found`` for an address without that subaccount).
- Architect AX: ``POST /authenticate`` with the key and secret in the JSON body
  issues a session token (else 401), which ``GET /whoami`` requires as a bearer
  token (else 401).
- Tardis: ``GET /v1/api-key-info`` with the key as a bearer token (else 401).
- Databento: ``GET /v0/metadata.list_datasets`` with HTTP Basic auth, the key
  as user (else 401 "Authentication failed.").
- Hyperliquid: ``POST /info`` reads, unsigned: ``userRole`` (``missing`` for an
  address without an account; an agent names its master) and
  ``clearinghouseState`` (with the venue's ``time``).

Answers carry the fields, types and nesting of NautilusTrader's recorded venue responses
where it has them (crates/adapters/*/test_data/, tests/integration_tests/adapters/*/resources/;
each such body names its file) and of the venues' documented examples otherwise.

Every request's method and path is recorded, so a test can hold them to an
allow-list of read-only calls. Nothing here leaves the loopback interface.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

READ_ONLY = {
    ("GET", "/api/v3/time"),
    ("GET", "/fapi/v1/time"),
    ("GET", "/dapi/v1/time"),
    ("GET", "/api/v3/account"),
    ("GET", "/fapi/v1/positionSide/dual"),
    ("GET", "/dapi/v1/positionSide/dual"),
    ("GET", "/fapi/v1/multiAssetsMargin"),
    ("GET", "/sapi/v1/account/apiRestrictions"),
    ("GET", "/v5/market/time"),
    ("GET", "/v5/user/query-api"),
    ("GET", "/v5/position/list"),
    ("GET", "/api/v5/public/time"),
    ("GET", "/api/v5/account/config"),
    ("GET", "/api/v1"),
    ("GET", "/api/v1/apiKey"),
    ("GET", "/api/v2/public/get_time"),
    ("GET", "/api/v2/public/auth"),
    ("GET", "/api/v2/private/get_account_summary"),
    ("GET", "/0/public/Time"),
    ("POST", "/0/private/Balance"),  # Kraken's private API is POST only; Balance reads and changes nothing
    ("GET", "/v0/metadata.list_datasets"),
    ("POST", "/info"),  # Hyperliquid's info endpoint is POST only and reads; its writes go to /exchange
    ("GET", "/derivatives/api/v3/tickers"),
    ("GET", "/derivatives/api/v3/accounts"),
    ("GET", "/v4/time"),
    ("POST", "/authenticate"),  # AX's login: issues a session token, changes no account state
    ("GET", "/whoami"),
    ("GET", "/v1/api-key-info"),
}
"""Every call ``check --online`` may make: reads, none that changes state."""

READ_ONLY_PATHS = (re.compile(r"/v4/addresses/[^/]+/subaccountNumber/\d+"),)
"""Reads whose path carries a parameter (dYdX's address and subaccount)."""


def read_only(call: tuple[str, str]) -> bool:
    """Whether ``(method, path)`` is one of the read-only calls."""
    method, path = call
    return call in READ_ONLY or (method == "GET" and any(p.fullmatch(path) for p in READ_ONLY_PATHS))


@dataclass
class Account:
    """One API key at the venue and the account state it reads."""

    key: str
    secret: str
    # Binance
    public_key: Any = None
    """An Ed25519 or RSA key's public half (``cryptography``): the venue verifies signatures with it, not HMAC."""
    dual_side: bool = False
    multi_assets: bool = False
    withdrawals: bool = False
    ip_restrict: bool = True
    futures_trading: bool = True
    spot_trading: bool = True
    # Bybit
    read_only: int = 0
    expires_in_days: float | None = None
    """Days until a key without IP binding expires; ``None``: never, as a key bound to IP addresses."""
    wallet: list[str] = field(default_factory=lambda: ["AccountTransfer"])
    ips: list[str] = field(default_factory=lambda: ["203.0.113.7"])
    modes: dict[str, str] = field(default_factory=dict)
    """Bybit symbol (``ETHUSDT``) -> ``MERGED_SINGLE`` / ``BOTH_SIDES``; one-way when absent."""
    open_size: dict[str, str] = field(default_factory=dict)
    # OKX
    passphrase: str = ""
    demo: bool = False
    perm: str = "read_only,trade"
    ip: str = "203.0.113.7"
    pos_mode: str = "net_mode"
    # BitMEX
    bitmex_permissions: list[str] = field(default_factory=lambda: ["order", "orderCancel"])
    cidr: str = "203.0.113.7/32"
    # Deribit
    scope: str = "connection mainaccount account:read trade:read_write wallet:read"
    # Kraken
    nonce: int = 0
    # Hyperliquid: ``key`` is the wallet address
    role: str = "user"
    master: str = ""
    account_value: str = "1000.0"
    # dYdX: ``key`` is the wallet address
    subaccounts: tuple[int, ...] = (0,)
    # Architect AX
    frozen: bool = False
    close_only: bool = False
    # Tardis: the exchanges the key may read, and until when (days from now)
    tardis_exchanges: tuple[str, ...] = ("binance", "bybit")
    tardis_days_left: float = 200


class VenueServer:
    """The venue on ``127.0.0.1:<free port>``; a context manager.

    Parameters
    ----------
    accounts : list[Account]
        The keys the venue knows.
    skew_ms : int
        The venue's clock minus the local clock.

    """

    def __init__(self, accounts: list[Account], skew_ms: int = 0):
        self.accounts = {a.key: a for a in accounts}
        self.skew_ms = skew_ms
        self.requests: list[tuple[str, str]] = []
        self.rejections: list[str] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def now_ms(self) -> int:
        return int(time.time() * 1000) + self.skew_ms

    def __enter__(self) -> VenueServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class SilentVenue:
    """A port that accepts connections (the kernel's backlog) and never answers."""

    def __enter__(self) -> SilentVenue:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._sock.getsockname()[1]}"

    def __exit__(self, *exc: object) -> None:
        self._sock.close()


def _sign(secret: str, text: str) -> str:
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()


def _binance_signed(account: Account, payload: str, signature: str) -> bool:
    """Whether ``signature`` (as sent, URL-encoded) signs ``payload`` with the account's key, as Binance checks it."""
    if account.public_key is None:
        return hmac.compare_digest(signature, _sign(account.secret, payload))
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ed25519, padding

    try:
        raw = base64.b64decode(urllib.parse.unquote_plus(signature), validate=True)
        if isinstance(account.public_key, ed25519.Ed25519PublicKey):
            account.public_key.verify(raw, payload.encode())
        else:
            account.public_key.verify(raw, payload.encode(), padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True


def _handler(venue: VenueServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _any(self) -> None:
            path, _, query = self.path.partition("?")
            venue.requests.append((self.command, path))
            if not read_only((self.command, path)):
                return self._reply(405, {"code": -1, "msg": "not a read-only call"})
            if path.startswith("/v5/"):
                return self._bybit(path, query)
            if path.startswith("/api/v5/"):
                return self._okx(self.path)
            if path == "/api/v1" or path.startswith("/api/v1/"):
                return self._bitmex(path)
            if path.startswith("/api/v2/"):
                return self._deribit(path, query)
            if path.startswith("/0/"):
                return self._kraken(path)
            if path == "/info":
                return self._hyperliquid()
            if path == "/v0/metadata.list_datasets":
                return self._databento()
            if path.startswith("/derivatives/"):
                return self._kraken_futures(path, query)
            if path.startswith("/v4/"):
                return self._dydx(path)
            if path in ("/authenticate", "/whoami"):
                return self._ax(path)
            if path == "/v1/api-key-info":
                return self._tardis()
            return self._binance(path, query)

        do_GET = do_POST = do_PUT = do_DELETE = _any

        def _reply(self, status: int, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        # ------------------------------------------------------------ Binance

        def _binance_reject(self, status: int, code: int, msg: str) -> None:
            venue.rejections.append(f"binance {code}")
            self._reply(status, {"code": code, "msg": msg})

        def _binance(self, path: str, query: str) -> None:
            if path.endswith("/time"):
                return self._reply(200, {"serverTime": venue.now_ms()})
            key = self.headers.get("X-MBX-APIKEY")
            if not key:
                return self._binance_reject(401, -2014, "API-key format invalid.")
            account = venue.accounts.get(key)
            if account is None:
                return self._binance_reject(401, -2015, "Invalid API-key, IP, or permissions for action.")
            total, found, signature = query.rpartition("&signature=")
            if not found:
                total, signature = query, ""
            params = dict(urllib.parse.parse_qsl(total))
            if "timestamp" not in params:
                return self._binance_reject(400, -1102, "Mandatory parameter 'timestamp' was not sent.")
            window = int(params.get("recvWindow", 5000))
            if window > 60000:
                return self._binance_reject(400, -1131, "recvWindow must be less than 60000")
            timestamp, server = int(params["timestamp"]), venue.now_ms()
            if not (server - window <= timestamp < server + 1000):
                return self._binance_reject(400, -1021, "Timestamp for this request is outside of the recvWindow.")
            if not signature or not _binance_signed(account, total, signature):
                return self._binance_reject(400, -1022, "Signature for this request is not valid.")
            if path == "/api/v3/account":
                return self._reply(200, _spot_account())
            if path.endswith("/positionSide/dual"):
                return self._reply(200, {"dualSidePosition": account.dual_side})
            if path == "/fapi/v1/multiAssetsMargin":
                return self._reply(200, {"multiAssetsMargin": account.multi_assets})
            return self._reply(200, _api_restrictions(account))

        # ------------------------------------------------------------ Bybit

        def _bybit_reject(self, code: int, msg: str) -> None:
            venue.rejections.append(f"bybit {code}")
            self._reply(200, {"retCode": code, "retMsg": msg, "result": {}, "retExtInfo": {}, "time": venue.now_ms()})

        def _bybit_ok(self, result: dict[str, Any]) -> None:
            self._reply(200, {"retCode": 0, "retMsg": "OK", "result": result, "retExtInfo": {}, "time": venue.now_ms()})

        def _bybit(self, path: str, query: str) -> None:
            if path == "/v5/market/time":
                now = venue.now_ms()
                return self._bybit_ok({"timeSecond": str(now // 1000), "timeNano": str(now * 1_000_000)})
            key = self.headers.get("X-BAPI-API-KEY", "")
            account = venue.accounts.get(key)
            if account is None:
                return self._bybit_reject(10003, "API key is invalid.")
            timestamp = int(self.headers.get("X-BAPI-TIMESTAMP", "0"))
            window = self.headers.get("X-BAPI-RECV-WINDOW", "5000")
            server = venue.now_ms()
            if not (server - int(window) <= timestamp < server + 1000):
                return self._bybit_reject(
                    10002,
                    "invalid request, please check your server timestamp or recv_window param. "
                    f"req_timestamp[{timestamp}],server_timestamp[{server}],recv_window[{window}]",
                )
            expected = _sign(account.secret, f"{timestamp}{key}{window}{query}")
            if not hmac.compare_digest(self.headers.get("X-BAPI-SIGN", ""), expected):
                return self._bybit_reject(10004, "error sign! origin_string[...]")
            if path == "/v5/user/query-api":
                return self._bybit_ok(_query_api(account))
            params = dict(urllib.parse.parse_qsl(query))
            return self._bybit_ok(_position_list(account, params["category"], params["symbol"]))

        # ------------------------------------------------------------ OKX

        def _okx_reply(self, status: int, code: str, msg: str = "", data: list | None = None) -> None:
            if code != "0":
                venue.rejections.append(f"okx {code}")
            self._reply(status, {"code": code, "msg": msg, "data": data or []})

        def _okx(self, request_path: str) -> None:
            if request_path == "/api/v5/public/time":
                return self._okx_reply(200, "0", data=[{"ts": str(venue.now_ms())}])
            account = venue.accounts.get(self.headers.get("OK-ACCESS-KEY", ""))
            if account is None:
                return self._okx_reply(401, "50111", "Invalid OK-ACCESS-KEY")
            if not hmac.compare_digest(self.headers.get("OK-ACCESS-PASSPHRASE", ""), account.passphrase):
                return self._okx_reply(401, "50105", "OK-ACCESS-PASSPHRASE incorrect")
            if (self.headers.get("x-simulated-trading") == "1") != account.demo:
                return self._okx_reply(401, "50101", "APIKey does not match current environment")
            stamp = self.headers.get("OK-ACCESS-TIMESTAMP", "")
            try:
                sent = dt.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp() * 1000
            except ValueError:
                return self._okx_reply(401, "50112", "Invalid OK-ACCESS-TIMESTAMP")
            if abs(venue.now_ms() - sent) > 30_000:
                return self._okx_reply(401, "50102", "Timestamp request expired")
            digest = hmac.new(account.secret.encode(), f"{stamp}GET{request_path}".encode(), hashlib.sha256).digest()
            if not hmac.compare_digest(self.headers.get("OK-ACCESS-SIGN", ""), base64.b64encode(digest).decode()):
                return self._okx_reply(401, "50113", "Invalid Sign")
            config = {"uid": "44705892343619584", "acctLv": "2", "posMode": account.pos_mode, "autoLoan": False}
            config |= {"greeksType": "PA", "level": "Lv1", "levelTmp": "", "ctIsoMode": "automatic"}
            config |= {"mgnIsoMode": "automatic", "roleType": "0", "traderInsts": [], "opAuth": "0"}
            config |= {"kycLv": "3", "label": "node", "ip": account.ip, "perm": account.perm, "mainUid": "1"}
            return self._okx_reply(200, "0", data=[config])

        # ------------------------------------------------------------ BitMEX

        def _bitmex_reject(self, status: int, message: str) -> None:
            venue.rejections.append(f"bitmex {message}")
            self._reply(status, {"error": {"message": message, "name": "HTTPError"}})

        def _bitmex(self, path: str) -> None:
            if path == "/api/v1":
                return self._reply(200, {"name": "BitMEX API", "version": "1.2.0", "timestamp": venue.now_ms()})
            account = venue.accounts.get(self.headers.get("api-key", ""))
            if account is None:
                return self._bitmex_reject(401, "Invalid API Key.")
            expires = self.headers.get("api-expires", "0")
            now = venue.now_ms() // 1000
            if int(expires) < now:
                return self._bitmex_reject(
                    401, f"This request has expired - `expires` is in the past. Current time: {now}"
                )
            expected = _sign(account.secret, f"{self.command}{self.path}{expires}")
            if not hmac.compare_digest(self.headers.get("api-signature", ""), expected):
                return self._bitmex_reject(401, "Signature not valid.")
            key = {"id": account.key, "secret": "", "name": "node", "nonce": 0, "cidr": account.cidr}
            key |= {"cidrs": [account.cidr], "targetAccountId": None, "permissions": account.bitmex_permissions}
            key |= {"enabled": True, "userId": 27000, "created": "2024-12-01T02:36:06.000Z"}
            return self._reply(200, [key])

        # ------------------------------------------------------------ Deribit

        def _deribit_reply(self, status: int, result: Any = None, error: tuple[int, str] | None = None) -> None:
            body: dict[str, Any] = {"jsonrpc": "2.0", "usIn": venue.now_ms() * 1000, "testnet": True}
            if error:
                venue.rejections.append(f"deribit {error[0]}")
                body["error"] = {"code": error[0], "message": error[1]}
            else:
                body["result"] = result
            self._reply(status, body)

        def _deribit(self, path: str, query: str) -> None:
            if path == "/api/v2/public/get_time":
                return self._deribit_reply(200, venue.now_ms())
            params = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
            if path == "/api/v2/public/auth":
                account = venue.accounts.get(params.get("client_id", ""))
                text = f"{params.get('timestamp')}\n{params.get('nonce')}\n{params.get('data', '')}"
                if (
                    params.get("grant_type") != "client_signature"
                    or account is None
                    or not hmac.compare_digest(params.get("signature", ""), _sign(account.secret, text))
                ):
                    return self._deribit_reply(400, error=(13004, "invalid_credentials"))
                token = "token-" + hashlib.sha256(account.key.encode()).hexdigest()[:16]
                return self._deribit_reply(
                    200,
                    {
                        "access_token": token,
                        "expires_in": 900,
                        "refresh_token": token + "r",
                        "scope": account.scope,
                        "token_type": "bearer",
                    },
                )
            tokens = {"token-" + hashlib.sha256(k.encode()).hexdigest()[:16] for k in venue.accounts}
            if self.headers.get("Authorization", "").removeprefix("bearer ") not in tokens:
                return self._deribit_reply(400, error=(13009, "unauthorized"))
            summary = {"currency": params.get("currency", "BTC"), "equity": 1.5, "balance": 1.5, "margin_balance": 1.5}
            return self._deribit_reply(200, summary | {"available_funds": 1.5, "initial_margin": 0.0})

        # ------------------------------------------------------------ Kraken

        def _kraken_reply(self, result: Any = None, error: str | None = None) -> None:
            if error:
                venue.rejections.append(f"kraken {error}")
            self._reply(200, {"error": [error] if error else [], **({"result": result} if result is not None else {})})

        def _kraken(self, path: str) -> None:
            if path == "/0/public/Time":
                now = venue.now_ms() // 1000
                stamp = dt.datetime.fromtimestamp(now, dt.UTC).strftime("%a, %d %b %y %H:%M:%S +0000")
                return self._kraken_reply({"unixtime": now, "rfc1123": stamp})
            data = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            account = venue.accounts.get(self.headers.get("API-Key", ""))
            if account is None:
                return self._kraken_reply(error="EAPI:Invalid key")
            nonce = dict(urllib.parse.parse_qsl(data)).get("nonce", "")
            message = path.encode() + hashlib.sha256((nonce + data).encode()).digest()
            try:
                secret = base64.b64decode(account.secret, validate=True)
            except ValueError:
                secret = b""
            expected = base64.b64encode(hmac.new(secret, message, hashlib.sha512).digest()).decode()
            if not secret or not hmac.compare_digest(self.headers.get("API-Sign", ""), expected):
                return self._kraken_reply(error="EAPI:Invalid signature")
            if not nonce.isdigit() or int(nonce) <= account.nonce:
                return self._kraken_reply(error="EAPI:Invalid nonce")
            account.nonce = int(nonce)
            return self._kraken_reply({"ZUSD": "1000.0000", "XXBT": "0.0100000000"})

        # ------------------------------------------------------------ Kraken Futures

        def _kraken_futures(self, path: str, query: str) -> None:
            stamp = dt.datetime.fromtimestamp(venue.now_ms() / 1000, dt.UTC).isoformat(timespec="milliseconds")
            server_time = stamp.replace("+00:00", "Z")
            if path == "/derivatives/api/v3/tickers":
                ticker = {"symbol": "PF_XBTUSD", "last": 97000.5, "markPrice": 97001.0, "tag": "perpetual"}
                return self._reply(200, {"result": "success", "serverTime": server_time, "tickers": [ticker]})
            account = venue.accounts.get(self.headers.get("APIKey", ""))
            nonce = self.headers.get("Nonce", "")
            try:
                secret = base64.b64decode(account.secret, validate=True) if account else b""
            except ValueError:
                secret = b""
            digest = hashlib.sha256(f"{query}{nonce}{path.removeprefix('/derivatives')}".encode()).digest()
            expected = base64.b64encode(hmac.new(secret, digest, hashlib.sha512).digest()).decode()
            if not secret or not hmac.compare_digest(self.headers.get("Authent", ""), expected):
                venue.rejections.append("kraken futures authenticationError")
                body = {"result": "error", "serverTime": server_time, "error": "authenticationError"}
                return self._reply(401, body)
            flex = {"type": "multiCollateralMarginAccount", "portfolioValue": 1000.0, "availableMargin": 1000.0}
            flex |= {"initialMargin": 0.0, "pnl": 0.0, "currencies": {"USD": {"quantity": 1000.0, "value": 1000.0}}}
            accounts = {"cash": {"type": "cashAccount", "balances": {"usd": 1000.0}}, "flex": flex}
            return self._reply(200, {"result": "success", "serverTime": server_time, "accounts": accounts})

        # ------------------------------------------------------------ dYdX

        def _dydx(self, path: str) -> None:
            if path == "/v4/time":
                now = venue.now_ms()
                stamp = dt.datetime.fromtimestamp(now / 1000, dt.UTC).isoformat(timespec="milliseconds")
                return self._reply(200, {"iso": stamp.replace("+00:00", "Z"), "epoch": now / 1000})
            _, _, address, _, number = path.strip("/").split("/")  # v4/addresses/{address}/subaccountNumber/{n}
            account = venue.accounts.get(address)
            if account is None or int(number) not in account.subaccounts:
                venue.rejections.append("dydx 404")
                message = f"No subaccount found with address {address} and subaccountNumber {number}"
                return self._reply(404, {"errors": [{"msg": message}]})
            usdc = {"size": "45.2", "symbol": "USDC", "side": "LONG", "assetId": "0", "subaccountNumber": int(number)}
            subaccount = {"address": address, "subaccountNumber": int(number), "equity": "45.2"}
            subaccount |= {"freeCollateral": "45.2", "openPerpetualPositions": {}, "assetPositions": {"USDC": usdc}}
            subaccount |= {"marginEnabled": True, "updatedAtHeight": "63049869"}
            return self._reply(200, {"subaccount": subaccount | {"latestProcessedBlockHeight": "66624141"}})

        # ------------------------------------------------------------ Architect AX

        def _ax_token(self, account: Account) -> str:
            return "ax-session-" + hashlib.sha256(account.secret.encode()).hexdigest()[:24]

        def _ax(self, path: str) -> None:
            unauthorized = {"error": "unauthorized", "message": "invalid credentials", "status": 401}
            if path == "/authenticate":
                request = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
                account = venue.accounts.get(str(request.get("api_key", "")))
                if account is None or not hmac.compare_digest(str(request.get("api_secret", "")), account.secret):
                    venue.rejections.append("ax 401")
                    return self._reply(401, unauthorized)
                return self._reply(200, {"token": self._ax_token(account)})
            bearer = self.headers.get("Authorization", "").removeprefix("Bearer ")
            account = next((a for a in venue.accounts.values() if self._ax_token(a) == bearer), None)
            if account is None:
                venue.rejections.append("ax 401")
                return self._reply(401, unauthorized | {"message": "invalid or expired session token"})
            whoami = {
                "id": "3c90c3cc-0d44-4b50-8888-8dd25736052a",
                "username": "node",
                "created_at": "2025-11-07T05:31:56Z",
            }
            whoami |= {"enabled_2fa": True, "is_onboarded": True, "is_frozen": account.frozen, "is_admin": False}
            return self._reply(
                200, whoami | {"is_close_only": account.close_only, "maker_fee": "0.0002", "taker_fee": "0.0005"}
            )

        # ------------------------------------------------------------ Tardis

        def _tardis(self) -> None:
            account = venue.accounts.get(self.headers.get("Authorization", "").removeprefix("Bearer "))
            if account is None:
                venue.rejections.append("tardis 401")
                return self._reply(401, {"code": 100, "message": "Invalid API key provided."})
            until = dt.datetime.now(dt.UTC) + dt.timedelta(days=account.tardis_days_left)
            stamp = until.strftime("%Y-%m-%dT%H:%M:%S.000Z")
            access = [
                {"exchange": e, "from": "2019-03-30T00:00:00.000Z", "to": stamp, "symbols": ["*"]}
                for e in account.tardis_exchanges
            ]
            return self._reply(200, access)

        # ------------------------------------------------------------ Databento

        def _databento(self) -> None:
            try:
                user = base64.b64decode(self.headers.get("Authorization", "").removeprefix("Basic ")).decode()
            except ValueError:
                user = ""
            if user.partition(":")[0] not in venue.accounts:
                venue.rejections.append("databento 401")
                return self._reply(401, {"detail": "Authentication failed."})
            return self._reply(200, ["GLBX.MDP3", "XNAS.ITCH", "OPRA.PILLAR"])

        # ------------------------------------------------------------ Hyperliquid

        def _hyperliquid(self) -> None:
            request = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            account = venue.accounts.get(str(request.get("user", "")).lower())
            if request.get("type") == "userRole":
                if account is None:
                    return self._reply(200, {"role": "missing"})
                return self._reply(
                    200, {"role": account.role} | ({"data": {"user": account.master}} if account.master else {})
                )
            if request.get("type") == "clearinghouseState":
                value = account.account_value if account else "0.0"
                summary = {"accountValue": value, "totalNtlPos": "0.0", "totalRawUsd": value, "totalMarginUsed": "0.0"}
                return self._reply(
                    200,
                    {
                        "assetPositions": [],
                        "crossMaintenanceMarginUsed": "0.0",
                        "crossMarginSummary": summary,
                        "marginSummary": summary,
                        "time": venue.now_ms(),
                        "withdrawable": value,
                    },
                )
            return self._reply(422, "Failed to deserialize the JSON body into the target type")

    return Handler


def _spot_account() -> dict[str, Any]:
    """``GET /api/v3/account`` with the fields of NautilusTrader's recording
    crates/adapters/binance/test_data/spot/http_json/account_response.json."""
    return {
        "makerCommission": 15,
        "takerCommission": 15,
        "buyerCommission": 0,
        "sellerCommission": 0,
        "commissionRates": {
            "maker": "0.00150000",
            "taker": "0.00150000",
            "buyer": "0.00000000",
            "seller": "0.00000000",
        },
        "canTrade": True,
        "canWithdraw": True,
        "canDeposit": True,
        "brokered": False,
        "requireSelfTradePrevention": False,
        "preventSor": False,
        "updateTime": 123456789,
        "accountType": "SPOT",
        "balances": [{"asset": "USDT", "free": "1000.00000000", "locked": "0.00000000"}],
        "permissions": ["SPOT"],
        "uid": 354937868,
    }


def _api_restrictions(account: Account) -> dict[str, Any]:
    """``GET /sapi/v1/account/apiRestrictions`` as Binance documents it (Wallet endpoints, Get API Key
    Permission); NautilusTrader has no call for it, so no recording."""
    return {
        "ipRestrict": account.ip_restrict,
        "createTime": 1698645219000,
        "enableReading": True,
        "enableWithdrawals": account.withdrawals,
        "enableInternalTransfer": False,
        "enableMargin": False,
        "enableFutures": account.futures_trading,
        "enableSpotAndMarginTrading": account.spot_trading,
        "permitsUniversalTransfer": False,
        "enableVanillaOptions": False,
        "enableFixApiTrade": False,
        "enableFixReadOnly": False,
        "enablePortfolioMarginTrading": False,
    }


def _query_api(account: Account) -> dict[str, Any]:
    """``GET /v5/user/query-api``'s result as Bybit sends it: the fields, their types and order of NautilusTrader's
    recording crates/adapters/bybit/test_data/http_get_user_query_api.json (an IP-bound key: ``deadlineDay`` -2,
    ``expiredAt`` the Unix epoch); a key without IP binding gets its remaining days and expiry date, as the
    Bybit v5 docs (Get API Key Information) say of keys "with no IP bound"."""
    if account.expires_in_days is None:
        deadline, expires = -2, "1970-01-01T00:00:00Z"
    else:
        expiry = dt.datetime.now(dt.UTC) + dt.timedelta(days=account.expires_in_days)
        deadline, expires = int(account.expires_in_days), expiry.strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "id": "2208369",
        "note": "node",
        "apiKey": account.key,
        "readOnly": account.read_only,
        "secret": "",
        "permissions": {
            "ContractTrade": ["Order", "Position"],
            "Spot": ["SpotTrade"],
            "Wallet": account.wallet,
            "Options": [],
            "Derivatives": ["DerivativesTrade"],
            "CopyTrading": [],
            "BlockTrade": [],
            "Exchange": ["ExchangeHistory"],
            "NFT": [],
            "Affiliate": [],
            "Earn": ["Earn"],
            "FiatP2P": [],
            "FiatBybitPay": [],
            "FiatConvertBroker": [],
            "FiatGlobalPay": [],
            "FiatBitPay": [],
            "BitCard": [],
            "ByXPost": [],
        },
        "ips": account.ips,
        "type": 1,
        "deadlineDay": deadline,
        "expiredAt": expires,
        "createdAt": "2025-10-13T03:20:45Z",
        "unified": 0,
        "uta": 1,
        "userID": 1448939,
        "inviterID": 0,
        "vipLevel": "No VIP",
        "mktMakerLevel": "0",
        "affiliateID": 0,
        "rsaPublicKey": "",
        "isMaster": True,
        "parentUid": "0",
        "kycLevel": "LEVEL_1",
        "kycRegion": "MYS",
        "userIDInt64": "0",
        "inviterIDInt64": "0",
        "affiliateIDInt64": "0",
    }


def _position_list(account: Account, category: str, symbol: str) -> dict[str, Any]:
    size = account.open_size.get(symbol, "0")
    hedge = account.modes.get(symbol) == "BOTH_SIDES"
    sides = [(1, "Buy", size), (2, "Sell", "0")] if hedge else [(0, "Buy" if size != "0" else "", size)]
    return {
        "list": [
            {
                "positionIdx": idx,
                "riskId": 1,
                "riskLimitValue": "2000000",
                "symbol": symbol,
                "side": side,
                "size": qty,
                "avgPrice": "0",
                "positionValue": "0",
                "tradeMode": 0,
                "positionStatus": "Normal",
                "autoAddMargin": 0,
                "adlRankIndicator": 0,
                "leverage": "10",
                "positionBalance": "0",
                "markPrice": "3000",
                "liqPrice": "",
                "bustPrice": "",
                "positionMM": "0",
                "positionIM": "0",
                "tpslMode": "Full",
                "takeProfit": "0",
                "stopLoss": "0",
                "trailingStop": "0",
                "unrealisedPnl": "0",
                "curRealisedPnl": "0",
                "cumRealisedPnl": "0",
                "seq": 1,
                "isReduceOnly": False,
                "mmrSysUpdatedTime": "",
                "leverageSysUpdatedTime": "",
                "createdTime": "1676538056258",
                "updatedTime": "1697673600012",
            }
            for idx, side, qty in sides
        ],
        "nextPageCursor": "",
        "category": category,
    }
