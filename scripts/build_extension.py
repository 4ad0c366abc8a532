#!/usr/bin/env python3
"""Write the extension's store packages, one per browser, and the store material beside them.

    python3 scripts/build_extension.py [--out dist]

- ``kadun-<version>-chrome.zip``: for the Chrome Web Store and Microsoft Edge Add-ons. Its
  manifest has no Firefox-only keys (``browser_specific_settings``, ``background.scripts``,
  ``background.preferred_environment``): Chrome runs the service worker.
- ``kadun-<version>-firefox.zip``: for addons.mozilla.org (AMO signs it; that is the publisher's
  step). Its manifest has no Chrome-only keys (``minimum_chrome_version``,
  ``background.service_worker``): Firefox runs ``background.scripts`` as a background page.
- ``store/``: the listing text (``listing.md``) and the privacy policy page (``privacy.html``, the
  same file the backend serves at ``GET /privacy``).

The source folder ``extension/`` stays loadable as it is in both browsers (it carries both sets of
keys). The zips are reproducible: sorted entries, fixed timestamps, no hidden files.
"""
from __future__ import annotations

import argparse
import copy
import json
import shutil
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = ROOT / "extension"
PRIVACY = ROOT / "server" / "api" / "privacy.html"
LISTING = ROOT / "docs" / "store" / "listing.md"
FIXED_TIME = (2026, 1, 1, 0, 0, 0)


def manifest_for(manifest: dict, browser: str) -> dict:
    """The source manifest with the other browser's keys taken out."""
    out = copy.deepcopy(manifest)
    background = out.setdefault("background", {})
    background.pop("preferred_environment", None)
    if browser == "chrome":
        out.pop("browser_specific_settings", None)
        background.pop("scripts", None)
    elif browser == "firefox":
        out.pop("minimum_chrome_version", None)
        background.pop("service_worker", None)
    else:
        raise ValueError(f"unknown browser {browser!r}")
    return out


def package_files(source: Path = EXTENSION) -> list[Path]:
    """Every file the extension ships, sorted (hidden files and editor leftovers left out)."""
    files = []
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts) and not path.name.endswith("~"):
            files.append(relative)
    return files


def write_zip(target: Path, manifest: dict, source: Path = EXTENSION) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for relative in package_files(source):
            info = zipfile.ZipInfo(relative.as_posix(), date_time=FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            if relative.as_posix() == "manifest.json":
                data = (json.dumps(manifest, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
            else:
                data = (source / relative).read_bytes()
            archive.writestr(info, data)
    return target


def build(out: Path) -> dict[str, Path]:
    """Write both zips and the store material into ``out``; return what was written."""
    manifest = json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))
    version = manifest["version"]
    written = {}
    for browser in ("chrome", "firefox"):
        written[browser] = write_zip(out / f"kadun-{version}-{browser}.zip", manifest_for(manifest, browser))
    store = out / "store"
    store.mkdir(parents=True, exist_ok=True)
    for source in (PRIVACY, LISTING):
        written[source.name] = Path(shutil.copyfile(source, store / source.name))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    args = parser.parse_args(argv)
    try:
        written = build(args.out)
    except (OSError, ValueError, KeyError, json.JSONDecodeError) as error:
        print(f"build_extension: {error}", file=sys.stderr)
        return 1
    for name, path in written.items():
        print(f"{name}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
