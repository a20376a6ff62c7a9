"""Stage 3, ``validate``: ``Merged`` profiles in, ``Diagnostic``s out; never imports NautilusTrader.

``schema`` checks each file and each merged target against the committed JSON
Schema, ``secrets`` the secrets rules per file, ``policy`` the trading-safety
rules per target, ``run`` ties them together for a whole profiles root (the
pre-commit path).
"""

from ntprofile.validate.run import Validation, validate_paths, validate_target

__all__ = ["Validation", "validate_paths", "validate_target"]
