"""Upstream's Chinese error page (errors_CN.md) held against the English data: by code, and by table row.

The Chinese copy translates upstream's *production* error page, the English data is the testnet
page: the two can list other codes and rows.  Nothing is mixed silently: what only one copy has
is kept as such, so the Chinese pages can say which text is upstream's translation, which is the
English shown because no translation exists, and what the Chinese copy has that the English lacks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scraper.catalog.model import DOCS_SOURCE_URL, CodeEntry, ParsedCopy

TRANSLATION_DOC = "errors_CN.md"  # upstream's own Chinese translation of the (production) error page


@dataclass(frozen=True)
class ChineseCode:
    name: str
    messages: list[str]
    url: str  # the code's heading in upstream's Chinese page


@dataclass(frozen=True)
class ChineseCopy:
    doc: str  # the file, as upstream names it
    url: str  # where a reader finds it upstream
    sha256: str
    codes: dict[int, ChineseCode] = field(default_factory=dict)
    rows: dict[str, str] = field(default_factory=dict)  # "filter:LOT_SIZE" / "message:<text>" -> its description
    sections: dict[str, str] = field(default_factory=dict)  # English section title -> the Chinese one
    only_chinese_codes: list[CodeEntry] = field(default_factory=list)  # codes the English data lacks
    only_chinese_rows: list[str] = field(default_factory=list)  # row keys the English data lacks
    untranslated_codes: list[int] = field(default_factory=list)  # English codes without a Chinese entry
    untranslated_rows: list[str] = field(default_factory=list)  # English row keys without a Chinese description

    def code(self, code: int) -> ChineseCode | None:
        return self.codes.get(code)

    def row(self, key: str) -> str | None:
        return self.rows.get(key)


def row_key(row) -> str:
    """A table row's key in both copies: the filter's name, or the message's English text."""
    filter_name = row.get("filter") if isinstance(row, dict) else row.filter
    text = row["text"] if isinstance(row, dict) else row.text
    return f"filter:{filter_name}" if filter_name else f"message:{text}"


def held_against(copy: ParsedCopy | None, shown: dict) -> ChineseCopy | None:
    """The Chinese copy merged by code and by row with ``shown`` (the error data the site shows)."""
    if copy is None:
        return None
    url = f"{DOCS_SOURCE_URL}{TRANSLATION_DOC}"
    english_codes = {c["code"]: c for c in shown["codes"]}
    english_rows = [row_key(r) for r in shown["filter_failures"] + shown["engine_messages"]]
    chinese_rows = {row_key(r): r.description for r in copy.filter_failures + copy.engine_messages}
    codes = {
        entry.code: ChineseCode(entry.name, list(entry.messages), f"{url}#{entry.anchor}" if entry.anchor else url)
        for entry in copy.codes
        if entry.code in english_codes
    }
    return ChineseCopy(
        doc=TRANSLATION_DOC,
        url=url,
        sha256=copy.source.sha256,
        codes=codes,
        rows={key: chinese_rows[key] for key in english_rows if key in chinese_rows},
        sections=_section_titles(copy, shown),
        only_chinese_codes=[entry for entry in copy.codes if entry.code not in english_codes],
        only_chinese_rows=[key for key in chinese_rows if key not in set(english_rows)],
        untranslated_codes=[code for code in english_codes if code not in codes],
        untranslated_rows=[key for key in english_rows if key not in chinese_rows],
    )


def _section_titles(copy: ParsedCopy, shown: dict) -> dict[str, str]:
    """Each English section's Chinese title: the Chinese section its first code or row sits in."""
    chinese_section_of_code = {entry.code: entry.section for entry in copy.codes}
    anchor_titles = {section.anchor: section.title for section in copy.sections}
    chinese_section_of_row = {row_key(r): anchor_titles.get(r.anchor) for r in copy.filter_failures + copy.engine_messages}
    titles: dict[str, str] = {}
    for code in shown["codes"]:
        title = chinese_section_of_code.get(code["code"])
        if code["section"] and title:
            titles.setdefault(code["section"], title)
    for section in shown["sections"]:
        english_anchor = section["anchors"].get("en")
        rows = [r for r in shown["filter_failures"] + shown["engine_messages"] if r["anchors"].get("en") == english_anchor]
        found = next((chinese_section_of_row.get(row_key(r)) for r in rows if chinese_section_of_row.get(row_key(r))), None)
        if found:
            titles.setdefault(section["title"], found)
    return titles
