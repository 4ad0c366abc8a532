"""Captures that the backend makes itself: a shared link fetched (``fetch``) and stored through the
same ingest as an extension capture (``ingest``)."""
