"""/openapi.json: a valid OpenAPI 3.1 document that describes every route the app serves."""
from __future__ import annotations

import re

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from server.api.openapi import build_spec, undocumented_routes


def test_document_is_valid_openapi_3_1(client):
    response = client.get("/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.1")
    validate(spec)  # raises on an invalid document


def test_validator_rejects_a_broken_document(app):
    spec = build_spec(app)
    spec["paths"]["/v1/chain"]["get"]["responses"] = {"200": {"content": {}}}  # no description
    try:
        validate(spec)
    except OpenAPIValidationError:
        return
    raise AssertionError("the validator accepted a response without a description")


def test_editing_a_built_document_never_changes_the_next_one(app):
    spec = build_spec(app)
    spec["paths"]["/v1/chain"]["get"]["responses"] = {}
    spec["components"]["schemas"]["Error"]["required"] = []
    again = build_spec(app)
    assert "401" in again["paths"]["/v1/chain"]["get"]["responses"]
    assert again["components"]["schemas"]["Error"]["required"] == ["error", "message"]


def test_every_served_route_is_documented(app):
    assert undocumented_routes(app) == []


def test_undocumented_routes_notices_a_new_route(app):
    from flask import Blueprint

    extra = Blueprint("extra_for_test", __name__)
    extra.add_url_rule("/v1/extra/<item_id>", "extra", lambda item_id: "", methods=["GET", "POST"])
    app.register_blueprint(extra)
    assert sorted(undocumented_routes(app)) == ["GET /v1/extra/{item_id}", "POST /v1/extra/{item_id}"]


def test_every_documented_route_is_served(app):
    served = {(re.sub(r"<(?:[a-z_]+:)?([a-z_]+)>", r"{\1}", rule.rule), method.lower())
              for rule in app.url_map.iter_rules() for method in rule.methods}
    for path, operations in build_spec(app)["paths"].items():
        for method in operations:
            if method in ("get", "post", "put", "patch", "delete"):
                assert (path, method) in served, f"{method.upper()} {path} is documented but not served"


def test_public_routes_are_marked_public(app):
    paths = build_spec(app)["paths"]
    for path, method in (("/v1/pair", "post"), ("/v1/keys", "get"), ("/healthz", "get"), ("/openapi.json", "get")):
        assert paths[path][method].get("security") == [], path
    assert build_spec(app)["security"] == [{"bearer": []}]


def test_every_write_documents_the_full_disk_answer(client):
    """A write can meet a full disk: 507 storage_full is in every POST/PUT/PATCH's responses."""
    spec = client.get("/openapi.json").get_json()
    writes = [(path, method, op) for path, ops in spec["paths"].items() for method, op in ops.items()
              if method in ("post", "put", "patch")]
    assert writes
    assert [(path, method) for path, method, op in writes if "507" not in op["responses"]] == []
    # Reads store nothing, except the packs they build in scratch files first.
    building = {"/v1/disputes/{dispute_id}/pack", "/v1/export"}
    reads = {path for path, ops in spec["paths"].items() for method, op in ops.items()
             if method == "get" and "507" in op["responses"]}
    assert reads == building
