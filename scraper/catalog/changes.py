"""Compare two versions of the data and keep the history users see on the changes page.

``diff(old, new)`` says what changed between two errors.json documents: codes
added, removed and renamed; messages (of codes, of the rejection table, of the
filter table) added, removed and reworded.  ``record`` folds one new upstream
version into ``data/changes.json``: a changelog entry (newest first), when each
code and table row was first seen and last changed, and the last known text of
removed codes so their pages can say what they were.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from scraper.catalog import store
from scraper.catalog.model import ScrapeError

SCHEMA_VERSION = 1
SCHEMA_PATH = store.ROOT / "data" / "changes.schema.json"
REWORD_SIMILARITY = 0.6  # below this, a removed and an added message are two messages, not one reworded


@dataclass
class MessageChange:
    kind: str  # "code" (a code's message), "message" (rejection table), "filter" (filter table)
    key: str  # the page it belongs to: "-1003", the message text, the filter name
    text: str = ""
    old: str = ""
    new: str = ""
    code: int | None = None


@dataclass
class Diff:
    added_codes: list[dict] = field(default_factory=list)
    removed_codes: list[dict] = field(default_factory=list)
    renamed_codes: list[dict] = field(default_factory=list)
    added_messages: list[MessageChange] = field(default_factory=list)
    removed_messages: list[MessageChange] = field(default_factory=list)
    reworded_messages: list[MessageChange] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not any(asdict(self).values())

    def summary(self) -> str:
        parts = []
        if self.added_codes:
            named = ", ".join(f"{c['code']} {c['name']}" for c in self.added_codes)
            parts.append(f"+{len(self.added_codes)} code{'s' * (len(self.added_codes) != 1)} ({named})")
        if self.removed_codes:
            named = ", ".join(f"{c['code']} {c['name']}" for c in self.removed_codes)
            parts.append(f"-{len(self.removed_codes)} code{'s' * (len(self.removed_codes) != 1)} ({named})")
        if self.renamed_codes:
            parts.append(f"{len(self.renamed_codes)} renamed")
        changed = len(self.added_messages) + len(self.reworded_messages)
        parts.append(f"{changed} message{'s' * (changed != 1)} changed")
        parts.append(f"{len(self.removed_messages)} removed")
        return ", ".join(parts)


def _pair_rewordings(removed: list[str], added: list[str]) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Match each removed text to the most similar added one, when similar enough."""
    pairs, left, right = [], list(removed), list(added)
    for old in removed:
        scored = [(difflib.SequenceMatcher(None, old, new).ratio(), new) for new in right]
        if scored:
            ratio, best = max(scored)
            if ratio >= REWORD_SIMILARITY:
                pairs.append((old, best))
                left.remove(old)
                right.remove(best)
    return pairs, left, right


def _list_changes(kind: str, key: str, old: list[str], new: list[str], code: int | None, diff: Diff) -> None:
    removed = [t for t in old if t not in new]
    added = [t for t in new if t not in old]
    pairs, removed, added = _pair_rewordings(removed, added)
    diff.reworded_messages += [MessageChange(kind, key, old=o, new=n, code=code) for o, n in pairs]
    diff.removed_messages += [MessageChange(kind, key, text=t, code=code) for t in removed]
    diff.added_messages += [MessageChange(kind, key, text=t, code=code) for t in added]


def diff(old: dict | None, new: dict) -> Diff:
    result = Diff()
    old_codes = {c["code"]: c for c in (old or {}).get("codes", [])}
    new_codes = {c["code"]: c for c in new["codes"]}
    for code, entry in new_codes.items():
        before = old_codes.get(code)
        if before is None:
            result.added_codes.append({"code": code, "name": entry["name"]})
            continue
        if before["name"] != entry["name"]:
            result.renamed_codes.append({"code": code, "old": before["name"], "new": entry["name"]})
        _list_changes(
            "code", str(code), [m["text"] for m in before["messages"]], [m["text"] for m in entry["messages"]], code, result
        )
    result.removed_codes = [{"code": c, "name": e["name"]} for c, e in old_codes.items() if c not in new_codes]

    old_rows = [r["text"] for r in (old or {}).get("engine_messages", [])]
    new_rows = [r["text"] for r in new["engine_messages"]]
    removed = [t for t in old_rows if t not in new_rows]
    added = [t for t in new_rows if t not in old_rows]
    pairs, removed, added = _pair_rewordings(removed, added)
    result.reworded_messages += [MessageChange("message", n, old=o, new=n) for o, n in pairs]
    result.removed_messages += [MessageChange("message", t, text=t) for t in removed]
    result.added_messages += [MessageChange("message", t, text=t) for t in added]

    old_filters = {r["filter"]: r for r in (old or {}).get("filter_failures", [])}
    new_filters = {r["filter"]: r for r in new["filter_failures"]}
    for name, row in new_filters.items():
        before = old_filters.get(name)
        if before is None:
            result.added_messages.append(MessageChange("filter", name, text=row["text"]))
        elif before["description"] != row["description"]:
            result.reworded_messages.append(MessageChange("filter", name, old=before["description"], new=row["description"]))
    result.removed_messages += [
        MessageChange("filter", name, text=row["text"]) for name, row in old_filters.items() if name not in new_filters
    ]
    return result


def empty_history() -> dict:
    return {"schema_version": SCHEMA_VERSION, "entries": [], "seen": {}, "removed_codes": []}


def load(path: Path) -> dict | None:
    """The changelog at ``path``, validated; None when there is none yet."""
    if not Path(path).exists():
        return None
    return store.load(path, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _keys(data: dict) -> dict[str, object]:
    """What each code and row says, keyed by the page it belongs to: a change of value is a change of text."""
    keys: dict[str, object] = {}
    for code in data["codes"]:
        keys[f"code:{code['code']}"] = [code["name"], [m["text"] for m in code["messages"]]]
    for row in data["engine_messages"]:
        keys[f"message:{row['text']}"] = row["description"]
    for row in data["filter_failures"]:
        keys[f"filter:{row['filter']}"] = row["description"]
    return keys


def record(history: dict, old: dict | None, new: dict, *, version: str, date: str, sha256: str = "") -> Diff:
    """Fold ``new`` into ``history`` (in place).  Returns the diff; an empty diff records nothing."""
    change = diff(old, new)
    baseline = old is None
    if change.is_empty() and not baseline:
        return change
    before, after = (_keys(old) if old else {}), _keys(new)
    seen = history["seen"]
    for key, value in after.items():
        if key not in seen or seen[key].get("removed"):
            seen[key] = {"first_seen": date, "last_changed": date, "removed": None, "baseline": baseline}
        elif before.get(key) != value:
            seen[key]["last_changed"] = date
    for key in before:
        if key not in after and key in seen:
            seen[key]["removed"] = date
    old_codes = {c["code"]: c for c in (old or {}).get("codes", [])}
    removed = [c for c in history["removed_codes"] if c["code"] not in {e["code"] for e in new["codes"]}]
    for entry in change.removed_codes:
        last = old_codes[entry["code"]]
        removed.append(
            {
                "code": last["code"],
                "name": last["name"],
                "section": last["section"],
                "messages": [m["text"] for m in last["messages"]],
                "anchors": last["anchors"],
                "removed": date,
            }
        )
    history["removed_codes"] = sorted(removed, key=lambda c: (abs(c["code"]), c["code"]))
    history["seen"] = dict(sorted(seen.items()))
    entry = {
        "version": version,
        "date": date,
        "sha256": sha256,
        "baseline": baseline,
        "counts": {"codes": len(new["codes"]), "messages": len(new["engine_messages"]), "filters": len(new["filter_failures"])},
        "summary": f"history starts: {len(new['codes'])} codes" if baseline else change.summary(),
        **({} if baseline else _entry_lists(change)),
    }
    history["entries"].insert(0, entry)
    return change


def version_of_file_name(name: str) -> tuple[str, str]:
    """(version, date) from a history file named DATE_VERSION.md, e.g. 2026-03-09_f88f5cc.md."""


    match = re.match(r"(\d{4}-\d{2}-\d{2})_(\w+)", Path(name).stem)
    if not match:
        raise ScrapeError(f"{name}: name it DATE_VERSION.md (e.g. 2026-03-09_f88f5cc.md) to date the replay")
    return match.group(2), match.group(1)


def replay(versions: list[tuple[str, str, dict]], current: dict, origin: str) -> dict:
    """A changelog of upstream versions (version, date, data), oldest first, that must end on ``current``."""
    history, previous = empty_history(), None
    for version, date, data in versions:
        record(history, previous, data, version=version, date=date)
        previous = data
    if previous is not None and not diff(previous, current).is_empty():
        raise ScrapeError(f"{origin}: differs from the last replayed version; replay up to the data's own version")
    return history


def _entry_lists(change: Diff) -> dict:
    def changes(items: list[MessageChange]) -> list[dict]:
        return [{k: v for k, v in asdict(item).items() if v not in ("", None)} for item in items]

    return {
        "added_codes": change.added_codes,
        "removed_codes": change.removed_codes,
        "renamed_codes": change.renamed_codes,
        "added_messages": changes(change.added_messages),
        "removed_messages": changes(change.removed_messages),
        "reworded_messages": changes(change.reworded_messages),
    }


# --- the errors beyond the error page (data/statuses.json) ----------------------------------


def _status_lines(statuses: dict | None) -> dict[tuple[str, str], str]:
    """What each page of data/statuses.json says, line by line: (page, what) -> text."""
    if not statuses:
        return {}
    lines: dict[tuple[str, str], str] = {}
    for status in statuses["http"]:
        for said in status["said"]:
            lines[(f"http:{status['status']}", said["doc"])] = said["text"]
    for error in statuses["stream_errors"]:
        for message in error["messages"]:
            lines[(f"ws-stream:{error['code']}", message["text"])] = message["description"]
    for reason in statuses["reject_reasons"]:
        lines[("reject-reason", reason["reason"])] = reason["message"]
    for reason in statuses["expiry_reasons"]:
        lines[("expiry-reason", reason["reason"])] = reason["explanation"]
    for reason in statuses["session_reject_reasons"]:
        lines[("session-reject-reason", str(reason["value"]))] = reason["name"]
    return lines


def status_changes(old: dict | None, new: dict) -> list[dict]:
    """Each line of the statuses that upstream added, removed or changed: {page, what, old, new}."""
    before, after = _status_lines(old), _status_lines(new)
    found = []
    for key in sorted(set(before) | set(after)):
        if before.get(key) != after.get(key):
            found.append({"page": key[0], "what": key[1], "old": before.get(key, ""), "new": after.get(key, "")})
    return found


def record_statuses(history: dict, errors: dict, found: list[dict], *, date: str, with_latest: bool) -> None:
    """Fold changes of the statuses into the changelog: into the entry this run just recorded for
    the error page (``with_latest``), else a new one."""
    summary = f"statuses and stream errors: {len(found)} line{'s' * (len(found) != 1)} changed"
    entries = history["entries"]
    if with_latest:
        entries[0]["statuses"] = found
        entries[0]["summary"] += f"; {summary}"
        return
    entries.insert(0, {
        "version": f"{date} docs",
        "date": date,
        "sha256": "",
        "baseline": False,
        "counts": {"codes": len(errors["codes"]), "messages": len(errors["engine_messages"]), "filters": len(errors["filter_failures"])},
        "summary": summary,
        "statuses": found,
    })
