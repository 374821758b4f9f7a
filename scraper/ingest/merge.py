"""Join the locale copies of the page into one catalog, losing nothing.

English is primary.  Where the zh-CN copy agrees, a record just gains its zh-CN
anchor; where it differs (a real translation, other wording, a code or row only
one copy has), the difference is kept as a translation or as a record of its own,
and :class:`LocaleConsistency` counts what happened.
"""

from __future__ import annotations

from scraper.catalog.model import (
    LOCALES,
    Catalog,
    CatalogSection,
    Code,
    CodeEntry,
    LocaleConsistency,
    Message,
    ParsedCopy,
    Row,
    ScrapeError,
    TableRow,
)
from scraper.ingest.guards import refuse_incomplete_copies


def _url(copy: ParsedCopy, anchor: str | None) -> str:
    return f"{copy.page_url}#{anchor}" if anchor else copy.page_url


def _locale_order(locale: str) -> int:
    return LOCALES.index(locale) if locale in LOCALES else len(LOCALES)


def _code_record(entry: CodeEntry, copy: ParsedCopy) -> Code:
    return Code(
        code=entry.code,
        name=entry.name,
        section=entry.section,
        origin=entry.origin,
        messages=[Message.of(text) for text in entry.messages],
        anchors={copy.locale: _url(copy, entry.anchor)},
        locales=[copy.locale],
    )


def _row_record(row: TableRow, copy: ParsedCopy) -> Row:
    message = Message.of(row.text)
    return Row(
        text=row.text,
        plain=message.plain,
        placeholders=message.placeholders,
        pattern=message.pattern,
        description=row.description,
        codes=list(row.codes),
        anchors={copy.locale: _url(copy, row.anchor)},
        locales=[copy.locale],
        filter=row.filter,
        referenced_by=list(row.referenced_by),
    )


def _merge_rows(
    primary: list[Row], copy: ParsedCopy, rows: list[TableRow], key
) -> tuple[int, int, int, int]:
    by_key = {key(row): row for row in primary}
    seen = set()
    identical = translated = extra = 0
    for table_row in rows:
        record = by_key.get(key(table_row))
        if record is None:
            primary.append(_row_record(table_row, copy))
            extra += 1
            continue
        seen.add(key(table_row))
        record.anchors[copy.locale] = _url(copy, table_row.anchor)
        record.locales.append(copy.locale)
        if (table_row.text, table_row.description) == (record.text, record.description):
            identical += 1
        else:
            record.translations[copy.locale] = {"text": table_row.text, "description": table_row.description}
            translated += 1
    missing = sum(1 for k in by_key if k not in seen)
    return identical, translated, missing, extra


def merge(copies: list[ParsedCopy]) -> Catalog:
    if not copies:
        raise ScrapeError("no source given")
    by_locale: dict[str, ParsedCopy] = {}
    for copy in copies:
        if copy.locale in by_locale:
            raise ScrapeError(
                f"{copy.source.origin}: a second {copy.locale} copy (the first came from "
                f"{by_locale[copy.locale].source.origin})"
            )
        by_locale[copy.locale] = copy
    ordered = sorted(by_locale.values(), key=lambda c: _locale_order(c.locale))
    # Every merge goes through here (scrape, rebuild, history): English must be there, and a
    # copy missing most codes is a broken parse the other copy's codes would otherwise hide.
    refuse_incomplete_copies(ordered)
    primary, others = ordered[0], ordered[1:]

    codes = {entry.code: _code_record(entry, primary) for entry in primary.codes}
    engine = [_row_record(row, primary) for row in primary.engine_messages]
    filters = [_row_record(row, primary) for row in primary.filter_failures]
    sections = [
        CatalogSection(title=s.title, anchors={primary.locale: _url(primary, s.anchor)}, aliases=list(s.aliases))
        for s in primary.sections
    ]
    consistency: dict[str, LocaleConsistency] = {}

    for copy in others:
        identical = translated = extra = 0
        for entry in copy.codes:
            record = codes.get(entry.code)
            if record is None:
                codes[entry.code] = _code_record(entry, copy)
                extra += 1
                continue
            record.anchors[copy.locale] = _url(copy, entry.anchor)
            record.locales.append(copy.locale)
            if entry.name == record.name and entry.messages == [m.text for m in record.messages]:
                identical += 1
            else:
                record.translations[copy.locale] = {"name": entry.name, "messages": list(entry.messages)}
                translated += 1
        in_copy = {entry.code for entry in copy.codes}
        missing = sum(1 for entry in primary.codes if entry.code not in in_copy)
        rows = _merge_rows(engine, copy, copy.engine_messages, key=lambda r: r.text)
        filter_rows = _merge_rows(filters, copy, copy.filter_failures, key=lambda r: r.filter)
        consistency[copy.locale] = LocaleConsistency(
            codes=len(copy.codes),
            identical=identical,
            translated=translated,
            missing=missing,
            extra=extra,
            rows=len(copy.engine_messages) + len(copy.filter_failures),
            rows_identical=rows[0] + filter_rows[0],
            rows_translated=rows[1] + filter_rows[1],
            rows_missing=rows[2] + filter_rows[2],
            rows_extra=rows[3] + filter_rows[3],
        )
        _merge_sections(sections, copy)

    return Catalog(
        title=primary.title,
        primary_locale=primary.locale,
        source={c.locale: c.source for c in ordered},
        consistency=consistency,
        sections=sections,
        # upstream's order: -1000, -1001, …, -2043
        codes=sorted(codes.values(), key=lambda c: (abs(c.code), c.code)),
        engine_messages=engine,
        filter_failures=filters,
    )


def _merge_sections(sections: list[CatalogSection], copy: ParsedCopy) -> None:
    """Sections pair up by position: a translated title has another anchor, the order stays."""
    if len(copy.sections) != len(sections):
        for section in copy.sections:
            match = next((s for s in sections if s.title == section.title), None)
            if match:
                match.anchors[copy.locale] = _url(copy, section.anchor)
                match.aliases = sorted(set(match.aliases) | set(section.aliases))
        return
    for record, section in zip(sections, copy.sections):
        record.anchors[copy.locale] = _url(copy, section.anchor)
        record.aliases = sorted(set(record.aliases) | set(section.aliases))
        if section.title != record.title:
            record.translations[copy.locale] = {"title": section.title}
