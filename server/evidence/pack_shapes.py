"""The shapes the offline verifier reads from a pack's JSON files, checked before it reads them.

Without ``--key`` a pack is checked against the key it carries, so whoever made the pack signed its
manifest: a valid signature says nothing about the types inside. Every value ``verify.py`` reads
from manifest.json, dispute.json and account.json is typed here (JSON Schema, Draft 2020-12), so a
forged shape is refused as "not valid", naming the file and the field, before any code relies on
it. Fields the verifier does not read are left open (the exporter may add more).
"""
from __future__ import annotations

from functools import cache

from jsonschema import Draft202012Validator

_STR = {"type": "string"}
_INT = {"type": "integer"}
_OPT_STR = {"type": ["string", "null"]}
_RECEIPT = {"type": "object", "required": ["payload", "signature", "key_id"],
            "properties": {"payload": _STR, "signature": _STR, "key_id": _STR}}
_OPT_RECEIPT = {"anyOf": [_RECEIPT, {"type": "null"}]}
_SIGHTING = {"type": "object", "properties": {
    "snapshot_id": _OPT_STR, "url": _OPT_STR, "received_at": _OPT_STR, "chain_index": {"type": ["integer", "null"]},
    "chain_hash": _OPT_STR, "receipt": _OPT_RECEIPT, "source": _OPT_STR, "fetch": {"type": ["object", "null"]}}}
_ITEM = {"type": "object", "required": ["id", "path", "sha256", "chain_index", "receipt"], "properties": {
    "id": _STR, "no": {"type": ["integer", "null"]}, "type": _OPT_STR, "path": _STR, "sha256": _STR, "url": _OPT_STR,
    "screenshot_path": _OPT_STR, "screenshot_sha256": _OPT_STR, "received_at": _OPT_STR, "chain_index": _INT,
    "chain_hash": _OPT_STR, "receipt": _RECEIPT, "source": _OPT_STR, "fetch": {"type": ["object", "null"]},
    "sightings": {"type": ["array", "null"], "items": _SIGHTING}}}
_LINK = {"type": "object", "required": ["index", "id", "sha256", "received_at", "prev_hash", "chain_hash"],
         "properties": {"index": _INT, "id": _STR, "sha256": _STR, "received_at": _STR, "prev_hash": _STR,
                        "chain_hash": _STR}}
_TOKEN = {"type": "object", "required": ["path", "chain_path"], "properties": {"path": _STR, "chain_path": _STR}}
_STAMP = {"type": "object", "required": ["chain_index", "chain_hash"], "properties": {
    "chain_index": _INT, "chain_hash": _STR, "tokens": {"type": ["array", "null"], "items": _TOKEN}}}

MANIFEST_SHAPE = {
    "type": "object",
    "required": ["format", "version", "key_id", "files", "items", "chain", "item_count", "chain_range", "timestamps"],
    "properties": {
        "format": _STR, "version": _INT, "key_id": _STR, "kind": _OPT_STR, "user": _OPT_STR,
        "dispute_id": _OPT_STR, "export_id": _OPT_STR,
        "public_key": {"type": ["object", "null"], "properties": {"public_key": _OPT_STR}},
        "files": {"type": "array", "items": {"type": "object", "required": ["path", "sha256", "size"], "properties": {
            "path": _STR, "sha256": _STR, "size": {"type": "integer", "minimum": 0}}}},
        "items": {"type": "array", "items": _ITEM},
        "chain": {"type": "array", "items": _LINK},
        "item_count": {"type": "integer", "minimum": 0},
        "chain_range": {"type": ["object", "null"], "properties": {
            "first": {"type": ["integer", "null"]}, "last": {"type": ["integer", "null"]},
            "count": {"type": ["integer", "null"]}}},
        "timestamps": {"type": ["object", "null"], "properties": {
            "configured": {"type": ["boolean", "null"]}, "stamps": {"type": ["array", "null"], "items": _STAMP},
            "unstamped": {"type": ["array", "null"], "items": _STR}}},
    },
}
_EVIDENCE = {"type": ["array", "null"], "items": {"type": "object", "required": ["id"], "properties": {"id": _STR}}}
DISPUTE_SHAPE = {"type": "object", "properties": {"id": _OPT_STR, "evidence": _EVIDENCE}}
ACCOUNT_SHAPE = {"type": "object", "properties": {
    "id": _OPT_STR, "user": _OPT_STR, "evidence": _EVIDENCE,
    "disputes": {"type": ["array", "null"], "items": {"type": "object", "required": ["path", "id"],
                                                     "properties": {"path": _STR, "id": _STR}}}}}


@cache
def _validator(name: str) -> Draft202012Validator:
    return Draft202012Validator({"manifest": MANIFEST_SHAPE, "dispute": DISPUTE_SHAPE, "account": ACCOUNT_SHAPE}[name])


def shape_problem(name: str, document) -> str | None:
    """None when ``document`` has the shape ``name`` (manifest, dispute, account) needs; else the
    first problem, naming the field by its path (``items/0/receipt``)."""
    errors = sorted(_validator(name).iter_errors(document), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    if not errors:
        return None
    error = errors[0]
    where = "/".join(str(step) for step in error.absolute_path) or "(the whole file)"
    wanted = error.validator_value if error.validator == "type" else None
    if error.validator == "required":
        return f"field {where}: {error.message}"
    if wanted is not None:
        kinds = " or ".join(wanted) if isinstance(wanted, list) else wanted
        return f"field {where} must be {kinds}"
    return f"field {where}: {error.message[:120]}"
