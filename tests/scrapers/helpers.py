"""Shared pieces of the scraper tests: the labelled pages and the eval tool's own normalisers."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "pages"
OWN_PAGES = Path(__file__).resolve().parent / "pages"
EVAL_TOOL = ROOT / "docs" / "tools" / "eval_extract.py"
SCHEMA = ROOT / "docs" / "contract" / "page-facts.schema.json"


def eval_tool():
    """The shared scoring script as a module (same normalisation and scoring as the CLI run)."""
    spec = importlib.util.spec_from_file_location("eval_extract", EVAL_TOOL)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def labelled_pages(folder: Path, *, exact_only: bool = False) -> list[tuple[str, Path, str, dict]]:
    """(id, html path, url, expected facts) for every page listed in ``folder``/index.json;
    ``exact_only``: not those marked ``"exact": false`` (scored pages the scrapers do not yet read
    field for field; each names why in ``not_exact``)."""
    out = []
    for entry in json.loads((folder / "index.json").read_text(encoding="utf-8")):
        if exact_only and entry.get("exact") is False:
            continue
        html = folder / entry["file"]
        expected = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
        out.append((html.stem, html, entry["url"], expected))
    return out


def schema_validator():
    import jsonschema

    return jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))
