"""The hosted-service tests on a three-master Redis Cluster: quotas, deletion (the keyspace of
every node scanned for anything of the deleted user), export, backup and restore run again in a
pytest subprocess with REDIS_URL=redis+cluster://…, as tests/ops/test_cluster.py does for the rest."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.ops.cluster import LocalCluster

SUITE = ["tests/hosted/test_quotas.py", "tests/hosted/test_erasure.py", "tests/hosted/test_export.py",
         "tests/hosted/test_backup.py"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    with LocalCluster(tmp_path_factory.mktemp("cluster")) as running:
        yield running


@pytest.mark.timeout(960)  # the subprocess may take up to 900 s on a loaded machine (pytest's default is 300)
def test_hosted_suite_passes_on_redis_cluster(cluster, tmp_path):
    files = [f for f in SUITE if (ROOT / f).exists()]
    assert len(files) == len(SUITE), files
    env = {**os.environ, "REDIS_URL": cluster.url}
    env.pop("KADUN_REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "--timeout", "300",
         "--basetemp", str(tmp_path / "pt"), *files], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    tail = "\n".join((result.stdout + result.stderr).splitlines()[-60:])
    assert result.returncode == 0, tail
    summary = [line for line in tail.splitlines() if re.match(r"^\d+ passed", line)]
    assert summary and not re.search(r"failed|skipped|error", summary[-1]), tail
