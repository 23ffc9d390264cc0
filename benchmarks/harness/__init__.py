"""The performance harness behind ``make bench``: bench host settings, gunicorn config, data, load, report."""
