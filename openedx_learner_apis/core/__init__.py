"""What every layer shares: keys, user lookup, cache generations, absolute URLs, HTML sanitizing.

Nothing here imports an applet, a feature or the REST layer; applets pass core what it needs
from them (see :func:`.config_rows.forget_current_rows_on_commit`).
"""
