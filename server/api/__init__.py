"""HTTP API: one blueprint per concern (see contract/api.md)."""
