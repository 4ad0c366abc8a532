"""Request validation with the very schemas ``/openapi.json`` publishes (``schemas.py``).

``validate("SnapshotIn", body)`` checks a request body with jsonschema (Draft 2020-12, the dialect
of OpenAPI 3.1) and raises the contract's error for the first problem found, naming the field:
400 ``bad_request`` as a rule, 413/422 where ``schemas.ERRORS`` says so. Validators are built once
per process.
"""
from __future__ import annotations

import copy
import re
from functools import cache

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from ..errors import BadRequest, KadunError, TooLarge, Unprocessable
from .schemas import ERRORS, REQUEST_SCHEMAS, SCREENSHOT

_BY_STATUS = {400: BadRequest, 413: TooLarge, 422: Unprocessable}
# Which problem of several is reported: a missing field before a wrong one, then by kind.
_ORDER = {"required": 0, "type": 1, "anyOf": 2, "enum": 3, "maxLength": 4, "minLength": 5, "maxItems": 6,
          "minItems": 6, "pattern": 7}
_TYPE_WORDS = {"string": "a string", "null": "null", "object": "an object", "array": "a list",
               "number": "a number", "integer": "an integer", "boolean": "true or false"}


_ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_PNG_START = re.compile(r"iVBORw0KGg[o-r][A-Za-z0-9+/]")


def screenshot_matches(value: str) -> bool:
    """``re.search(schemas.SCREENSHOT, value)``, answered in a single pass over the string.

    The pattern (a data URL whose base64 starts with the PNG or JPEG signature and has a valid
    length) repeats a four-character group, which Python's re walks slowly: 13 ms for a 400 KB
    screenshot against about 1 ms here. tests/api/test_request_schemas.py checks both agree."""
    if value.endswith("\n"):  # Python's $ also matches before a final newline
        value = value[:-1]
    if value == "":
        return True
    for prefix in ("data:image/png;base64,", "data:image/jpeg;base64,"):
        if value.startswith(prefix):
            body = value[len(prefix):]
            break
    else:
        return False
    core = body.rstrip("=")
    # Whole quads, at most two "=" at the end, and nothing but the alphabet before them.
    if len(body) % 4 or len(body) - len(core) > 2 or not core.isascii():
        return False
    if core.encode("ascii").translate(None, _ALPHABET):  # (bytes.translate: one table pass in C)
        return False
    return body == "iVBORw0KGgo=" or body.startswith("/9j/") or bool(_PNG_START.match(body))


_FAST_PATTERNS = {SCREENSHOT: screenshot_matches}
_regex_pattern = Draft202012Validator.VALIDATORS["pattern"]


def _pattern(validator, pattern, instance, schema):
    """jsonschema's ``pattern`` keyword, with a one-pass matcher for the patterns that have one."""
    fast = _FAST_PATTERNS.get(pattern)
    if fast is None:
        yield from _regex_pattern(validator, pattern, instance, schema)
    elif validator.is_type(instance, "string") and not fast(instance):
        yield ValidationError(f"{instance[:80]!r} does not match the pattern")


_Validator = validators.extend(Draft202012Validator, {"pattern": _pattern})


@cache
def _registry() -> Registry:
    """The components document, so ``#/components/schemas/…`` references resolve as in the spec."""
    document = {"components": {"schemas": copy.deepcopy(REQUEST_SCHEMAS)}}
    return Registry().with_resource("urn:kadun:components", Resource(document, specification=DRAFT202012))


@cache
def validator(name: str):
    schema = {**copy.deepcopy(REQUEST_SCHEMAS[name]), "$id": f"urn:kadun:request:{name}"}
    _rebase(schema)
    return _Validator(schema, registry=_registry())


def _rebase(node) -> None:
    """Point local ``#/components/…`` references at the components document."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/"):
            node["$ref"] = "urn:kadun:components" + ref
        for value in node.values():
            _rebase(value)
    elif isinstance(node, list):
        for value in node:
            _rebase(value)


def validate(name: str, instance, *, field: str | None = None) -> None:
    """Raise the contract's error (naming the field) unless ``instance`` matches schema ``name``.

    ``field`` names a lone value checked against a value schema (a query parameter)."""
    errors = list(validator(name).iter_errors(instance))
    if errors:
        raise error_for(name, _deepest(min(errors, key=_rank)), field)


def _deepest(error: ValidationError) -> ValidationError:
    """For an ``anyOf`` failure, the problem inside the alternative the value was meant for (an
    object's currency, say), when exactly the alternatives of the value's own type complain."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return error
    depth = len(error.absolute_path)
    meant = [e for e in error.context
             if not (e.validator in ("type", "required") and len(e.absolute_path) == depth)]
    return _deepest(min(meant, key=_rank)) if meant else error


def _rank(error: ValidationError) -> tuple:
    return (len(error.absolute_path), _ORDER.get(error.validator, 9), list(map(str, error.absolute_path)))


def _path_of(error: ValidationError) -> str:
    """The dotted path of the offending field inside the instance ("" for the instance itself)."""
    path = [str(p) for p in error.absolute_path if not isinstance(p, int)]
    if error.validator == "required":
        missing = [p for p in error.validator_value if p not in (error.instance or {})]
        path.append(missing[0] if missing else "")
    return ".".join(p for p in path if p)


def error_for(name: str, error: ValidationError, prefix: str | None = None) -> KadunError:
    """The contract error for one validation error of schema ``name``."""
    path = _path_of(error)
    field = ".".join(p for p in (prefix, path) if p)
    rule = ERRORS.get((name, path, error.validator))
    if callable(rule):
        rule = rule(error.instance)
    if rule is not None:
        status, message, *named = rule
        return _BY_STATUS[status](message, field=(named[0] if named else field) or None)
    return BadRequest(_message(error, field), field=field or None)


def _message(error: ValidationError, field: str) -> str:
    what = f"field {field}" if field else "request body"
    schema = error.schema if isinstance(error.schema, dict) else {}
    hint = schema.get("description")
    kind = error.validator
    if kind == "required":
        return f"missing field: {field}"
    if kind == "type":
        wanted = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
        return f"{what} must be {' or '.join(_TYPE_WORDS.get(t, t) for t in wanted)}"
    if kind == "maxLength":
        return f"{what} is too long (at most {error.validator_value} characters)"
    if kind == "minLength":
        return f"{what} must not be empty"
    if kind == "enum":
        return f"{what} must be one of: {', '.join(str(v) for v in error.validator_value if v is not None)}"
    if kind in ("minItems", "maxItems"):
        return f"{what} must be {hint or 'a list of the right length'}"
    if kind in ("minimum", "maximum"):
        return f"{what} must be between 0 and {int(1e12)}"
    if kind in ("pattern", "format", "anyOf", "oneOf"):
        return f"{what} has the wrong format" + (f": expected {hint}" if hint else "")
    return f"{what} is not valid: {error.message[:200]}"
