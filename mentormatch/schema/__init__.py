"""The schema: the tables of a District and a Region, their columns, types, allowed
values and Chinese headers, and the rules they must meet, declared once.

The jobs live in their own modules, kept apart:

* :mod:`~mentormatch.schema.columns` and :mod:`~mentormatch.schema.tables` declare the
  tables (columns, kinds, vocabularies, ranges, keys, references, headers);
* :mod:`~mentormatch.schema.cells` and :mod:`~mentormatch.schema.parse` turn the cells
  a person typed (text) into typed columns (:func:`parse_table`), collecting a
  :class:`~mentormatch.errors.Problem` for every cell they cannot read;
* :mod:`~mentormatch.schema.rules` and :mod:`~mentormatch.schema.references` hold the
  rules a table must meet (cells, keys, rows; references between tables), written once
  for both containers;
* :mod:`~mentormatch.schema.validate` checks a District's typed tables by them
  (:func:`validate_tables`), :mod:`~mentormatch.schema.region` a Region's integer codes
  (:func:`~mentormatch.schema.region.check_region`);
* :mod:`~mentormatch.schema.dictionary` writes the data dictionary of data/README.md.

Column headers may be the English codes or the Chinese headers a planner types; both
are listed here, so that no Chinese literal is scattered elsewhere.
"""

from mentormatch.schema.columns import LIST_SEPARATORS, Column, Table, header_key
from mentormatch.schema.dictionary import (
    data_dictionary,
    region_correspondence,
    vocabulary_tables,
)
from mentormatch.schema.parse import parse_table
from mentormatch.schema.region import REGION_TABLES, check_region
from mentormatch.schema.tables import REQUIRED_TABLES, TABLE_ORDER, TABLES, empty_table
from mentormatch.schema.validate import validate_tables

__all__ = [
    "Column",
    "Table",
    "TABLES",
    "TABLE_ORDER",
    "REQUIRED_TABLES",
    "REGION_TABLES",
    "parse_table",
    "validate_tables",
    "check_region",
    "empty_table",
    "header_key",
    "LIST_SEPARATORS",
    "data_dictionary",
    "vocabulary_tables",
    "region_correspondence",
]
