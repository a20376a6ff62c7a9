"""A local Binance + Bybit REST venue for ``check --online`` tests, on a loopback port.

It checks every signed request as the venues' public API documentation says and
answers in their documented shapes:

- Binance (SIGNED, USER_DATA): ``X-MBX-APIKEY`` names a known key (else -2015,
  or -2014 without it); ``signature`` is the HMAC-SHA256, keyed by the secret, of
  the query string before it; ``timestamp`` lies within
  ``[server - recvWindow, server + 1000)`` (else -1021); a bad signature is -1022.
- Bybit v5: ``X-BAPI-API-KEY`` names a known key (else retCode 10003);
  ``X-BAPI-TIMESTAMP`` lies within ``[server - X-BAPI-RECV-WINDOW, server + 1000)``
  (else 10002); ``X-BAPI-SIGN`` is HMAC-SHA256(timestamp + api_key + recv_window +
  query string) in hex (else 10004).
- OKX v5: ``OK-ACCESS-KEY`` names a known key (else 50111), ``OK-ACCESS-PASSPHRASE``
  is its passphrase (else 50105), ``x-simulated-trading`` matches the key's
  environment (else 50101), ``OK-ACCESS-TIMESTAMP`` (ISO 8601) is within 30 s
  (else 50102), ``OK-ACCESS-SIGN`` is Base64 of HMAC-SHA256(timestamp + method +
  request path + body) (else 50113).

Every request's method and path is recorded, so a test can hold them to an
allow-list of read-only calls. Nothing here leaves the loopback interface.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
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
}
"""Every call ``check --online`` may make: GETs that read, none that changes state."""


@dataclass
class Account:
    """One API key at the venue and the account state it reads."""

    key: str
    secret: str
    # Binance
    dual_side: bool = False
    multi_assets: bool = False
    withdrawals: bool = False
    ip_restrict: bool = True
    futures_trading: bool = True
    # Bybit
    read_only: int = 0
    expires_in_days: float | None = 60
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
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

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


def _handler(venue: VenueServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _any(self) -> None:
            path, _, query = self.path.partition("?")
            venue.requests.append((self.command, path))
            if (self.command, path) not in READ_ONLY:
                return self._reply(405, {"code": -1, "msg": "not a read-only call"})
            if path.startswith("/v5/"):
                return self._bybit(path, query)
            if path.startswith("/api/v5/"):
                return self._okx(self.path)
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
            if not signature or not hmac.compare_digest(signature, _sign(account.secret, total)):
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

    return Handler


def _spot_account() -> dict[str, Any]:
    return {
        "makerCommission": 15,
        "takerCommission": 15,
        "buyerCommission": 0,
        "sellerCommission": 0,
        "canTrade": True,
        "canWithdraw": True,
        "canDeposit": True,
        "updateTime": 123456789,
        "accountType": "SPOT",
        "balances": [{"asset": "USDT", "free": "1000.0", "locked": "0.0"}],
        "permissions": ["SPOT"],
    }


def _api_restrictions(account: Account) -> dict[str, Any]:
    return {
        "ipRestrict": account.ip_restrict,
        "createTime": 1698645219000,
        "enableReading": True,
        "enableWithdrawals": account.withdrawals,
        "enableInternalTransfer": False,
        "enableMargin": False,
        "enableFutures": account.futures_trading,
        "permitsUniversalTransfer": False,
        "enableVanillaOptions": False,
        "enableFixApiTrade": False,
        "enableFixReadOnly": False,
        "enableSpotAndMarginTrading": True,
        "enablePortfolioMarginTrading": False,
    }


def _query_api(account: Account) -> dict[str, Any]:
    expires = (
        ""
        if account.expires_in_days is None
        else (dt.datetime.now(dt.UTC) + dt.timedelta(days=account.expires_in_days)).strftime("%Y-%m-%dT%H:%M:%SZ")
    )
    return {
        "id": "13770661",
        "note": "node",
        "apiKey": account.key,
        "readOnly": account.read_only,
        "secret": "",
        "permissions": {
            "ContractTrade": ["Order", "Position"],
            "Spot": ["SpotTrade"],
            "Wallet": account.wallet,
            "Options": [],
            "Derivatives": [],
            "CopyTrading": [],
            "BlockTrade": [],
            "Exchange": [],
            "NFT": [],
            "Affiliate": [],
        },
        "ips": account.ips,
        "type": 1,
        "deadlineDay": -1 if account.expires_in_days is None else int(account.expires_in_days),
        "expiredAt": expires,
        "createdAt": "2024-12-01T02:36:06Z",
        "unified": 0,
        "uta": 1,
        "userID": 24600000,
        "inviterID": 0,
        "vipLevel": "No VIP",
        "mktMakerLevel": "0",
        "affiliateID": 0,
        "rsaPublicKey": "",
        "isMaster": True,
        "parentUid": "0",
        "kycLevel": "LEVEL_DEFAULT",
        "kycRegion": "",
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
