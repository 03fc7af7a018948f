"""Serving the workbench: Voilà on 127.0.0.1, running ``app.ipynb`` in this interpreter.

Voilà runs as a child process of its own (``python -m voila``), so that Ctrl-C stops it
cleanly, without Jupyter's "shut down this server?" question. Its kernel is this
interpreter's, whatever kernels Jupyter knows: a kernel spec named ``python3`` (the
notebook's) in a temporary folder put first on ``JUPYTER_PATH`` runs
``sys.executable``, with the page's language in :data:`mentormatch.app.LANG_ENV` and
matplotlib's Agg backend (the page draws its charts as images).
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import webbrowser
from collections.abc import Callable
from pathlib import Path

from mentormatch import lang as _lang
from mentormatch.errors import DataError, MissingDependencyError

__all__ = [
    "serve",
    "notebook_path",
    "voila_command",
    "kernel_dir",
    "template_dir",
    "INSTALL_HINT",
    "TEMPLATE",
]

#: The one command that installs what the workbench needs.
INSTALL_HINT = "pip install 'mentormatch-suite[notebooks]'"
_TOOLS = ("voila", "ipywidgets", "ipykernel")
#: Seconds to wait for Voilà to listen before giving up.
START_TIMEOUT = 120


def notebook_path() -> Path:
    """The page's notebook, shipped beside this module."""
    from mentormatch.app import NOTEBOOK

    return Path(__file__).resolve().parent / NOTEBOOK


def require_voila() -> None:
    """Raise :class:`~mentormatch.errors.MissingDependencyError` naming the install
    command when Voilà (or ipywidgets, ipykernel) is not installed."""
    absent = [name for name in _TOOLS if importlib.util.find_spec(name) is None]
    if absent:
        raise MissingDependencyError(
            f"the app needs Voilà and ipywidgets ({', '.join(absent)} not installed): "
            f"run {INSTALL_HINT}",
            zh=f"工作台需要 Voilà 和 ipywidgets（未安装 {'、'.join(absent)}）："
            f"请运行 {INSTALL_HINT}",
        )


def kernel_dir(root: Path, lang: str) -> Path:
    """Write a ``python3`` kernel spec that runs this interpreter under ``root/kernels``;
    returns ``root`` (to put first on ``JUPYTER_PATH``)."""
    from mentormatch.app import LANG_ENV
    from mentormatch.kernelspec import write_kernel_spec

    write_kernel_spec(
        root / "kernels" / "python3", "mentormatch app", {LANG_ENV: lang, "MPLBACKEND": "Agg"}
    )
    return root


#: The page's Voilà template: Voilà's ``lab`` template without its links to Font Awesome
#: on a public CDN (the page is local and works offline; Voilà's own scripts carry the
#: icons).
TEMPLATE = "mentormatch"
_TEMPLATE_FILES = {
    "conf.json": json.dumps({"base_template": "lab"}),
    "index.html.j2": (
        "{%- extends 'lab/index.html.j2' -%}\n"
        "{%- block notebook_css -%}\n"
        "{%- for line in super().split('\\n') if 'cdn.jsdelivr.net' not in line %}\n"
        "{{ line }}\n"
        "{%- endfor %}\n"
        "{%- endblock notebook_css -%}\n"
    ),
}


def template_dir(root: Path) -> Path:
    """Write the page's Voilà template under ``root/voila/templates``; returns ``root``."""
    folder = root / "voila" / "templates" / TEMPLATE
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in _TEMPLATE_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return root


def voila_command(port: int) -> list[str]:
    """The command that serves the page on 127.0.0.1:``port`` (no browser, no other
    port if that one is taken, no tracebacks sent to the page)."""
    notebook = notebook_path()
    return [
        sys.executable,
        "-m",
        "voila",
        str(notebook),
        f"--port={int(port)}",
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        f"--Voila.root_dir={notebook.parent}",
        "--show_tracebacks=False",
        f"--template={TEMPLATE}",
        "--Voila.log_level=ERROR",
    ]


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", int(port)))
        except OSError:
            return False
    return True


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", int(port))) == 0


def _stop(process: subprocess.Popen) -> None:
    """Stop Voilà and what it started (its process group: the kernels), by their id."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


def serve(
    *,
    port: int = 8866,
    open_browser: bool = True,
    lang: str = "zh",
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve the workbench at ``http://127.0.0.1:<port>/`` with Voilà until Ctrl-C.

    The page is bound to 127.0.0.1 only, so only this computer can open it, and it asks
    for no token: anyone who can run programs on this computer can open it, as they
    could read the roster files themselves. Do not expose the port to a network.

    Parameters
    ----------
    port : int
        The port to listen on; a port in use is a :class:`~mentormatch.DataError`
        naming the fix (another ``--port``).
    open_browser : bool
        Open the page in the default browser once it is up.
    lang : {"zh", "en"}
        The page's language (the page can switch too; ``?lang=en`` in the address
        overrides it).
    on_ready : callable, optional
        Called with the address once Voilà listens (by default the address is printed).

    Raises
    ------
    MissingDependencyError
        Voilà, ipywidgets or ipykernel is not installed.
    """
    lang = _lang.check(lang)
    require_voila()
    if not _port_free(port):
        raise DataError(
            f"port {port} on 127.0.0.1 is already in use (another mentormatch app?): "
            f"stop that program or choose another port with --port"
        )
    url = f"http://127.0.0.1:{int(port)}/"
    previous = None
    if threading.current_thread() is threading.main_thread():
        # A polite "kill" stops Voilà too, as Ctrl-C does.
        previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        with tempfile.TemporaryDirectory(prefix="mentormatch-app-") as tmp:
            specs = template_dir(kernel_dir(Path(tmp), lang))
            from mentormatch.app import LANG_ENV

            env = {
                **os.environ,
                "JUPYTER_PATH": os.pathsep.join(
                    p for p in (str(specs), os.environ.get("JUPYTER_PATH", "")) if p
                ),
                LANG_ENV: lang,
                "MPLBACKEND": "Agg",
            }
            process = subprocess.Popen(
                voila_command(port),
                env=env,
                cwd=str(notebook_path().parent),
                stdin=subprocess.DEVNULL,
                # Its own process group: Ctrl-C reaches this process only, which then
                # stops Voilà and its kernels without Jupyter's shutdown question.
                start_new_session=True,
            )
            try:
                started = time.monotonic()
                while not _listening(port):
                    if process.poll() is not None:
                        raise RuntimeError(
                            f"Voilà stopped before serving the app (exit {process.returncode})"
                        )
                    if time.monotonic() - started > START_TIMEOUT:
                        raise RuntimeError(f"Voilà did not start within {START_TIMEOUT} s")
                    time.sleep(0.2)
                (on_ready or _announce)(url)
                if open_browser:
                    webbrowser.open(url)
                process.wait()
            except KeyboardInterrupt:
                pass
            finally:
                _stop(process)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _announce(url: str) -> None:
    print(f"mentormatch app: {url}  (Ctrl-C stops it)", flush=True)


def _terminate(signum, frame) -> None:
    raise KeyboardInterrupt
