"""Synthetic upstream pages for scale tests and benchmarks: the real page's structure, k times the codes."""

from __future__ import annotations

import re

CODE_BLOCK_RE = re.compile(r'<h3 [^>]*id="-\d+[^"]*">-\d+ [^<]*<a [^>]*>[^<]*</a></h3>\s*<ul>.*?</ul>', re.S)
HEADING_RE = re.compile(r'(<h3 [^>]*id=")-(\d+)([^"]*)(">)-\d+ ([^<]*)(<a [^>]*href=")#-\d+[^"]*(")')


def scaled_page(html: str, factor: int) -> str:
    """The page with its code sections repeated ``factor`` times under new codes (-10000, -10001, …)."""
    blocks = CODE_BLOCK_RE.findall(html)
    if not blocks:
        raise ValueError("no code sections found to repeat")
    insert_at = html.index(blocks[-1]) + len(blocks[-1])
    extra = []
    number = 10000
    for round_ in range(1, factor):
        for block in blocks:
            def rename(match: re.Match) -> str:
                name = f"{match.group(5)}_{round_}"
                anchor = f"-{number}-{name.lower()}"
                return f'{match.group(1)}{anchor}{match.group(4)}-{number} {name}{match.group(6)}#{anchor}{match.group(7)}'

            extra.append(HEADING_RE.sub(rename, block, count=1))
            number += 1
    return html[:insert_at] + "\n".join(extra) + html[insert_at:]
