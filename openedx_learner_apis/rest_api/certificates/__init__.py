"""Certificates API v0: a learner's certificates, one or all (see ``docs/certificates.rst``)."""
