"""Operator tools over merged profiles: ``explain`` (provenance), ``diff``, ``variables`` (env), ``render``.

They read ``Merged`` values and never compile; ``render`` is the one text and
JSON renderer they share.
"""
