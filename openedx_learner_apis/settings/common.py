"""Defaults an Open edX host gets through plugin discovery, and the route precedence switch."""

from ..routing import HOST_URLS


def plugin_settings(settings):
    """Make sure the apps we depend on are installed and our settings dict exists."""
    for app in ("rest_framework", "waffle"):
        if app not in settings.INSTALLED_APPS:
            settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, app]
    if not hasattr(settings, "OPENEDX_LEARNER_APIS"):
        settings.OPENEDX_LEARNER_APIS = {}
    apply_route_precedence(settings)


def apply_route_precedence(settings):
    """With ``SERVE_BEFORE_HOST_ROUTES`` on, wrap the host's root URLconf in ``routing.host_urls``.

    The host's own ``ROOT_URLCONF`` is kept in ``OPENEDX_LEARNER_APIS["HOST_URLCONF"]`` (unless
    the operator named it there). Running twice (the common and the production hooks) changes
    nothing more. The hook sees only settings defined before it runs: a value set after the
    host's ``add_plugins`` call is reported by the check ``openedx_learner_apis.E013``.
    """
    options = getattr(settings, "OPENEDX_LEARNER_APIS", None) or {}
    root = getattr(settings, "ROOT_URLCONF", None)
    if not options.get("SERVE_BEFORE_HOST_ROUTES") or not root or root == HOST_URLS:
        return
    settings.OPENEDX_LEARNER_APIS = {**options, "HOST_URLCONF": options.get("HOST_URLCONF") or root}
    settings.ROOT_URLCONF = HOST_URLS
