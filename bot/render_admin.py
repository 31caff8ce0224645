"""What admins see after a change: pure HTML for uploads, removals, re-indexing and recent changes."""

from __future__ import annotations

import difflib
import html
from collections.abc import Mapping, Sequence

from bot.maintenance import MAX_UPLOAD_BYTES, UPLOAD_TYPES, Added, Removed
from bot.render import Button, Rendered, pretty_date
from index.maintain import ChangeSummary

UPLOAD_HELP = (
    f"Send me a document ({', '.join(t.lstrip('.').upper() for t in UPLOAD_TYPES)}, up to "
    f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB) to add it. /remove SOURCE drops one, /reindex brings the index "
    "in line with the documents folder, /refresh fetches Ofsted's new reports and re-indexes, /docs lists "
    "recent changes, /stats shows what people ask."
)
BUSY = "Another change is running; yours will start when it finishes."
UNDONE = "Undone: {source}. The index is back as it was."
NO_DOCUMENTS = "The documents folder {folder} is missing or empty: nothing was changed."
PRUNE_CONFIRMED = "Confirmed: re-indexing and removing them; I keep answering meanwhile."
PRUNE_CANCELLED = "Cancelled: nothing was removed; the index is as it was."
PRUNE_NOT_YOURS = "Only the admin who asked for this re-index can confirm it."
PRUNE_NAMED = 5  # documents named in the confirmation; the rest are counted


def _e(value: object) -> str:
    return html.escape(str(value))


def render_added(added: Added) -> Rendered:
    """The reply to an upload: what was understood, warnings, and an undo button."""
    verb = "Replaced" if added.replaced else "Added"
    lines = [
        f"✅ {verb} <b>{_e(added.title or added.source)}</b>",
        f"Source: <code>{_e(added.source)}</code>",
    ]
    facts = [
        ("Publisher", added.publisher),
        ("Date", pretty_date(added.published)),
        ("Council", added.council),
        ("Pages", str(added.pages) if added.pages else None),
        ("Passages", str(added.passages)),
    ]
    lines += [f"{label}: {_e(value)}" for label, value in facts if value]
    missing = [label.lower() for label, value in facts[:3] if not value]
    if missing:
        lines.append(
            f"Not stated in the document: {', '.join(missing)} (add a NAME.yaml sidecar to set them)."
        )
    lines += [f"⚠️ {_e(w)}" for w in added.warnings]
    lines.append("It is being served now.")
    return Rendered("\n".join(lines), ((Button("↩️ Undo", data=f"u:{added.undo}"),),))


def render_removed(removed: Removed) -> Rendered:
    """The reply to /remove, with an undo button when the file was kept."""
    if removed.undo is None:
        return Rendered(
            f"🗑 Removed <code>{_e(removed.source)}</code> from the index (its file was already gone from the "
            "documents folder, so there is nothing to undo).",
            (),
        )
    text = f"🗑 Removed <code>{_e(removed.source)}</code> from the index (its file is kept for undo)."
    return Rendered(text, ((Button("↩️ Undo", data=f"u:{removed.undo}"),),))


def render_unknown_source(source: str, known: Sequence[str]) -> str:
    """/remove of a source that is not indexed: the closest ones."""
    close = difflib.get_close_matches(source, known, n=3, cutoff=0.4)
    close += [k for k in known if source and source.lower() in k.lower() and k not in close][: 3 - len(close)]
    text = f"<code>{_e(source)}</code> is not in the index."
    if close:
        text += " Did you mean:\n" + "\n".join(f"<code>{_e(c)}</code>" for c in close)
    return text


def render_summary(summary: ChangeSummary) -> str:
    """The reply to /reindex."""
    parts = [
        f"{len(summary.added)} added",
        f"{len(summary.changed)} changed",
        f"{len(summary.removed)} removed",
    ]
    lines = [
        f"🔄 Re-indexed: {', '.join(parts)}, {summary.unchanged} unchanged.",
        f"Now {summary.documents} documents, {summary.passages} passages.",
    ]
    for label, names in (
        ("Added", summary.added),
        ("Changed", summary.changed),
        ("Removed", summary.removed),
    ):
        lines += [f"{label}: <code>{_e(n)}</code>" for n in names[:10]]
        if len(names) > 10:
            lines.append(f"… and {len(names) - 10} more")
    lines += [f"⚠️ <code>{_e(f.source)}</code>: {_e(f.reason)}" for f in summary.failures[:10]]
    return "\n".join(lines)


def render_prune(removing: Sequence[str], total: int, folder: str, token: str) -> Rendered:
    """The reply to a /reindex that would remove more than half the documents: what would go, and the
    buttons to confirm (``pr:TOKEN:y``) or cancel (``pr:TOKEN:n``)."""
    count = len(removing)
    lines = [
        f"⚠️ Re-indexing would remove {count} of the {total} indexed documents: their files are no longer "
        f"in {_e(folder)}. Nothing was changed.",
        *[f"<code>{_e(name)}</code>" for name in removing[:PRUNE_NAMED]],
    ]
    if count > PRUNE_NAMED:
        lines.append(f"… and {count - PRUNE_NAMED} more")
    lines.append("Remove them from the index?")
    plural = "s" if count != 1 else ""
    buttons = (
        Button(f"🗑 Remove {count} document{plural}", data=f"pr:{token}:y"),
        Button("Cancel", data=f"pr:{token}:n"),
    )
    return Rendered("\n".join(lines), (buttons,))


def render_recent(rows: Sequence[Mapping[str, object]], documents: int) -> str:
    """The reply to /docs: the latest changes, newest first."""
    lines = [f"<b>{documents} documents indexed.</b>"]
    if not rows:
        lines.append("No changes made from here yet. " + _e(UPLOAD_HELP))
        return "\n".join(lines)
    lines.append("Recent changes, newest first:")
    for row in rows:
        when = str(row.get("time", ""))[:16].replace("T", " ")
        source = row.get("source")
        what = f"<code>{_e(source)}</code>" if source else ""
        if str(row.get("action")).startswith("reindex"):
            what = f"{len(row.get('added') or [])} added, {len(row.get('removed') or [])} removed"  # type: ignore[arg-type]
        lines.append(f"{_e(when)} — {_e(row.get('action'))} {what}".rstrip())
    return "\n".join(lines)
