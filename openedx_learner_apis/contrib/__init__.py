"""Optional integrations, each imported only when its package is installed.

``oauth2``: bearer authentication with django-oauth-toolkit access tokens (``[oauth2]`` extra).
``openedx_events``: receivers mirroring a host's openedx-events into the applets (``[events]`` extra).
"""
