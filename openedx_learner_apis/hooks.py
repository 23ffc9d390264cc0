"""Default providers for subsystems this app does not own.

A host replaces them with ``OPENEDX_LEARNER_APIS["HOOKS"] = "dotted.path.MyHooks"``,
usually a subclass of ``DefaultHooks``. Defaults never write to the database.
"""

from __future__ import annotations


class DefaultHooks:
    """Sane standalone answers; each method documents its contract."""
