"""In hosted mode /openapi.json stays a valid OpenAPI 3.1 document that describes every route,
the account pages and the extension's token exchange included."""
from __future__ import annotations

from openapi_spec_validator import validate

from server.api.openapi import undocumented_routes


def test_hosted_document_is_valid_and_complete(hosted_app):
    response = hosted_app.test_client().get("/openapi.json", base_url="https://localhost")
    assert response.status_code == 200
    spec = response.get_json()
    validate(spec)
    assert undocumented_routes(hosted_app) == []
    assert spec["paths"]["/v1/account/token"]["post"]["security"] == []
    assert "/account/signin" in spec["paths"]


def test_local_document_has_no_account_routes(app):
    spec = app.test_client().get("/openapi.json").get_json()
    assert not [path for path in spec["paths"] if path.startswith("/account") or path == "/v1/account/token"]
