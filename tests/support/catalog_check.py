"""Does a translation catalog match the templates' wording?

``missing_and_unused(templates_dir, catalog)``: the wordings the templates pass to ``_()``,
``gettext`` or ``{% trans %}`` that the catalog lacks, and the catalog's keys no template uses.
Jinja's own extractor finds the wordings, as the i18n extension reads them at render time.
``kept_apart(catalog)``: the translations whose placeholders, link targets, code spans, numbers
or URLs differ from their English wording's.

Run as a script, it checks templates/locale/*.yaml and lists what is wrong.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml
from jinja2 import Environment

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"


def msgids(templates_dir: Path | str) -> dict[str, list[str]]:
    """Each wording the templates translate -> where (template:line), in template order."""
    env = Environment(extensions=["jinja2.ext.i18n", "jinja2.ext.do"])
    found: dict[str, list[str]] = {}
    for path in sorted(Path(templates_dir).glob("*.j2")):
        for lineno, _func, message in env.extract_translations(path.read_text(encoding="utf-8")):
            # ngettext gives a tuple (singular, plural, None for the count); each string is a wording
            for text in message if isinstance(message, tuple) else (message,):
                if isinstance(text, str):
                    found.setdefault(text, []).append(f"{path.name}:{lineno}")
    return found


def missing_and_unused(templates_dir: Path | str, catalog: Mapping[str, str] | Iterable[str]) -> tuple[list[str], list[str]]:
    """The templates' wordings the catalog lacks, and the catalog's keys no template uses."""
    used = msgids(templates_dir)
    keys = set(catalog)
    return [m for m in used if m not in keys], sorted(k for k in keys if k not in used)


# what the template or Python fills in (%(count)s, {page}, {month:02d} with its format left to each language),
# and a Markdown link's target
_PLACEHOLDER = re.compile(r"%\(\w+\)s|\{\w+(?=[:}])")
_LINK_TARGET = re.compile(r"\]\(([^)\s]*)\)")
# fields only English needs, which a translation may leave out: {a}, the article search.js picks ("a"/"an")
ENGLISH_ONLY_FIELDS = {"{a"}


def kept_apart(catalog: Mapping[str, str]) -> list[str]:
    """The English wordings whose translation does not keep their placeholders, link targets,
    code spans, numbers and URLs (each as many times as the English has it)."""
    from scraper.catalog.guidance import kept_as_is  # the guidance's translation keeps the same

    def kept(text: str) -> tuple:
        fields = [f for f in _PLACEHOLDER.findall(text) if f not in ENGLISH_ONLY_FIELDS]
        return sorted(fields), sorted(_LINK_TARGET.findall(text)), kept_as_is(text)

    return [english for english, translation in catalog.items() if kept(english) != kept(translation)]


def main() -> int:
    failed = False
    for path in sorted((TEMPLATES / "locale").glob("*.yaml")):
        catalog = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        missing, unused = missing_and_unused(TEMPLATES, catalog)
        apart = kept_apart(catalog)
        for message in missing:
            print(f"{path.name}: missing {message!r}")
        for message in unused:
            print(f"{path.name}: unused {message!r}")
        for message in apart:
            print(f"{path.name}: placeholders, link targets, code spans, numbers or URLs differ: {message!r}")
        print(f"{path.name}: {len(catalog)} wordings, {len(missing)} missing, {len(unused)} unused, {len(apart)} differing")
        failed = failed or bool(missing or unused or apart)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # run as a script: scraper importable from the checkout
    sys.exit(main())
