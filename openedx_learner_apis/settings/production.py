"""Production settings: an operator's ``OPENEDX_LEARNER_APIS`` (e.g. from YAML) is used as given."""

from .common import apply_route_precedence, plugin_settings as common_plugin_settings


def plugin_settings(settings):
    common_plugin_settings(settings)
    env_tokens = getattr(settings, "ENV_TOKENS", {}) or {}
    if "OPENEDX_LEARNER_APIS" in env_tokens:
        settings.OPENEDX_LEARNER_APIS = {**settings.OPENEDX_LEARNER_APIS, **env_tokens["OPENEDX_LEARNER_APIS"]}
        apply_route_precedence(settings)
