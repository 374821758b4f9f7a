"""Curated guidance (``data/guidance.yaml``): load, validate, and hold it against the data.

The guidance is written by hand and keyed by what the scraped data names: an error code,
a filter, the text of a rejection message.  Two ways it can drift from the data:

* a key the data does not have (a typo, or upstream removed the code): ``check`` lists
  them and ``require_known`` fails the build, because a page would silently lose its advice;
* data the guidance does not cover yet (upstream added a code): ``coverage`` lists them,
  so a newcomer sees what to write next.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from scraper.catalog import statusdefs, store, upstream_docs
from scraper.catalog.model import ScrapeError
from scraper.catalog.store import ROOT

SCHEMA_PATH = ROOT / "data" / "guidance.schema.json"
TRANSLATION_SCHEMA_PATH = ROOT / "data" / "guidance.zh-CN.schema.json"
SECTIONS = ("codes", "filters", "messages")  # keyed by what data/errors.json (and the filters page) names
STATUS_SECTIONS = ("statuses", "stream_errors")  # keyed by what data/statuses.json names
ALL_SECTIONS = SECTIONS + STATUS_SECTIONS
# Most careful first: the order of the published enum, the schemas and the labels.
RETRY_CLASSES = (
    "check-status",  # the request may have executed: look before resending (-1006, -1007, HTTP 5XX)
    "backoff",
    "reconnect",  # the session is closing: open a new one (FIX -1035)
    "fix-request",
    "check-balance",
    "check-open-orders",
    "check-account",  # the API key, its permissions, or what the account may do
    "do-not-retry",
)


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when the wheel has it: 10x faster
    """PyYAML keeps the last of two equal keys; in hand-written guidance that hides a mistake."""


def _mapping_without_duplicates(loader: _UniqueKeyLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def _display(path: Path) -> str:
    """Paths relative to the repository when inside it: error messages stay short and stable."""
    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def parse(text: str, origin: str) -> dict:
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}: " if mark else ""
        raise ScrapeError(f"{origin}: not valid YAML ({where}{error.problem or error.context})") from None
    except yaml.YAMLError as error:
        raise ScrapeError(f"{origin}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise ScrapeError(f"{origin}: expected a mapping with {', '.join(SECTIONS)}")
    return data


def _reject_number_keys(data: dict, origin: str) -> None:
    """An unquoted code (-1021:) loads as a number; say so instead of a schema riddle."""
    for section in ALL_SECTIONS:
        for key in data.get(section) or {}:
            if not isinstance(key, str):
                raise ScrapeError(f'{origin}: {section}: key {key!r} is not a string; quote it ("{key}")')


def validate(data: dict, origin: str) -> None:
    _reject_number_keys(data, origin)
    store.validate(data, origin, json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def load(path: Path) -> dict:
    origin = _display(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScrapeError(f"{origin}: no such file") from None
    except UnicodeDecodeError as error:
        raise ScrapeError(f"{origin}: not UTF-8 text (byte {error.start})") from None
    data = parse(text, origin)
    validate(data, origin)
    return data


def load_translation(path: Path) -> dict | None:
    """data/guidance.zh-CN.yaml, validated; None when the folder has none."""
    if not Path(path).exists():
        return None
    origin = _display(path)
    data = parse(Path(path).read_text(encoding="utf-8"), origin)
    _reject_number_keys(data, origin)
    store.validate(data, origin, json.loads(TRANSLATION_SCHEMA_PATH.read_text(encoding="utf-8")))
    return data


# What a translation keeps as it is: code spans, numbers, URLs (in this order of removal).
_CODE_SPAN = re.compile(r"`[^`]+`")
_URL = re.compile(r"https?://[^\s)`，。]+")
_NUMBER = re.compile(r"(?<![A-Za-z0-9_`.])-?\d+(?:\.\d+)?(?![A-Za-z0-9_`])")


def kept_as_is(text: str) -> tuple[list[str], list[str], list[str]]:
    """The code spans, numbers and URLs of a text, sorted: the same in a text and its translation."""
    without_code = _CODE_SPAN.sub(" ", text)
    return sorted(_CODE_SPAN.findall(text)), sorted(_NUMBER.findall(_URL.sub(" ", without_code))), sorted(_URL.findall(without_code))


def translation_problems(english: dict, chinese: dict, origin: str = "data/guidance.zh-CN.yaml") -> list[str]:
    """One line per key the translation lacks or has too many of, and per text whose code spans,
    numbers or URLs differ from the English; [] when the two are in step."""
    problems = []
    for section in ALL_SECTIONS:
        en, zh = english.get(section) or {}, chinese.get(section) or {}
        problems += [f"{origin}: {section}: no translation of {key!r}" for key in en if key not in zh]
        problems += [f"{origin}: {section}: {key!r} is not in the English guidance" for key in zh if key not in en]
        for key in (k for k in en if k in zh):
            for field in ("causes", "fix"):
                if len(en[key][field]) != len(zh[key][field]):
                    problems.append(f"{origin}: {section}/{key}/{field}: {len(zh[key][field])} items, the English has {len(en[key][field])}")
                    continue
                problems += [
                    f"{origin}: {section}/{key}/{field}[{i}]: code spans, numbers or URLs differ from the English"
                    for i, (a, b) in enumerate(zip(en[key][field], zh[key][field]))
                    if kept_as_is(a) != kept_as_is(b)
                ]
            english_why = en[key].get("example", {}).get("why")
            if (english_why is None) != ("why" not in zh[key]):
                problems.append(f"{origin}: {section}/{key}: the worked example's why in one language only")
            elif english_why is not None and kept_as_is(english_why) != kept_as_is(zh[key]["why"]):
                problems.append(f"{origin}: {section}/{key}/why: code spans, numbers or URLs differ from the English")
            if ("check_status" in en[key]) != ("check_status" in zh[key]):
                problems.append(f"{origin}: {section}/{key}: check_status in one language only")
            elif "check_status" in en[key] and kept_as_is(en[key]["check_status"]) != kept_as_is(zh[key]["check_status"]):
                problems.append(f"{origin}: {section}/{key}/check_status: code spans, numbers or URLs differ from the English")
    return problems


def require_translation(english: dict, chinese: dict | None, origin: str = "data/guidance.zh-CN.yaml") -> None:
    """Fail the build when the Chinese guidance is out of step with the English: one line."""
    problems = translation_problems(english, chinese or {}, origin) if chinese is not None else []
    if problems:
        raise ScrapeError(problems[0] + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))


TRANSLATED_FIELDS = ("causes", "fix", "check_status")  # the rest (retry, channels, sources, examples) is the English file's


def localized(english: dict, chinese: dict) -> dict:
    """The English guidance with each entry's texts in the translation's words (run require_translation first)."""
    result = dict(english)  # its review date stays the English file's: the date the claims were checked upstream
    for section in ALL_SECTIONS:
        translated = chinese.get(section) or {}
        result[section] = {key: _localized_entry(entry, translated.get(key, {})) for key, entry in (english.get(section) or {}).items()}
    return result


def _localized_entry(entry: dict, translated: dict) -> dict:
    result = entry | {f: translated[f] for f in TRANSLATED_FIELDS if f in translated}
    if "example" in entry and "why" in translated:
        result["example"] = entry["example"] | {"why": translated["why"]}
    return result


# --- the guidance against the data -------------------------------------------


def data_keys(data: dict, filters: dict | None = None) -> dict[str, list[str]]:
    """Every key the guidance may use, per section, in the data's order.

    Filters: those the error page lists as failures, then those only the filters page
    defines (PERCENT_PRICE_BY_SIDE, MAX_ASSET, …) when ``filters`` (data/filters.json) is given.
    """
    codes = [str(c["code"]) for c in data["codes"]]
    failures = [row["filter"] for row in data["filter_failures"]]
    defined = [f["name"] for f in (filters or {}).get("filters", [])]
    messages = [row["text"] for row in data["engine_messages"]]
    return {
        "codes": _unique(codes),
        "filters": _unique(failures + defined),
        "messages": _unique(messages),
    }


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


_WHAT = {"codes": "code", "filters": "filter", "messages": "rejection message"}


def check(guidance: dict, data: dict, filters: dict | None = None, origin: str = "data/guidance.yaml") -> list[str]:
    """One line per guidance key that names nothing in the data; [] when every key is known."""
    known = data_keys(data, filters)
    where = "errors.json" + (" or filters.json" if filters else "")
    problems = []
    for section in SECTIONS:
        allowed = set(known[section])
        for key in guidance.get(section, {}):
            if key not in allowed:
                problems.append(f"{origin}: {section}: unknown {_WHAT[section]} {key!r} (not in {where})")
    return problems


def require_known(guidance: dict, data: dict, filters: dict | None = None, origin: str = "data/guidance.yaml") -> None:
    """Fail the build on a key the data does not have: one line naming the file and the keys."""
    problems = check(guidance, data, filters, origin)
    if problems:
        first = problems[0]
        more = f" (and {len(problems) - 1} more unknown keys)" if len(problems) > 1 else ""
        raise ScrapeError(first + more)


def check_statuses(guidance: dict, statuses: dict | None, origin: str = "data/guidance.yaml") -> list[str]:
    """One line per ``statuses`` or ``stream_errors`` key that names no page of data/statuses.json."""
    known = statusdefs.guidance_keys(statuses)
    return [
        f"{origin}: {section}: unknown key {key!r} (not in statuses.json)"
        for section in STATUS_SECTIONS
        for key in guidance.get(section) or {}
        if key not in known[section]
    ]


def require_known_statuses(guidance: dict, statuses: dict | None, origin: str = "data/guidance.yaml") -> None:
    problems = check_statuses(guidance, statuses, origin)
    if problems:
        raise ScrapeError(problems[0] + (f" (and {len(problems) - 1} more unknown keys)" if len(problems) > 1 else ""))


def source_problems(guidance: dict, docs: dict) -> list[str]:
    """Each guidance source whose quote its upstream section no longer holds (``docs`` from upstream_docs.load).
    A ``url`` source (a user's report, where upstream says nothing) has no vendored copy to hold it to."""
    return [
        f"{section}/{key}: {problem}"
        for section in ALL_SECTIONS
        for key, entry in (guidance.get(section) or {}).items()
        for source in entry.get("sources", [])
        if "doc" in source and (problem := upstream_docs.problem(docs, source))
    ]


def unsourced(guidance: dict) -> list[str]:
    """The entries that name no source."""
    return [f"{section}/{key}" for section in ALL_SECTIONS for key, entry in (guidance.get(section) or {}).items() if not entry.get("sources")]


@dataclass(frozen=True)
class SectionCoverage:
    label: str  # what the report calls this group
    section: str  # the guidance section that covers it
    expected: tuple[str, ...]
    missing: tuple[str, ...]

    def line(self) -> str:
        covered = len(self.expected) - len(self.missing)
        return f"{self.label:<16} {covered:>4}/{len(self.expected):<4}" + (" complete" if not self.missing else "")


@dataclass(frozen=True)
class Coverage:
    groups: tuple[SectionCoverage, ...]
    unknown: tuple[str, ...]  # lines from check()

    @property
    def complete(self) -> bool:
        return not any(group.missing for group in self.groups)

    @property
    def missing(self) -> dict[str, list[str]]:
        result: dict[str, list[str]] = {}
        for group in self.groups:
            result.setdefault(group.section, []).extend(group.missing)
        return result

    def report(self) -> str:
        lines = [group.line() for group in self.groups]
        for group in self.groups:
            for key in group.missing:
                lines.append(f"missing {group.section}: {key}")
        if self.unknown:
            lines.append(f"unknown keys: {len(self.unknown)}")
        return "\n".join(lines)


def coverage(
    guidance: dict, data: dict, filters: dict | None = None, origin: str = "data/guidance.yaml", statuses: dict | None = None
) -> Coverage:
    """Which codes, filters, rejection messages (and, given ``statuses``, HTTP statuses and stream errors) still have no guidance."""
    failures = _unique(row["filter"] for row in data["filter_failures"])
    page_only = [f["name"] for f in (filters or {}).get("filters", []) if f["name"] not in failures]
    groups = [
        ("codes", "codes", [str(c["code"]) for c in data["codes"]]),
        ("filter failures", "filters", failures),
        ("filters page", "filters", page_only),
        ("messages", "messages", _unique(row["text"] for row in data["engine_messages"])),
    ]
    if statuses is not None:
        keys = statusdefs.guidance_keys(statuses)
        groups += [("HTTP statuses", "statuses", keys["statuses"]), ("stream errors", "stream_errors", keys["stream_errors"])]
    result = []
    for label, section, expected in groups:
        if label == "filters page" and filters is None:
            continue
        have = guidance.get(section, {})
        result.append(SectionCoverage(label, section, tuple(expected), tuple(k for k in expected if k not in have)))
    unknown = check(guidance, data, filters, origin) + (check_statuses(guidance, statuses, origin) if statuses is not None else [])
    return Coverage(groups=tuple(result), unknown=tuple(unknown))
