"""Fixtures of the hosted-service tests: the loopback TSA and an app stamping with it (``tsa``,
``tsa_app``) come from tests/conftest.py, shared with the trusted-evidence tests."""
