"""Components the 2.0 tests put on real nodes: a strategy with its own config, and an actor that reports the cache.

``CacheProbe`` writes what the node's cache holds when the trader starts (the
account ``account_id``, the general entry ``key``) to the JSON file ``report``,
then stores ``value`` under ``key``: a second node started on the same Redis
reports what the first one left there.
"""

from __future__ import annotations

import json

from nautilus_trader.common import DataActor, DataActorConfig
from nautilus_trader.model import AccountId
from nautilus_trader.trading import Strategy, StrategyConfig


class DemoConfig(StrategyConfig):
    def __init__(self, instrument_id: str = "BTCUSDT-PERP.BYBIT", trade_size: int = 1, **kwargs):
        super().__init__(**kwargs)
        self.instrument_id = instrument_id
        self.trade_size = trade_size


class Demo(Strategy):
    pass


class CacheProbeConfig(DataActorConfig):
    def __init__(self, report: str = "", account_id: str = "", key: str = "probe", value: str = "", **kwargs):
        super().__init__(**kwargs)
        self.report = report
        self.account_id = account_id
        self.key = key
        self.value = value


class CacheProbe(DataActor):
    def on_start(self) -> None:
        config = self.config
        account = self.cache.account(AccountId(config.account_id)) if config.account_id else None
        general = self.cache.get(config.key)
        found = {
            "account": None if account is None else str(account.id),
            "balances": None if account is None else sorted(str(b) for b in account.balances_total().values()),
            "general": None if general is None else bytes(general).decode(),
        }
        with open(config.report, "w", encoding="utf-8") as handle:
            json.dump(found, handle)
        if config.value:
            self.cache.add(config.key, list(config.value.encode()))


class NotAComponent:
    pass
