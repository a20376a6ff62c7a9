"""Suggestions for misspelt keys, names and enum values."""

from ntprofile.diagnostics.hints import did_you_mean

STAGES = ["development", "testnet", "production"]


def test_close_spelling_is_suggested() -> None:
    assert did_you_mean("reconcilation", ["reconciliation", "reconciliation_lookback_mins"]) == (
        "did you mean 'reconciliation'?"
    )


def test_other_case_is_suggested() -> None:
    assert did_you_mean("usdt_futures", ["SPOT", "USDT_FUTURES", "COIN_FUTURES"]) == "did you mean 'USDT_FUTURES'?"


def test_abbreviation_of_one_choice_is_suggested() -> None:
    assert did_you_mean("prod", STAGES) == "did you mean 'production'?"
    assert did_you_mean("dev", STAGES) == "did you mean 'development'?"


def test_nothing_close_gives_no_hint() -> None:
    assert did_you_mean("pr", STAGES) is None  # too short to be evidence
    assert did_you_mean("live", STAGES) is None
    assert did_you_mean("max", ["max_order_submit_rate", "max_order_modify_rate"]) is None  # two choices begin so
