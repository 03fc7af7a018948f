"""Running the notebooks for a report: one kernel, parameters injected, errors explained.

The notebooks run one after another in a single Python kernel (its namespace cleared
between them), so that the package's imports are paid once per report, not once per
notebook. The kernel is this interpreter's own, whatever kernels Jupyter knows, and it
draws with matplotlib's inline backend, so that every chart is in the output.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from mentormatch.errors import DataError, InfeasibleError, MissingDependencyError

__all__ = ["execute", "require_notebook_tools", "INSTALL_HINT", "parameters_of"]

#: The one command that installs what reports need.
INSTALL_HINT = "pip install 'mentormatch-suite[notebooks]'"
_TOOLS = ("nbformat", "nbclient", "nbconvert", "ipykernel", "jupyter_client")
_KERNEL = "mentormatch-report"
#: Runs first in every notebook, so that none sees what the previous one left.
_RESET = "%reset -f\nimport matplotlib.pyplot as _plt\n_plt.close('all')\ndel _plt"


def require_notebook_tools() -> None:
    """Raise :class:`~mentormatch.errors.MissingDependencyError` naming the install
    command when a package the report needs is not installed."""
    import importlib.util

    absent = [name for name in _TOOLS if importlib.util.find_spec(name) is None]
    if absent:
        raise MissingDependencyError(
            f"the report needs the notebook tools ({', '.join(absent)} not installed): "
            f"run {INSTALL_HINT}",
            zh=f"生成报告需要笔记本工具（未安装 {'、'.join(absent)}）：请运行 {INSTALL_HINT}",
        )


def parameters_of(nb) -> set[str]:
    """Names assigned in a notebook's cell tagged ``parameters``."""
    import ast

    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            tree = ast.parse(cell.source)
            return {
                target.id
                for node in tree.body
                if isinstance(node, ast.Assign)
                for target in node.targets
                if isinstance(target, ast.Name)
            }
    return set()


def _inject(nb, parameters: Mapping[str, object]) -> None:
    """Add a cell after the parameters cell that sets the given values (as papermill
    does), for the names that notebook declares."""
    import nbformat

    names = parameters_of(nb)
    lines = [f"{k} = {v!r}" for k, v in parameters.items() if k in names]
    for i, cell in enumerate(nb.cells):
        if "parameters" in cell.metadata.get("tags", []):
            injected = nbformat.v4.new_code_cell("\n".join(lines))
            injected.metadata["tags"] = ["injected-parameters"]
            nb.cells.insert(i + 1, injected)
            return


def _kernel_dir(root: Path) -> Path:
    """A kernel spec that runs this interpreter with the inline backend."""
    from mentormatch.kernelspec import write_kernel_spec

    write_kernel_spec(
        root / _KERNEL,
        "mentormatch report",
        {"MPLBACKEND": "module://matplotlib_inline.backend_inline"},
    )
    return root


def execute(
    paths: Sequence[Path],
    parameters: Mapping[str, object],
    *,
    cwd: Path,
    timeout: int = 1800,
    kernels: int | None = None,
    on_done: Callable[[Path, float], None] | None = None,
) -> list:
    """Run the notebooks at ``paths`` with ``parameters`` injected; returns the executed
    notebooks, in the order of ``paths``.

    The notebooks share ``kernels`` kernels (default: one per core, at most two), each
    running its share one after another: notebooks are independent (each loads the
    roster and seeds its own randomness), so the result is the same for any number.
    A :class:`~mentormatch.DataError` or :class:`~mentormatch.InfeasibleError` raised in
    a notebook is raised here with the notebook's name; any other error is a bug and
    keeps its traceback.
    """
    import asyncio
    import os

    n = kernels or max(1, min(2, os.cpu_count() or 1))
    n = max(1, min(n, len(paths)))
    lanes = [list(range(i, len(paths), n)) for i in range(n)]
    executed: dict[int, object] = {}
    with tempfile.TemporaryDirectory(prefix="mentormatch-kernel-") as tmp:
        specs = _kernel_dir(Path(tmp) / "specs")

        async def lane(k: int, indexes: list[int]) -> None:
            from jupyter_client.kernelspec import KernelSpecManager
            from jupyter_client.manager import AsyncKernelManager

            km = AsyncKernelManager(
                kernel_name=_KERNEL, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(specs)])
            )
            km.transport = "ipc"  # socket files in the temporary folder, not TCP ports
            km.connection_file = str(Path(tmp) / f"kernel-{k}.json")
            km.ip = str(Path(tmp) / f"ipc-{k}")
            await km.start_kernel(cwd=str(cwd))
            try:
                for i in indexes:
                    executed[i] = await _run_one(km, paths[i], parameters, cwd, timeout, on_done)
            finally:
                await km.shutdown_kernel(now=True)

        async def all_lanes() -> None:
            await asyncio.gather(*(lane(k, idx) for k, idx in enumerate(lanes)))

        _run_to_end(all_lanes)
    return [executed[i] for i in range(len(paths))]


def _run_to_end(coroutine_function) -> None:
    """Run a coroutine to its end, also when an event loop is already running here (a
    Jupyter cell, playwright's sync API): then in a thread of its own."""
    import asyncio
    import threading

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(coroutine_function())
        return
    failure: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(coroutine_function())
        except BaseException as err:  # re-raised in the caller's thread
            failure.append(err)

    thread = threading.Thread(target=target, name="mentormatch-report")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


async def _run_one(km, path: Path, parameters, cwd: Path, timeout: int, on_done):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    started = time.perf_counter()
    nb = nbformat.read(path, as_version=4)
    _inject(nb, parameters)
    nb.cells.insert(0, nbformat.v4.new_code_cell(_RESET))
    client = NotebookClient(
        nb,
        km=km,
        timeout=timeout,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": str(cwd)}},
    )
    try:
        await client.async_execute()
    except CellExecutionError as err:
        _raise_for(path, err)
    finally:
        if client.kc is not None:
            client.kc.stop_channels()
    nb.cells.pop(0)
    if on_done:
        on_done(path, time.perf_counter() - started)
    return nb


def _raise_for(path: Path, err) -> None:
    """The data's fault (bad or infeasible input) is the user's to fix and gets one
    line; anything else is a bug and keeps its traceback."""
    if err.ename == "InfeasibleError":
        raise InfeasibleError([f"{path.name}: {err.evalue}"]) from None
    if err.ename == "DataError":
        raise DataError(f"{path.name}: {err.evalue}") from None
    raise err
