"""Mirroring of a host's openedx-events into the applets.

Imported only when the ``openedx-events`` package is installed (``apps.py`` checks first);
the rest of the app never imports it.
"""
