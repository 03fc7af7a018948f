"""The data dictionary in Markdown, generated from the schema (kept in data/README.md:
``python -m mentormatch.schema data/README.md`` rewrites its generated part)."""

from __future__ import annotations

from mentormatch.schema.columns import _range_text
from mentormatch.schema.region import REGION_MATRICES, REGION_TABLES
from mentormatch.schema.tables import REQUIRED_TABLES, TABLES

__all__ = ["data_dictionary", "vocabulary_tables", "region_correspondence"]

_KIND_TEXT = {
    "id": "text (ID)",
    "text": "text",
    "vocab": "code",
    "vocab_list": "list of codes",
    "id_list": "list of IDs",
    "int": "whole number",
    "year": "year",
    "month": "year-month (2024-03)",
    "float": "number",
    "share": "share (0-1)",
    "bool": "yes/no",
}


def data_dictionary() -> str:
    """The data dictionary in Markdown: every table and column (kept in data/README.md)."""
    out = []
    for table in TABLES.values():
        required = "required" if table.name in REQUIRED_TABLES else "optional"
        out.append(f"### `{table.filename}` · {table.zh} ({required})\n")
        out.append(f"{table.doc[0].upper()}{table.doc[1:]}. Key: {', '.join(table.key)}.\n")
        out.append("| column | 中文表头 | type | unit / allowed values | required | notes |")
        out.append("|---|---|---|---|---|---|")
        for col in table.columns:
            if col.vocab is not None:
                allowed = f"`{col.vocab.name}` codes (see Vocabulary)"
            else:
                allowed = " ".join(
                    x for x in (col.unit, _range_text(col.low, col.high).strip()) if x
                )
            headers = " / ".join(dict.fromkeys((col.zh, *col.aliases)))
            if col.loose:
                headers += " (read with a warning: " + " / ".join(col.loose) + ")"
            out.append(
                f"| `{col.name}` | {headers} | {_KIND_TEXT[col.kind]} | {allowed} | "
                f"{'yes' if col.required else 'no'} | {col.doc} |"
            )
        out.append("")
    return "\n".join(out)


def vocabulary_tables() -> str:
    """Every vocabulary in Markdown: code, Chinese label, English label, other spellings."""
    from mentormatch.vocab import VOCABULARIES

    out = []
    for vocab in VOCABULARIES.values():
        out.append(f"#### `{vocab.name}`\n")
        out.append("| code | 中文 | English | also accepted |")
        out.append("|---|---|---|---|")
        for t in vocab:
            out.append(f"| `{t.code}` | {t.zh} | {t.en} | {', '.join(t.aliases)} |")
        out.append("")
    return "\n".join(out)


_FORM_TEXT = {
    "same": "the same value",
    "zero_none": "the same value; 0 where the District's cell is empty",
    "position": "position in `vocab.{vocab}.codes`",
    "mask": "bitmask over `vocab.{vocab}.codes` (bit b: the b-th code)",
    "unit": "row of `units` (a District's units: its sub-districts and towns in vocabulary order)",
    "community": "column of `prior` (communities numbered in order of first appearance)",
    "mentor": "position in `mentors`; -1 for none (or one no longer a mentor)",
    "ref": "position in `{target}`",
    "own": "county number (a District is one county)",
}


#: Why a Region holds no such table.
_NOT_HELD = {
    "assessments": "a Region holds no assessment panel",
    "career": "a Region holds the secretaries in post only",
    "sessions": "training is planned for a District (a city's may be one District)",
    "findings": "inspection findings are a District's",
    "salon_records": "the salon's records are a District's",
    "training_log": "training is planned for a District",
}


def region_correspondence() -> str:
    """Which District column each Region column holds, and how, as a Markdown table.

    >>> print(region_correspondence().splitlines()[3])
    | secretaries | `name` | — | | not held |
    """
    out = [
        "| table | District column | Region column | dtype | in the Region |",
        "|---|---|---|---|---|",
    ]
    for name, table in TABLES.items():
        region = REGION_TABLES.get(name)
        if region is None:
            out.append(f"| {name} | (every column) | — | | not held: {_NOT_HELD[name]} |")
            continue
        held = {c.holds: c for c in region.columns if c.holds}
        for col in table.columns:
            if col.name == region.index:
                out.append(
                    f"| {name} | `{col.name}` | index | | the IDs (a synthetic region "
                    "numbers its rows) |"
                )
            elif col.name in held:
                rc = held[col.name]
                target = next((t for c, t, _ in table.references if c == col.name), "")
                how = _FORM_TEXT[rc.form].format(vocab=_vocab_constant(col.vocab), target=target)
                out.append(f"| {name} | `{col.name}` | `{rc.name}` | {rc.dtype} | {how} |")
            elif (name, col.name) in REGION_MATRICES:
                where, how = REGION_MATRICES[(name, col.name)]
                out.append(f"| {name} | `{col.name}` | `{where}` (matrix) | bool | {how} |")
            else:
                out.append(f"| {name} | `{col.name}` | — | | not held |")
        for rc in region.columns:
            if rc.holds is None:
                out.append(f"| {name} | — | `{rc.name}` | {rc.dtype} | {_FORM_TEXT[rc.form]} |")
    for rc in REGION_TABLES["units"].columns:
        out.append(f"| units | — | `{rc.name}` | {rc.dtype} | {_FORM_TEXT[rc.form]} |")
    where, how = REGION_MATRICES[("units", "(vocab.NEIGHBOURS)")]
    out.append(f"| units | (`vocab.NEIGHBOURS`) | `{where}` (matrix) | bool | {how} |")
    return "\n".join(out) + "\n"


def _vocab_constant(vocab: object) -> str:
    """The name of a vocabulary's constant in :mod:`mentormatch.vocab`."""
    from mentormatch import vocab as module

    return next((k for k, v in vars(module).items() if v is vocab and k.isupper()), "")


def _update_readme(path: str) -> None:
    """Rewrite the generated part of the data README (between its markers)."""
    from pathlib import Path

    start, end = (
        "<!-- generated: python -m mentormatch.schema data/README.md -->\n",
        "<!-- end generated -->",
    )
    text = Path(path).read_text(encoding="utf-8")
    head, rest = text.split(start, 1)
    _, tail = rest.split(end, 1)
    vocab_intro = (
        "\n## Vocabulary\n\nCodes are stable; labels are what charts and Chinese exports show.\n"
        "`mentormatch/vocab.py` is the single place they are defined. Sub-district neighbours\n"
        "(`vocab.NEIGHBOURS`) and the affinity between community types (`vocab.TYPE_AFFINITY`)\n"
        "are assumptions read off public maps and housing descriptions.\n\n"
    )
    region_intro = (
        "\n## Region columns\n\nA `Region` (a city or a nation, `mentormatch.region`) holds the "
        "same tables as\ninteger codes, checked by the same rules "
        "(`mentormatch.schema.rules`): a bad value is told in\nthe same words, with the "
        "row its table would have in a saved CSV file (position + 2).\n"
        "`Region.from_tables` builds one from District-style tables (text codes, as a roster "
        "has\nthem). Which District column each Region column holds, and how:\n\n"
    )
    body = (
        data_dictionary()
        + vocab_intro
        + vocabulary_tables()
        + region_intro
        + region_correspondence()
    )
    Path(path).write_text(head + start + body + end + tail, encoding="utf-8")
