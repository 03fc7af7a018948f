"""Reading a roster as a planner gives it: an uploaded workbook or zip of CSV files, or
the bundled sample.

An upload is written to a temporary file under its own name (so that messages name the
file as the planner knows it) and read with :func:`mentormatch.load_district`; a zip is
unpacked to a temporary folder first. Names inside zips made on Chinese Windows (GBK,
unmarked) are read as their maker wrote them.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import warnings
import zipfile
from pathlib import Path, PurePosixPath

from mentormatch.app.words import say
from mentormatch.district import District
from mentormatch.errors import DataError, GuessWarning, Problem

__all__ = [
    "read_upload",
    "read_path",
    "upload_name",
    "load_sample",
    "sample_path",
    "message",
    "WORKBOOK_SUFFIXES",
]

#: Suffixes read as a workbook.
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def sample_path() -> Path | None:
    """The bundled sample (``data/sample``) beside the package in a source checkout, or
    ``None`` in an installed wheel (which does not carry it)."""
    folder = Path(__file__).resolve().parents[2] / "data" / "sample"
    return folder if (folder / "secretaries.csv").is_file() else None


def load_sample() -> District:
    """The sample roster: ``data/sample`` when it is there, else the same District made
    again (``data/sample`` is :func:`mentormatch.synthesize_district` at its default seed,
    byte for byte, as ``tests/test_synth.py`` proves)."""
    from mentormatch.synth import synthesize_district

    path = sample_path()
    return read_path(path) if path is not None else synthesize_district()


def message(key: str, **fields: object) -> DataError:
    """A DataError of one sentence of the workbench's own, in both languages."""
    return DataError(
        Problem(
            str(fields.get("name", "")),
            None,
            None,
            None,
            say(key, "en", **fields),
            expected_zh=say(key, "zh", **fields),
            kind="message",
        )
    )


def _member_name(info: zipfile.ZipInfo) -> str:
    """A zip member's name as its maker wrote it: archives made on Chinese Windows
    store names in GBK without saying so (zipfile then reads them as cp437)."""
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gbk")
    return name


def _unzip(name: str, content: bytes, folder: Path) -> Path:
    """Unpack the archive into ``folder``; returns the folder of CSV files (or the one
    workbook) inside it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise message("bad_zip", name=name) from None
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            parts = [
                p
                for p in PurePosixPath(_member_name(info).replace("\\", "/")).parts
                if p not in ("", ".", "..")
            ]
            # Finder's resource forks and hidden files are not tables.
            if not parts or parts[0] == "__MACOSX" or parts[-1].startswith("."):
                continue
            target = folder.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(info))
    root = folder
    while True:
        entries = sorted(root.iterdir())
        csvs = [p for p in entries if p.is_file() and p.suffix.lower() == ".csv"]
        books = [p for p in entries if p.is_file() and p.suffix.lower() in WORKBOOK_SUFFIXES]
        folders = [p for p in entries if p.is_dir()]
        if csvs:
            return root
        if len(books) == 1:
            return books[0]
        if len(folders) == 1 and not books:
            root = folders[0]  # the archive of a folder: its files sit one level down
            continue
        raise message("empty_zip", name=name)


def upload_name(name: str) -> str:
    """The file's own name, without the folders a browser may send with it.

    >>> upload_name("C:\\\\Users\\\\planner\\\\名册.xlsx"), upload_name("")
    ('名册.xlsx', 'roster')
    """
    return Path(str(name).replace("\\", "/")).name or "roster"


def read_path(path: str | Path) -> District:
    """:func:`mentormatch.load_district`, without issuing the guesses as Python warnings:
    each is kept in ``District.warnings``, which the page lists."""
    from mentormatch.io import load_district

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GuessWarning)
        return load_district(path)


def read_upload(name: str, content: bytes) -> District:
    """The roster in an uploaded file: an ``.xlsx`` workbook, or a ``.zip`` of CSV files
    (or of one workbook). Raises :class:`~mentormatch.DataError` as
    :func:`mentormatch.load_district` does, naming the file as the planner named it."""
    name = upload_name(name)
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="mentormatch-upload-") as tmp:
        if suffix in WORKBOOK_SUFFIXES:
            path = Path(tmp) / name
            path.write_bytes(content)
        elif suffix == ".zip":
            folder = Path(tmp) / (Path(name).stem or "roster")
            folder.mkdir()
            path = _unzip(name, content, folder)
        else:
            raise message("unsupported", name=name)
        return read_path(path)
