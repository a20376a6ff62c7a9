"""The profile language itself: its vocabulary, placeholders, secret keys and value constraints.

Pure Python, imported by every stage; nothing here imports NautilusTrader.
"""
