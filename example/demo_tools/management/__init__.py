"""The management commands of the demo tools (``commands/``)."""
