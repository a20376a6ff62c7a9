"""Sandbox on 2.0: ``SandboxExecutionClientConfig`` (exec only, simulated): paper trading against the
data client of ``venue``. 2.0's config requires ``venue`` and ``starting_balances`` and has no ``leverages``;
its ``fee_model`` must be given, although the config class defaults it."""

from ntprofile.adapters import ClientSpec, sandbox
from ntprofile.adapters.v2 import pkg

ADAPTER = sandbox.ADAPTER._replace(
    exec=ClientSpec(
        f"{pkg('sandbox')}:SandboxExecutionClientConfig",
        f"{pkg('sandbox')}:SandboxExecutionClientFactory",
        # the config defaults it to None, and LiveNode's build then refuses ("fee model required")
        requires=frozenset({"fee_model"}),
    ),
)
