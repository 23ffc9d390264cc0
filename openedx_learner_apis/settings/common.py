"""Defaults an Open edX host gets through plugin discovery."""


def plugin_settings(settings):
    """Make sure the apps we depend on are installed and our settings dict exists."""
    for app in ("rest_framework", "waffle"):
        if app not in settings.INSTALLED_APPS:
            settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, app]
    if not hasattr(settings, "OPENEDX_LEARNER_APIS"):
        settings.OPENEDX_LEARNER_APIS = {}
