"""The planner's workbench (``mentormatch app``): a local page to load a roster, check it,
set the rules, solve, adjust by hand and download the plan, the salon groups and the
report.

Built on the Jupyter stack: :class:`App` is an ipywidgets page over a
:class:`~mentormatch.app.model.Workbench` (the state and actions, without widgets);
:func:`serve` runs it with Voilà as a local web app (the notebook ``app.ipynb`` beside
this module, which only shows ``App()``). The same page works in JupyterLab::

    from mentormatch.app import App
    App().widget

Importing this package costs nothing: ipywidgets and Voilà are imported when used.
"""

from __future__ import annotations

import os
from urllib.parse import parse_qs

__all__ = ["App", "Workbench", "serve", "page_language", "LANG_ENV", "NOTEBOOK"]

#: The environment variable that carries the page's language to the kernel.
LANG_ENV = "MENTORMATCH_APP_LANG"
#: The notebook Voilà serves.
NOTEBOOK = "app.ipynb"


def page_language(default: str = "zh") -> str:
    """The language the page was opened with: ``?lang=en`` in the address (Voilà gives
    the kernel the query string), else :data:`LANG_ENV` (set by :func:`serve`), else
    ``default``.

    >>> import os
    >>> _ = os.environ.pop("QUERY_STRING", None)
    >>> os.environ[LANG_ENV] = "en"
    >>> page_language()
    'en'
    >>> os.environ["QUERY_STRING"] = "lang=zh&x=1"
    >>> page_language()
    'zh'
    >>> del os.environ["QUERY_STRING"], os.environ[LANG_ENV]
    """
    query = parse_qs(os.environ.get("QUERY_STRING", ""))
    for lang in (*query.get("lang", ()), os.environ.get(LANG_ENV, ""), default):
        if lang in ("zh", "en"):
            return lang
    return "zh"


def serve(*, port: int = 8866, open_browser: bool = True, lang: str = "zh") -> None:
    """Run the workbench at ``http://127.0.0.1:<port>/`` with Voilà until Ctrl-C.

    Bound to 127.0.0.1 only and without a token: only this computer can open the page,
    and anyone who can run programs on it can (as they could read the roster files).
    Opens the default browser unless ``open_browser=False``; ``lang`` ("zh" or "en") is
    the page's language. Raises :class:`~mentormatch.errors.MissingDependencyError`
    when Voilà is not installed, :class:`~mentormatch.DataError` when the port is in
    use. See :func:`mentormatch.app.server.serve`."""
    from mentormatch.app.server import serve as _serve

    _serve(port=port, open_browser=open_browser, lang=lang)


def __getattr__(name: str):
    if name == "App":
        from mentormatch.app.view import App

        return App
    if name == "Workbench":
        from mentormatch.app.model import Workbench

        return Workbench
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
