"""The changelog (data/changes.json) as an Atom feed, for people who want to be told."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET


def atom_feed(history: dict) -> str:
    """The changelog as Atom.  Dates come from the entries, so the same history gives the same bytes."""
    ns = "http://www.w3.org/2005/Atom"
    ET.register_namespace("", ns)
    feed = ET.Element(f"{{{ns}}}feed")
    ET.SubElement(feed, f"{{{ns}}}title").text = "Binance Spot API (testnet) errors: what changed upstream"
    ET.SubElement(feed, f"{{{ns}}}id").text = "urn:binance-spot-errors-reference:changes"
    entries = history["entries"]
    ET.SubElement(feed, f"{{{ns}}}updated").text = f"{entries[0]['date']}T00:00:00Z" if entries else "1970-01-01T00:00:00Z"
    ET.SubElement(feed, f"{{{ns}}}link", href="./", rel="alternate")
    for entry in entries:
        item = ET.SubElement(feed, f"{{{ns}}}entry")
        ET.SubElement(item, f"{{{ns}}}title").text = f"{entry['date']}: {entry['summary']}"
        ET.SubElement(item, f"{{{ns}}}id").text = f"urn:binance-spot-errors-reference:change:{entry['date']}:{entry['version']}"
        ET.SubElement(item, f"{{{ns}}}updated").text = f"{entry['date']}T00:00:00Z"
        ET.SubElement(item, f"{{{ns}}}link", href=f"./#{entry_anchor(entry)}", rel="alternate")
        lines = [f"{c['code']} {c['name']} added" for c in entry.get("added_codes", [])]
        lines += [f"{c['code']} {c['name']} removed" for c in entry.get("removed_codes", [])]
        lines += [f"{c['code']} renamed {c['old']} -> {c['new']}" for c in entry.get("renamed_codes", [])]
        lines += [f"added: {m.get('text')}" for m in entry.get("added_messages", [])]
        lines += [f"removed: {m.get('text')}" for m in entry.get("removed_messages", [])]
        lines += [f"reworded: {m.get('old')} -> {m.get('new')}" for m in entry.get("reworded_messages", [])]
        ET.SubElement(item, f"{{{ns}}}summary").text = "\n".join(lines) or entry["summary"]
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"


def entry_anchor(entry: dict) -> str:
    """The id MkDocs' toc gives the entry's heading ('2026-03-09 · version f88f5cc')."""
    return re.sub(r"[^\w\- ]", "", f"{entry['date']} version {entry['version']}".lower()).strip().replace(" ", "-")
