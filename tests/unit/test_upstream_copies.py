"""The repository keeps its own copies of the upstream contract, labelled pages and scoring tool
(docs/contract/, tests/fixtures/pages/, docs/tools/), so a clone with nothing beside it runs every
test. When the upstream folder ``../shared`` is present, its files must match ours byte for byte:
a contract or label change upstream is then noticed here instead of silently ignored."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UPSTREAM = ROOT.parent / "shared"
COPIES = {
    "contract": ROOT / "docs" / "contract",
    "fixtures/pages": ROOT / "tests" / "fixtures" / "pages",
    "tools": ROOT / "docs" / "tools",
}


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_copies_are_in_the_repository():
    for name, folder in COPIES.items():
        assert folder.is_dir(), f"{folder} (copy of upstream {name}) is missing"
    assert (COPIES["contract"] / "page-facts.schema.json").is_file()
    assert (COPIES["fixtures/pages"] / "index.json").is_file()
    assert (COPIES["tools"] / "eval_extract.py").is_file()
    # The scoring tool finds the schema beside it, as upstream lays it out (tools/../contract).
    assert (COPIES["tools"].parent / "contract" / "page-facts.schema.json").is_file()


def test_legal_references_match_upstream_when_present():
    ours = ROOT / "docs" / "LEGAL.md"
    assert ours.is_file(), "docs/LEGAL.md (the law and channels letters cite) is missing"
    upstream = UPSTREAM / "LEGAL.md"
    if upstream.is_file():
        assert ours.read_bytes() == upstream.read_bytes(), "docs/LEGAL.md differs from ../shared/LEGAL.md"


@pytest.mark.parametrize("name", sorted(COPIES))
def test_copies_match_upstream_when_it_is_present(name):
    upstream = UPSTREAM / name
    if not upstream.is_dir():
        # A clone on its own: nothing to compare with, and the copies are what the tests use.
        return
    ours, theirs = _files(COPIES[name]), _files(upstream)
    missing = sorted(set(theirs) - set(ours))
    extra = sorted(set(ours) - set(theirs))
    changed = sorted(f for f in set(ours) & set(theirs) if ours[f] != theirs[f])
    assert not (missing or extra or changed), (
        f"the repository's copy of ../shared/{name} differs from upstream: missing {missing}, "
        f"not upstream {extra}, changed {changed}; copy the upstream files in and adapt the code to them")
