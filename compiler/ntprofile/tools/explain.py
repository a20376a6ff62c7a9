"""The merged profile, leaf by leaf, with the line that set each value.

A reviewer of a production change asks "where does this value come from, and
what did it replace?". ``entries`` answers it from the provenance the layers
stage keeps; ``diff`` compares two lists of entries. NautilusTrader is imported
only by ``nautilus_defaults`` (``explain --defaults``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, Literal

from ntprofile.diagnostics import Position, key_path, where
from ntprofile.diagnostics.codes import CODES
from ntprofile.language.placeholders import PlaceholderError, names
from ntprofile.language.secrets import is_secret_key
from ntprofile.language.tree import Path_
from ntprofile.language import vocabulary
from ntprofile.language.vocabulary import COMPONENTS, PROFILE_ONLY, SECTIONS, TOGGLED_SECTIONS, import_class
from ntprofile.layers import Merged, Setting
from ntprofile.tools import render
from ntprofile.tools.variables import collect

Status = Literal["set", "default", "disabled"]


@dataclass(frozen=True, slots=True)
class Overridden:
    """An earlier assignment that a later layer replaced (``key`` may be an ancestor)."""

    value: Any
    pos: Position | None
    layer: str
    path: Path_


@dataclass(slots=True)
class Entry:
    """One leaf of a merged profile (or a disabled entry, or a NautilusTrader default).

    Parameters
    ----------
    path : tuple
        The key path; lists are leaves, they replace as a whole.
    value : Any
        The value in effect (for ``disabled``, the whole entry).
    status : {"set", "default", "disabled"}
        Set by a layer, a NautilusTrader default nothing set, or an entry
        dropped with ``enabled: false``.
    pos, layer : where and by which layer it was set (``None`` for defaults).
    overridden : list[Overridden]
        Earlier values it replaced, in merge order.
    secret : bool
        True when the key (or one above it) is secret: the value prints as ``***``.
    source : str or None
        For defaults, the NautilusTrader class that supplies it.

    """

    path: Path_
    value: Any
    status: Status = "set"
    pos: Position | None = None
    layer: str | None = None
    overridden: list[Overridden] = field(default_factory=list)
    secret: bool = False
    source: str | None = None

    @property
    def key(self) -> str:
        return key_path(self.path)

    def shown(self) -> str:
        return render.value_text(self.value, self.secret)

    def to_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "value": render.masked(self.value, self.secret),
            "status": self.status,
            **render.position_json(self.pos),
            "layer": self.layer,
            "secret": self.secret,
            "source": self.source,
            "overridden": [
                {
                    "key": key_path(o.path),
                    "value": render.masked(o.value, self.secret or _secret_path(o.path)),
                    **render.position_json(o.pos),
                    "layer": o.layer,
                }
                for o in self.overridden
            ],
        }


def _secret_path(path: Path_) -> bool:
    """Secret when any key on the path is: masking too much is safe, too little is not."""
    return any(is_secret_key(p) for p in path if isinstance(p, str))


def _disabled(path: Path_, value: Any) -> bool:
    return (
        len(path) == 2
        and path[0] in TOGGLED_SECTIONS
        and isinstance(value, dict)
        and value.get("enabled", True) is False
    )


def entries(merged: Merged) -> list[Entry]:
    """Every leaf of the merged profile with its provenance, in profile order.

    A leaf is secret when its key is, and also when it uses a variable that
    some secret field uses (``host: ${REDIS_PASSWORD}`` shows as ``***``).
    """
    out: list[Entry] = []
    secret_names = frozenset(v.name for v in collect(merged) if v.secret)
    _walk(merged, merged.tree, (), out, secret_names)
    return out


def _uses_secret(value: Any, secret_names: frozenset[str]) -> bool:
    if not secret_names or not isinstance(value, str) or "$" not in value:
        return False
    try:
        return any(ref.name in secret_names for ref in names(value))
    except PlaceholderError:
        return False


def _walk(merged: Merged, tree: Any, path: Path_, out: list[Entry], secret_names: frozenset[str]) -> None:
    if isinstance(tree, dict) and tree:
        for key, value in tree.items():
            here = path + (key,)
            if _disabled(here, value):
                enabled = here + ("enabled",)
                settings = merged.provenance.get(enabled, [])
                pos = settings[-1].pos if settings else merged.origin(here)
                layer = settings[-1].layer if settings else None
                out.append(Entry(here, value, "disabled", pos, layer, secret=_secret_path(here)))
                continue
            _walk(merged, value, here, out, secret_names)
        return
    if not path:
        return
    settings = merged.provenance.get(path, [])
    last: Setting | None = settings[-1] if settings else None
    over = [Overridden(s.value, s.pos, s.layer, path) for s in settings[:-1]]
    for depth in range(len(path) - 1, 0, -1):  # a mapping that replaced a scalar above this leaf
        above = path[:depth]
        for s in merged.provenance.get(above, [])[:-1]:
            if not isinstance(s.value, dict):
                over.append(Overridden(s.value, s.pos, s.layer, above))
    out.append(
        Entry(
            path,
            tree,
            "set",
            last.pos if last else merged.origin(path),
            last.layer if last else None,
            over,
            _secret_path(path) or _uses_secret(tree, secret_names),
        )
    )


def waivers(merged: Merged) -> list[dict[str, Any]]:
    """The policy rules this profile waives: code, title, reason and where it is waived."""
    profile = merged.tree.get("profile")
    table = profile.get("waivers") if isinstance(profile, dict) else None
    if not isinstance(table, dict):
        return []
    out = []
    for code, reason in table.items():
        known = CODES.get(str(code))
        out.append(
            {
                "code": code,
                "title": known.title if known else None,
                "reason": reason,
                "pos": merged.origin(("profile", "waivers", code)),
            }
        )
    return out


# ----------------------------------------------------------------- defaults


def nautilus_defaults(merged: Merged) -> list[Entry]:
    """NautilusTrader's defaults for every field the profile leaves unset.

    Taken from the config classes themselves (``msgspec.structs.fields``), so a
    NautilusTrader upgrade shows its new defaults with no change here. A section
    is covered when the profile has it, or when ``TradingNodeConfig`` builds it
    by default (the engines).
    """
    import msgspec
    import nautilus_trader.config as nt

    node_defaults = {f.name: f.default for f in msgspec.structs.fields(nt.TradingNodeConfig)}
    out: list[Entry] = []
    tree = merged.tree

    def add(path: Path_, cls: type, section: Any, skip: set[str] = frozenset()) -> None:
        for f in msgspec.structs.fields(cls):
            if f.name in skip or (isinstance(section, dict) and f.name in section):
                continue
            if f.default is msgspec.NODEFAULT:
                default = f.default_factory() if f.default_factory is not msgspec.NODEFAULT else None
            else:
                default = f.default
            try:
                value = msgspec.to_builtins(default)
            except (TypeError, msgspec.EncodeError):
                value = str(default)  # Venue('BINANCE') -> "BINANCE", the spelling a profile uses
            here = path + (f.name,)
            out.append(Entry(here, value, "default", secret=_secret_path(here), source=cls.__name__))

    sections = set(SECTIONS) | set(PROFILE_ONLY) | set(COMPONENTS) | {vocabulary.CATALOGS[0]}
    node = tree.get("node")
    add(
        ("node",),
        nt.TradingNodeConfig,
        node,
        skip=sections
        | {k for k, v in node_defaults.items() if _is_struct(v)}
        | {"data_clients", "exec_clients", "controller"},
    )
    for section, path in SECTIONS.items():
        value = tree.get(section)
        if isinstance(value, dict) or (section not in tree and node_defaults.get(section) is not None):
            add((section,), import_class(path), value, skip={"database"} if section == "cache" else set())
    cache = tree.get("cache")
    if isinstance(cache, dict) and isinstance(cache.get("database"), dict):
        add(("cache", "database"), nt.DatabaseConfig, cache["database"])
    _exchange_defaults(tree, add)
    return out


def with_defaults(items: list[Entry], defaults: list[Entry]) -> list[Entry]:
    """Set entries and defaults together, each group's defaults right after its own values.

    A group is a top-level section, or one entry of ``exchanges``, ``strategies``, ...
    (so ``exchanges.BINANCE``'s defaults come before ``exchanges.BYBIT``).
    """

    def group(e: Entry) -> Path_:
        return e.path[:2] if e.path[0] in TOGGLED_SECTIONS else e.path[:1]

    rank: dict[Path_, int] = {}
    for e in items + defaults:
        rank.setdefault(group(e), len(rank))
    return sorted(items + defaults, key=lambda e: (rank[group(e)], e.status == "default"))


def _is_struct(value: Any) -> bool:
    return hasattr(value, "__struct_fields__")


def schema_defaults(merged: Merged, schema: dict[str, Any]) -> list[Entry]:
    """The defaults a release's schema states for every field the profile leaves unset.

    For a release whose config classes have no Python schema of their own (2.0's
    PyO3 classes), the generated schema carries the defaults read from the classes
    themselves; it covers the same sections ``nautilus_defaults`` does.
    """
    from ntprofile.adapters import adapter_of
    from ntprofile.releases import active

    defs = schema.get("$defs", {})
    tree = merged.tree
    out: list[Entry] = []

    def add(path: Path_, name: str, section: Any, skip: set[str] = frozenset()) -> None:
        for key, prop in defs.get(name, {}).get("properties", {}).items():
            if key in skip or (isinstance(section, dict) and key in section) or not isinstance(prop, dict):
                continue
            if "default" in prop:
                here = path + (key,)
                out.append(Entry(here, prop["default"], "default", secret=_secret_path(here), source=name))

    add(("node",), "node", tree.get("node"))
    for section, path in SECTIONS.items():
        value = tree.get(section)
        if isinstance(value, dict):
            add((section,), vocabulary.class_name(path), value, skip={"database"} if section == "cache" else set())
    cache = tree.get("cache")
    if isinstance(cache, dict) and isinstance(cache.get("database"), dict):
        add(("cache", "database"), vocabulary.class_name(active().redis_class), cache["database"])
    for client_id, section in (tree.get("exchanges") or {}).items():
        if not isinstance(section, dict) or section.get("enabled", True) is False:
            continue
        adapter = adapter_of(client_id, section)
        for part in adapter.kinds if adapter is not None else ():
            own = section.get(part)
            if own is not False:
                skip = {k for k in section if k not in ("data", "exec")} | {adapter.environment_field}
                add(("exchanges", client_id, part), f"{adapter.name}.{part}", own if isinstance(own, dict) else {}, skip)
    return out


def _exchange_defaults(tree: dict[str, Any], add) -> None:
    """Adapter client fields no layer sets, under ``exchanges.ID.data`` / ``.exec``."""
    from ntprofile.adapters import adapter_of

    exchanges = tree.get("exchanges")
    if not isinstance(exchanges, dict):
        return
    for client_id, section in exchanges.items():
        if not isinstance(section, dict) or section.get("enabled", True) is False:
            continue
        adapter = adapter_of(client_id, section)
        if adapter is None:
            continue
        for part in adapter.kinds:
            own = section.get(part)
            if own is False:
                continue
            cls = import_class(adapter.client(part).config)  # type: ignore[union-attr]
            skip = {k for k in section if k not in ("data", "exec")} | {adapter.environment_field}
            add(("exchanges", client_id, part), cls, own if isinstance(own, dict) else {}, skip=skip)


# ------------------------------------------------------------------ narrowing


def narrow(items: list[Entry], key: str) -> list[Entry]:
    """The entries at ``key`` or below it (``cache.database`` keeps ``cache.database.host``)."""
    return [e for e in items if e.key == key or e.key.startswith(key + ".") or e.key.startswith(key + "[")]


def known_keys(items: list[Entry]) -> set[str]:
    """Every key and every ancestor key of the entries (what ``KEY`` may name)."""
    keys: set[str] = set()
    for e in items:
        for depth in range(1, len(e.path) + 1):
            keys.add(key_path(e.path[:depth]))
    return keys


# ------------------------------------------------------------------ rendering


def render_text(merged: Merged, items: list[Entry], paint: render.Painter) -> str:
    """``key = value  file:line (was V from file:line)``, one leaf a line, after a header.

    A mapping that replaced a scalar (``cache.database: null`` in ``base``, a
    Redis mapping in ``env/production``) gets one line of its own, before its
    first leaf, instead of the same note on every leaf below it.
    """
    chain = " -> ".join(merged.layer_names)
    lines = [paint(f"# {merged.name} (stage {merged.stage or '?'}): {chain}", "dim")]
    for w in waivers(merged):
        title = f" ({w['title']})" if w["title"] else ""
        lines.append(paint(f"# waived {w['code']}{title}: {w['reason']}  {where(w['pos'])}", "yellow"))
    rows: list[list[str]] = []
    statuses: list[str] = []
    announced: set[Path_] = set()
    for e in items:
        if e.status == "disabled":
            rows.append([f"{e.key} = disabled", f"{where(e.pos)} (enabled: false)"])
        elif e.status == "default":
            rows.append([f"{e.key} = {e.shown()}", f"default ({e.source})"])
        else:
            above = [o for o in e.overridden if o.path != e.path]
            for path in dict.fromkeys(o.path for o in above):
                if path not in announced:
                    announced.add(path)
                    notes = _was([o for o in above if o.path == path], e.secret)
                    rows.append([f"{key_path(path)} = {{...}}", f"{where(_replaced_at(merged, path))}{notes}"])
                    statuses.append("set")
            own = _was([o for o in e.overridden if o.path == e.path], e.secret)
            rows.append([f"{e.key} = {e.shown()}", f"{where(e.pos)}{own}"])
        statuses.append(e.status)
    body = _paint_rows(render.table(rows, max_width=64), statuses, paint)
    return "\n".join(lines + ([body] if body else []))


def _was(overridden: list[Overridden], secret: bool) -> str:
    """`` (was V from file:line; ...)`` for the values a layer replaced, or ``""``."""
    notes = [
        f"was {render.value_text(o.value, secret or _secret_path(o.path))} from {where(o.pos)}" for o in overridden
    ]
    return f" ({'; '.join(notes)})" if notes else ""


def _replaced_at(merged: Merged, path: Path_) -> Position | None:
    """Where the mapping now at ``path`` replaced the last non-mapping value before it."""
    settings = merged.provenance.get(path, [])
    for before, after in reversed(list(pairwise(settings))):
        if not isinstance(before.value, dict):
            return after.pos
    return merged.origin(path)


def _paint_rows(text: str, statuses: list[str], paint: render.Painter) -> str:
    if not paint.enabled:
        return text
    painted = []
    for line, status in zip(text.splitlines(), statuses):
        style = {"default": ("dim",), "disabled": ("yellow",)}.get(status, ())
        key, _, rest = line.partition(" = ")
        painted.append(paint(key, "cyan", *style) + " = " + paint(rest, *style))
    return "\n".join(painted)


def to_json(merged: Merged, items: list[Entry]) -> dict[str, Any]:
    """The JSON form: profile, stage, layer chain, waivers, entries."""
    return {
        "profile": merged.name,
        "stage": merged.stage,
        "layers": merged.layer_names,
        "waivers": [
            {"code": w["code"], "title": w["title"], "reason": w["reason"], **render.position_json(w["pos"])}
            for w in waivers(merged)
        ],
        "entries": [e.to_json() for e in items],
    }
