"""``load_demo_data``, ``demo_curl`` and ``generate_scale_data``."""
