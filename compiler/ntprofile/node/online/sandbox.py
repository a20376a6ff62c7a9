"""Sandbox: a simulated exec client; there is no venue to ask (its data client's venue is checked as itself)."""

ADAPTER = "sandbox"

check = None
