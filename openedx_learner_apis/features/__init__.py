"""The use cases: what one endpoint computes, put together from the applets' public functions.

A feature takes plain values (the user, the time zone, a course key, a URL root...), never an
HTTP request or response, and raises typed exceptions that the REST layer maps to its error
shape. Applets keep the data and the single-topic rules; features combine them for one use.
"""
