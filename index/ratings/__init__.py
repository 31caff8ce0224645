"""Ofsted judgements per council over time: the shipped ILACS history, corrected by the indexed reports.

- ``table``: Grade, Area, Judgement, Quote, Inspection; reading the ILACS history CSV.
- ``councils``: forgiving council names (resolve_council, Council, display_name).
- ``reports``: the judgement table a report states, with verbatim quotes (read_judgements).
- ``history``: RatingsTable (build_table, load_table), councils_with, compare, disagreements.
- ``trend`` and ``chart``: a one-line trend and a PNG with alt text.
- ``cli``: ``python -m index ratings``.
"""

from index.councils import Council, resolve_council
from index.ratings.history import (
    Comparison,
    Disagreement,
    RatingsTable,
    build_table,
    compare,
    councils_with,
    load_table,
)
from index.ratings.table import Area, Grade, Inspection, Judgement, Quote
from index.ratings.trend import trend

__all__ = [
    "Area",
    "Comparison",
    "Council",
    "Disagreement",
    "Grade",
    "Inspection",
    "Judgement",
    "Quote",
    "RatingsTable",
    "build_table",
    "compare",
    "councils_with",
    "load_table",
    "resolve_council",
    "trend",
]
