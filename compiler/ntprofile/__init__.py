"""ntprofile: declarative profiles for NautilusTrader live trading nodes.

The public API is imported lazily so that ``import ntprofile`` stays cheap on
the validate path; ``nautilus_trader`` is imported only by the stages after
``validate``.
"""

from __future__ import annotations

__version__ = "0.1.0"
