"""Answering the app's paths before a host's own routes (``SERVE_BEFORE_HOST_ROUTES``), and finding shadowed routes.

``host_urls`` is the root URLconf the plugin settings hook installs; ``merge`` builds its
patterns; ``shadows`` finds, for the system checks, the app routes a host's routes hide.
"""

HOST_URLS = "openedx_learner_apis.routing.host_urls"
APP_URLS = "openedx_learner_apis.urls"
