"""``did you mean ...?`` suggestions for misspelt keys, names and enum values."""

from __future__ import annotations

from typing import Iterable

MIN_PREFIX = 3
"""A shorter word is no evidence for the choice it begins (``p`` for ``production``)."""


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """The hint text for the closest choice, or ``None`` when nothing is close."""
    match = closest(word, choices)
    return f"did you mean '{match}'?" if match is not None else None


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice ``word`` most likely means, or ``None`` when nothing is close.

    Close spellings first (``reconcilation`` -> ``reconciliation``), then the
    same word in another case (``usdt_futures`` -> ``USDT_FUTURES``), then an
    abbreviation that begins exactly one choice (``prod`` -> ``production``).
    """
    import difflib  # only when something is misspelt: the clean pre-commit run never needs it

    choices = [str(c) for c in choices]
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    if match:
        return match[0]
    lowered = word.lower()
    same = [c for c in choices if c.lower() == lowered]
    if same:
        return same[0]
    if len(word) >= MIN_PREFIX:
        begun = [c for c in choices if c.lower().startswith(lowered)]
        if len(begun) == 1:
            return begun[0]
    return None
