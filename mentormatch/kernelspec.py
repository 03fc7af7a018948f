"""A Jupyter kernel spec that runs this very interpreter, for the report's notebooks and
the app's page: whatever kernels the machine has installed, the notebooks then run with
the Python (and the mentormatch) that started them."""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path

__all__ = ["write_kernel_spec"]


def write_kernel_spec(folder: Path, display_name: str, env: Mapping[str, str]) -> Path:
    """Write ``folder/kernel.json`` for an IPython kernel on :data:`sys.executable` with
    the environment variables ``env`` (``PYDEVD_DISABLE_FILE_VALIDATION`` added, which
    silences the debugger's warning about frozen modules); returns ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [
            sys.executable,
            "-Xfrozen_modules=off",
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
        ],
        "display_name": display_name,
        "language": "python",
        "env": {**env, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
    }
    (folder / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    return folder
