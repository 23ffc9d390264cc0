"""Certificates API v0: a learner's certificates, one or all (seed 003, spec/certificates.md)."""
