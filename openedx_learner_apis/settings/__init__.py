"""Settings hooks for Open edX plugin discovery (``plugin_settings(settings)``)."""
