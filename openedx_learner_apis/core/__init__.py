"""What every layer shares: keys, user lookup, cache generations, absolute URLs, HTML sanitizing.

Nothing here imports an applet, a feature or the REST layer; applets register what core
needs from them (see :func:`.config_snapshots.register_config_snapshot`).
"""
