"""Stage 4, ``compile``: ``Merged`` in, NautilusTrader's own ``TradingNodeConfig`` out.

``node_tree`` rearranges the profile into ``TradingNodeConfig``'s layout,
``fill`` puts placeholders' values (or stand-ins) in, ``nt_types`` reads field
types from NautilusTrader's structs, ``compiler`` decodes and assembles,
``output`` writes ``build/PROFILE/``.
"""

from ntprofile.compile.compiler import Compiled, compile_merged
from ntprofile.compile.node_tree import Client

__all__ = ["Client", "Compiled", "compile_merged"]
