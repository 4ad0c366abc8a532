"""``python -m scrapers PAGE.html --url URL``: the facts of one saved page as JSON, without the server
(the same output as ``kadun parse``; used by the F1 floor test and the benchmark)."""
from __future__ import annotations

import argparse
import json
import sys

from . import extract


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scrapers", description=__doc__)
    parser.add_argument("page")
    parser.add_argument("--url", required=True)
    args = parser.parse_args(argv)
    try:
        with open(args.page, "rb") as handle:
            data = handle.read()
    except OSError as error:
        print(f"cannot read {args.page}: {error.strerror or error}", file=sys.stderr)
        return 2
    facts = extract(data.decode("utf-8", errors="replace"), args.url)
    print(json.dumps(facts.as_dict(), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
