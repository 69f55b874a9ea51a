"""`frontend/openapi.yaml` (what the frontend's REST types are generated from at build time) is the
schema the server serves now. Regenerate it with:

    .venv/bin/python manage.py spectacular --file frontend/openapi.yaml
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_committed_openapi_schema_is_current(tmp_path):
    fresh = tmp_path / "openapi.yaml"
    subprocess.run(
        [sys.executable, "manage.py", "spectacular", "--file", str(fresh)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "clonyvoice.settings", "HOME": str(tmp_path)},
    )
    committed = (ROOT / "frontend/openapi.yaml").read_text()
    assert fresh.read_text() == committed, (
        "frontend/openapi.yaml is stale: run `.venv/bin/python manage.py spectacular --file frontend/openapi.yaml`"
    )
