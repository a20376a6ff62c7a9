"""Every diagnostic code ntprofile reports, with the reason it exists.

``ntprofile rules`` prints this table; each stage reports only codes listed
here (a test checks it), so the catalogue cannot drift from the code.
"""

from __future__ import annotations

from typing import NamedTuple


class Code(NamedTuple):
    """One diagnostic code: its family, a short title and why it matters."""

    code: str
    title: str
    rationale: str

    @property
    def family(self) -> str:
        return FAMILIES[self.code[0]]


FAMILIES = {
    "Y": "loading and syntax",
    "L": "layers",
    "V": "schema and NautilusTrader values",
    "S": "secrets and placeholders",
    "P": "trading-safety policy",
    "R": "run-time preflight (check, run) and the venues (check --online)",
    "D": "deployment (render)",
    "M": "migration to another NautilusTrader release (migrate)",
}

_CODES = [
    Code("Y001", "file unreadable", "A profile that cannot be read cannot be checked."),
    Code("Y002", "not UTF-8", "Profiles are UTF-8 text; a stray byte usually means a corrupted or binary file."),
    Code("Y003", "syntax error", "The YAML or TOML does not parse."),
    Code("Y004", "tab indentation", "YAML forbids tabs in indentation; editors hide them."),
    Code("Y005", "duplicate key", "With duplicate keys one value silently wins; say it once."),
    Code("Y006", "not a mapping", "A profile is a mapping of top-level keys."),
    Code("Y007", "YAML tag or merge key", "Profiles are plain data: no tags that construct objects, no '<<' merges."),
    Code("Y008", "alias expansion", "Aliases that expand without bound exhaust memory ('billion laughs')."),
    Code("Y009", "nesting too deep", "Deep nesting is a mistake or an attack; real profiles are shallow."),
    Code("Y010", "non-string key", "YAML turns unquoted keys such as 'on' or '1' into booleans and numbers."),
    Code(
        "Y011",
        "file too large",
        "A profile is small; a huge file (or a device linked as one) would exhaust memory before it parsed.",
    ),
    Code(
        "Y012",
        "YAML version",
        "PyYAML reads YAML 1.1: a file declaring %YAML 1.2 would have its no/off/yes/on read as booleans.",
    ),
    Code(
        "Y013",
        "control character in a key",
        "A key is printed in findings and in env.example; a line break in it would forge a line there.",
    ),
    Code("L001", "missing layer", "'extends' names a layer that does not exist."),
    Code("L002", "extends cycle", "Layers that extend each other have no merge order."),
    Code("L003", "layer outside the root", "Layers come from the profiles root only, so a review sees all of them."),
    Code("L004", "bad extends", "'extends' is a list of layer names."),
    Code(
        "L005",
        "not a target",
        "A root-level file that sets no stage and that nothing extends is neither a target nor a layer.",
    ),
    Code(
        "L006",
        "ambiguous layer name",
        "One name in two files (x.yaml and x.toml): which one 'extends' means is a guess.",
    ),
    Code(
        "L007",
        "disables nothing",
        "'enabled: false' on an entry no layer defines is a typo: the entry meant to stop keeps running.",
    ),
    Code("V001", "unknown key", "NautilusTrader would ignore or reject a misspelt key; either way not what was meant."),
    Code("V002", "wrong type", "The value has the wrong type for the NautilusTrader field."),
    Code("V003", "invalid value", "The value is outside what the field accepts (enum, range, format)."),
    Code(
        "V004",
        "missing required key",
        "A target needs a stage, a trader_id and at least one exchange, and each client the fields NautilusTrader "
        "cannot build it without.",
    ),
    Code(
        "V005",
        "shared exec venue",
        "NautilusTrader registers one execution client per venue; a second one on the same venue fails the build.",
    ),
    Code(
        "V006",
        "adapter needs an optional package",
        "Some NautilusTrader adapters import only with an extra installed (nautilus_trader[ib]).",
    ),
    Code(
        "V101", "rejected by NautilusTrader", "NautilusTrader's own config classes refused the value at compile time."
    ),
    Code(
        "V102",
        "no JSON form",
        "NautilusTrader cannot write this field to node.json; it works in memory only (check, run, API).",
    ),
    Code(
        "V103",
        "component class unusable",
        "A strategy, actor or exec algorithm class (or its config class) that does not import, or is not of its "
        "kind, stops the node when the trader starts; compile imports each, and the hook knows the classes of "
        "the modules the repository's schema covers.",
    ),
    Code(
        "V104",
        "component not in the schema",
        "The schema checks a component's config only for the config classes it covers; `ntprofile schema` in "
        "the profiles repository adds them, so the hook catches a typo without importing NautilusTrader.",
    ),
    Code("S001", "literal secret", "Keys and passwords must be placeholders so none is ever committed."),
    Code("S002", "malformed placeholder", "A placeholder that does not parse would be taken literally."),
    Code(
        "S003",
        "secret default",
        "A ':-default' on a secret placeholder is a literal secret in disguise; "
        "a credential has no default at all (an empty one hands the exchange an empty key).",
    ),
    Code("S004", "missing variable", "A placeholder without a default needs its variable when the node is built."),
    Code("S005", "empty secret", "An empty credential fails at the exchange, after the node has started."),
    Code("S006", "bad variable value", "The variable's value does not convert to the field's type."),
    Code(
        "S007",
        "variable and its file both set",
        "NAME and NAME_FILE both set leave it to chance which credential the node uses.",
    ),
    Code(
        "S008",
        "variable file unreadable",
        "NAME_FILE names a file the node cannot read (missing, a directory, no permission, not UTF-8): "
        "a secret mount is missing or wrong.",
    ),
    Code(
        "S010",
        "credential in a URL",
        "A URL with user:password@ or a token parameter (?token=, &api_key=) carries a literal secret in a field "
        "no secret rule guards; it is committed and printed wherever the URL is.",
    ),
    Code(
        "S011",
        "credential in a comment",
        "A key pasted into a comment (# api_key: ...) is committed and pushed like any other line.",
    ),
    Code(
        "S012",
        "missing credential",
        "A client the adapter cannot run without its credential (OKX api_passphrase, a Hyperliquid "
        "private_key) fails only when the node is built.",
    ),
    Code(
        "S013",
        "implicit credential",
        "Unset, NautilusTrader reads the credential from a variable of its own choosing; "
        "a profile must say where its key comes from.",
    ),
    Code(
        "S014",
        "credential of the wrong form",
        "A key whose form is wrong for its venue (a dYdX private key that is not 64 hexadecimal digits) fails at "
        "the first signed request, or is taken as another key; seen without asking the venue.",
    ),
    Code(
        "S015",
        "file from a secrets folder",
        "A folder ntprofile fills with secret files ignores itself in git; a file from it staged anyway "
        "(git add -f, or its .gitignore removed) would commit a credential.",
    ),
    Code("P100", "waiver without a reason", "A waived safety rule must say why, for the reviewer and the on-call."),
    Code(
        "P101",
        "production on mainnet",
        "A production profile pointing at a testnet trades nothing and hides the mistake.",
    ),
    Code("P102", "testnet off mainnet", "A testnet profile pointing at mainnet trades real money."),
    Code(
        "P103",
        "Redis cache in production",
        "Without a persistent cache, positions and orders are lost in a crash; without a password, anyone who "
        "reaches the Redis host reads and rewrites them.",
    ),
    Code(
        "P104",
        "reconciliation",
        "Without reconciliation over at least an hour a restarted node does not know its open orders.",
    ),
    Code("P105", "risk engine", "A bypassed risk engine or implicit rate limits are not a decision."),
    Code(
        "P106",
        "Bybit position mode",
        "Hedge mode needs strategies that set position_idx and works only for USDT linear perpetuals.",
    ),
    Code("P107", "JSON file logs", "Without file logs in JSON there is no audit trail for the log shipper."),
    Code(
        "P108",
        "credential variables",
        "A production profile must not use testnet keys, nor a testnet profile production keys, nor a paper "
        "profile a key that can trade.",
    ),
    Code(
        "P109", "trader identity collision", "Two production nodes with one trader_id and instance_id share Redis keys."
    ),
    Code(
        "P110",
        "instance id",
        "cache.use_instance_id without a fixed instance_id finds none of its state after a restart.",
    ),
    Code("P111", "flush on start", "cache.flush_on_start runs FLUSHDB on the whole Redis database."),
    Code(
        "P112",
        "Bybit symbol suffix",
        "The Bybit adapter matches position_mode keys by the exact symbol (ETHUSDT-LINEAR), "
        "for linear and inverse products only, and silently ignores every other key.",
    ),
    Code(
        "P120",
        "data routing",
        "NautilusTrader routes a subscription by the instrument's venue; with no data client on that venue "
        "the strategy waits for data that never comes.",
    ),
    Code(
        "P121",
        "exec routing",
        "An order goes to the exec client of its instrument's venue; with none the order is rejected at submit.",
    ),
    Code(
        "P122",
        "product routing",
        "A client serves only its account's products (a -PERP on a Binance spot account, a LINEAR symbol on a "
        "Bybit client without LINEAR): the instrument is never found.",
    ),
    Code(
        "P123",
        "cross-environment URL",
        "A base_url or proxy_url of a testnet or demo host on a mainnet client (or the reverse) trades on "
        "another environment than the profile says, whatever its stage.",
    ),
    Code(
        "P124",
        "restart claims",
        "A strategy that does not claim its instruments (external_order_claims) manages none of their open "
        "orders after a restart without cache state: they come back as EXTERNAL.",
    ),
    Code(
        "P113",
        "paper is simulated",
        "A paper profile trades on live data with simulated fills; a real exec client would send real orders.",
    ),
    Code(
        "P114",
        "no simulated exec in production",
        "A sandbox exec client in production fills nothing at the venue: the node would trade on paper.",
    ),
    Code(
        "P115",
        "simulated venue has data",
        "A sandbox exec client fills against its venue's market data; with no data client for that venue "
        "its orders would never fill.",
    ),
    Code(
        "P116",
        "sandbox leverages",
        "NautilusTrader 1.231's sandbox exec client fails to build with per-instrument leverages "
        "(it passes text where it wants InstrumentId).",
    ),
    Code(
        "R001",
        "Redis unreachable",
        "NautilusTrader handed an unreachable Redis blocks at build, ignoring SIGTERM, retrying for hours.",
    ),
    Code(
        "R002",
        "Redis authentication",
        "A wrong or missing Redis password fails only after the node has started connecting.",
    ),
    Code(
        "R003",
        "directory not writable",
        "A log or catalog directory that cannot be written loses the audit trail or the data.",
    ),
    Code(
        "R004",
        "component not importable",
        "A strategy, actor or exec algorithm that does not import where the node runs, or is not of its kind, "
        "fails only when the trader starts.",
    ),
    Code(
        "R005",
        "component config rejected",
        "Its config class refuses the config: the component would never be created.",
    ),
    Code("R006", "node build failed", "NautilusTrader refused to build the node from the compiled config."),
    Code(
        "R101",
        "key rejected by the venue",
        "A testnet key on mainnet, a wrong secret or a revoked key (Binance -2015/-1022, Bybit 10003/10004) "
        "is otherwise found only after the node has started.",
    ),
    Code(
        "R102",
        "clock outside the receive window",
        "Venues reject signed requests stamped more than 1 s ahead or recv_window_ms behind their clock.",
    ),
    Code(
        "R103",
        "production key can withdraw",
        "A leaked trading key that can withdraw empties the account; a node never needs that permission.",
    ),
    Code(
        "R104",
        "key not bound to IP addresses",
        "A key usable from anywhere is worth stealing; bound to the node's addresses it is not.",
    ),
    Code(
        "R105",
        "account position mode",
        "A hedge-mode account under a netting node rejects its orders (Binance -1106, "
        "Bybit 'position idx not match position mode').",
    ),
    Code(
        "R106",
        "multi-assets margin",
        "In Binance multi-assets mode margin is shared across assets: a reported, deliberate choice.",
    ),
    Code(
        "R107",
        "key cannot trade",
        "A read-only key on an exec client connects, then has every order rejected.",
    ),
    Code("R108", "key expires soon", "A key that expires mid-run stops the node trading without warning."),
    Code(
        "R109",
        "venue did not answer",
        "An unreachable or silent venue (wrong base_url_http, firewall, outage) is a node that cannot trade.",
    ),
    Code(
        "R110",
        "not asked online",
        "ntprofile cannot ask this adapter's venue, or one of its questions (Binance key restrictions behind a "
        "futures proxy URL); what it did not ask is unverified.",
    ),
    Code(
        "D001",
        "in-cluster Redis port",
        "A target on the rendered Redis with a literal port other than 6379 would connect to nothing.",
    ),
    Code(
        "D002",
        "one Redis password",
        "The nodes on one in-cluster Redis must read its password from one variable, or some cannot authenticate.",
    ),
    Code(
        "D003",
        "deployment name",
        "Target, file and secret names become Kubernetes and Compose names; two that become one would overwrite "
        "each other.",
    ),
    Code(
        "D004",
        "pinned image",
        "A production node on 'latest' (or no tag) runs whatever was pushed last, not the image that was reviewed.",
    ),
    Code(
        "D005",
        "writable directory",
        "A directory the node writes into that its container cannot write fails the node's preflight on every start.",
    ),
    Code(
        "M001",
        "no equivalent in the target release",
        "A setting the target NautilusTrader release has no field for would be refused or silently lost: migrate "
        "removes it and says what to do instead.",
    ),
    Code(
        "M002",
        "value needs review",
        "A renamed key whose value the target release spells or counts differently (an enum member it lacks, a "
        "placeholder, settings split across layers) cannot be translated blindly.",
    ),
]

CODES: dict[str, Code] = {c.code: c for c in sorted(_CODES, key=lambda c: (list(FAMILIES).index(c.code[0]), c.code))}
"""Every code, family by family in ``FAMILIES`` order, then by number."""
