"""The extension as the stores see it: `web-ext lint` clean, store-sized descriptions, a manifest
that each browser reads its own way, and reproducible store zips (scripts/build_extension.py)."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXTENSION = ROOT / "extension"
WEB_EXT = ROOT / ".venv" / "node" / "node_modules" / ".bin" / "web-ext"
sys.path.insert(0, str(ROOT / "scripts"))
import build_extension  # noqa: E402  (a script, not a package)


def _manifest() -> dict:
    return json.loads((EXTENSION / "manifest.json").read_text(encoding="utf-8"))


def _lint(source: Path) -> dict:
    assert WEB_EXT.exists(), "web-ext is installed by scripts/setup.sh --test (npm, into .venv/node)"
    result = subprocess.run([str(WEB_EXT), "lint", "--source-dir", str(source), "--output", "json",
                             "--no-config-discovery"], capture_output=True, text=True, timeout=180)
    report = json.loads(result.stdout)
    return report


def _problems(report: dict) -> list[str]:
    return [f"{kind}: {item['code']} {item.get('file', '')}: {item['message']}"
            for kind in ("errors", "warnings", "notices") for item in report[kind]]


def test_web_ext_lint_is_clean_on_the_source_folder():
    report = _lint(EXTENSION)
    assert _problems(report) == []
    assert report["summary"] == {"errors": 0, "notices": 0, "warnings": 0}
    assert report["metadata"]["id"] == _manifest()["browser_specific_settings"]["gecko"]["id"]


def test_web_ext_lint_finds_the_problems_the_manifest_once_had(tmp_path):
    """The lint run is a real check: without the gecko keys and the fallback it reports them."""
    copy = tmp_path / "extension"
    subprocess.run(["cp", "-r", str(EXTENSION), str(copy)], check=True)
    manifest = _manifest()
    del manifest["browser_specific_settings"]
    manifest["background"] = {"service_worker": "src/background/worker.js", "type": "module"}
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    codes = {item["code"] for kind in ("errors", "warnings") for item in _lint(copy)[kind]}
    assert {"BACKGROUND_SERVICE_WORKER_NOFALLBACK", "ADDON_ID_REQUIRED"} <= codes


@pytest.mark.parametrize("locale", sorted(p.name for p in (EXTENSION / "_locales").iterdir()))
def test_store_texts_fit_the_stores(locale):
    messages = json.loads((EXTENSION / "_locales" / locale / "messages.json").read_text(encoding="utf-8"))
    manifest = _manifest()
    description = messages[manifest["description"].strip("_").removeprefix("MSG_")]["message"]
    name = messages[manifest["name"].strip("_").removeprefix("MSG_")]["message"]
    assert 0 < len(description) <= 132, (locale, len(description))
    assert 2 <= len(name) <= 45, (locale, name)
    listing = (ROOT / "docs" / "store" / "listing.md").read_text(encoding="utf-8")
    assert description in listing, "the store listing repeats the manifest's short description"


def test_the_manifest_serves_both_browsers():
    manifest = _manifest()
    gecko = manifest["browser_specific_settings"]["gecko"]
    assert gecko["id"] and gecko["strict_min_version"]
    # Firefox 140 is the first with built-in data consent (and Ed25519 in WebCrypto, since 129).
    assert int(gecko["strict_min_version"].split(".")[0]) >= 140
    assert gecko["data_collection_permissions"]["required"] and "none" not in gecko["data_collection_permissions"]["required"]
    background = manifest["background"]
    # Chrome runs the module service worker; Firefox runs the same module as a background page.
    assert background["service_worker"] == "src/background/worker.js"
    assert background["scripts"] == [background["service_worker"]]
    assert background["type"] == "module"


def _zip_manifest(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def test_build_writes_one_store_zip_per_browser(tmp_path):
    written = build_extension.build(tmp_path / "dist")
    chrome, firefox = _zip_manifest(written["chrome"]), _zip_manifest(written["firefox"])
    assert "browser_specific_settings" not in chrome and "scripts" not in chrome["background"]
    assert chrome["background"] == {"service_worker": "src/background/worker.js", "type": "module"}
    assert "minimum_chrome_version" not in firefox and "service_worker" not in firefox["background"]
    assert firefox["background"] == {"scripts": ["src/background/worker.js"], "type": "module"}
    assert firefox["browser_specific_settings"] == _manifest()["browser_specific_settings"]
    source = {p.as_posix() for p in build_extension.package_files()}
    for path in (written["chrome"], written["firefox"]):
        with zipfile.ZipFile(path) as archive:
            assert set(archive.namelist()) == source
            for name in source - {"manifest.json"}:
                assert archive.read(name) == (EXTENSION / name).read_bytes(), name
    # Store material beside the packages: the same policy page the backend serves.
    assert written["privacy.html"].read_bytes() == (ROOT / "server" / "api" / "privacy.html").read_bytes()
    assert written["listing.md"].exists()


def test_the_firefox_zip_is_lint_clean(tmp_path):
    written = build_extension.build(tmp_path / "dist")
    unpacked = tmp_path / "firefox"
    with zipfile.ZipFile(written["firefox"]) as archive:
        archive.extractall(unpacked)
    assert _problems(_lint(unpacked)) == []


def test_builds_are_reproducible(tmp_path):
    first = build_extension.build(tmp_path / "a")
    second = build_extension.build(tmp_path / "b")
    for browser in ("chrome", "firefox"):
        assert first[browser].read_bytes() == second[browser].read_bytes()


def test_the_build_command_prints_what_it_wrote(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_extension.py"), "--out", str(tmp_path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    version = _manifest()["version"]
    assert f"kadun-{version}-chrome.zip" in result.stdout and f"kadun-{version}-firefox.zip" in result.stdout
    assert (tmp_path / f"kadun-{version}-firefox.zip").exists()


def test_every_finding_code_has_a_name_in_each_language():
    """The dispute page names a finding sent without an explanation by its code's label, never the
    raw code: every finding code the judgement can emit has a ``finding_<code>`` text in each locale."""
    import re

    root = EXTENSION.parent / "server"
    source = "\n".join(p.read_text(encoding="utf-8") for folder in ("risk", "disputes")
                       for p in (root / folder).glob("*.py"))
    codes = set(re.findall(r'"code": "([a-z_]+)"', source)) | {"unfair_term", "no_refund_claim"}
    assert {"promise_broken", "refund_fee_scam"} <= codes
    for locale in sorted(p.name for p in (EXTENSION / "_locales").iterdir()):
        messages = json.loads((EXTENSION / "_locales" / locale / "messages.json").read_text(encoding="utf-8"))
        missing = sorted(c for c in codes | {"unnamed"} if f"finding_{c}" not in messages)
        assert not missing, f"{locale}: no finding_ text for {missing}"
