"""Fetching Ofsted's reports into a documents folder (``python -m index fetch``).

- :mod:`index.fetching.dataset`: the list of reports (the ILACS history CSV), rows checked and selected;
- :mod:`index.fetching.folder`: what a documents folder holds, where a report goes, its manifest;
- :mod:`index.fetching.download`: polite HTTP with retries, ``.part`` files, checks of each PDF;
- :mod:`index.fetching.fetch`: the whole run, :func:`fetch_reports`.
"""

from index.fetching.dataset import SHIPPED_DATASET, Dataset, Listing, parse_dataset, parse_since
from index.fetching.download import DownloadError, Politeness
from index.fetching.fetch import (
    Failure,
    FetchBusyError,
    Fetched,
    FetchOptions,
    FetchProgress,
    FetchResult,
    fetch_reports,
    user_agent,
)

__all__ = [
    "SHIPPED_DATASET",
    "Dataset",
    "DownloadError",
    "Failure",
    "FetchBusyError",
    "FetchOptions",
    "FetchProgress",
    "FetchResult",
    "Fetched",
    "Listing",
    "Politeness",
    "fetch_reports",
    "parse_dataset",
    "parse_since",
    "user_agent",
]
