"""resolver.js in Chromium answers exactly as scraper/resolve.py: step by step, and on every test input."""

from __future__ import annotations

import csv

import pytest
from conftest import FIXTURES, ROOT, committed_inputs, inputs_with
from support.evaluate import (
    COLLECTED2_DEV_PATH,
    COLLECTED2_HOLDOUT_PATH,
    COLLECTED_DEV_PATH,
    HOLDOUT_PATH,
    HTTP_PATH,
    browser_answers,
    harness,
    load_cases,
    open_harness,
    python_answers,
    report,
)
from test_resolve import EVAL_CORRECT, UNIT_INPUTS

from scraper.catalog import store
from scraper.search import resolve, search_index
from scraper.search import words as search_words

pytestmark = pytest.mark.browser

DATA = ROOT / "data" / "errors.json"


@pytest.fixture(scope="module")
def data() -> dict:
    return store.load(DATA)


def corpus(data: dict) -> list[str]:
    """Many real texts with many words: every upstream text of the data, and ccxt's whole exception table."""
    texts = [case.input for case in load_cases()] + UNIT_INPUTS
    texts += [case.input for path in (COLLECTED_DEV_PATH, HOLDOUT_PATH, HTTP_PATH, COLLECTED2_DEV_PATH, COLLECTED2_HOLDOUT_PATH) for case in load_cases(path)]
    for code in data["codes"]:
        texts += [code["name"]] + [m["plain"] for m in code["messages"]]
    for row in data["engine_messages"] + data["filter_failures"]:
        texts += [row["plain"], row["description"]]
    lines = (FIXTURES / "upstream-history" / "ccxt-binance-exceptions.tsv").read_text(encoding="utf-8").splitlines()
    table = [line for line in lines if not line.startswith("#")]
    for row in csv.DictReader(table, delimiter="\t", quoting=csv.QUOTE_NONE):
        texts += [row["key"], row["comment"], f"{row['exception_class']}: {row['comment']}"]
    return list(dict.fromkeys(texts + variants(data) + wild_and_foreign()))


def wild_and_foreign() -> list[str]:
    """Wordings seen in the wild, whole, run on and with their code; other products' messages with their codes."""
    inputs = committed_inputs()
    wild, others = inputs.wild["wordings"], inputs.others
    out = []
    for wording in wild:
        text = wording["text"]
        out += [text, text.rstrip(".") + " match", f'{{"code":{wording["code"] or -1013},"msg":"{text}"}}', f"Error: {text} (at line 3)"]
    for entry in others["codes"] + others["reused_spot_numbers"]:
        for message in entry["messages"]:
            out += [message, f'{{"code":{entry["code"]},"msg":"{message}"}}', f"APIError(code={entry['code']}): {entry.get('name', '')}"]
    return out


def variants(data: dict) -> list[str]:
    """Each upstream message cut short and with words dropped, alone and after its code or another:
    inputs near every threshold and through every branch the scoring has."""
    pages = search_index.build_index(data)["pages"]
    out = []
    for page, text in search_index.current_texts(data, pages):
        found = text.split()
        cut = [" ".join(found[: max(1, round(len(found) * keep))]) for keep in (0.6, 0.8)]
        cut += [" ".join(word for i, word in enumerate(found) if i % step != step - 1) for step in (2, 3, 4, 5)]
        codes = pages[page]["codes"][:1] + [-1013]
        out += cut + [f"APIError(code={code}): {variant}" for variant in cut for code in codes]
    return out


def python_steps(index: dict, text: str) -> dict:
    normalized = search_words.normalize(text)
    found = search_words.words(normalized)
    code = resolve.find_code(index, normalized)
    return {
        "normalized": normalized,
        "words": found,
        "keywords": search_words.keywords(found),
        "code": [code.value, code.known] if code else None,  # not `end`: Python counts code points, JS UTF-16 units
        "segments": resolve.segments(normalized, code),
        "phrase": search_words.phrase_words(normalized),
    }


BROWSER_STEPS = """inputs => inputs.map(text => {
    const I = ErrorResolver.internals;
    const normalized = I.normalize(text);
    const found = I.words(normalized);
    const code = I.findCode(normalized);
    return {normalized, words: found, keywords: I.keywords(found),
            code: code ? [code.value, code.known] : null, segments: I.segments(normalized, code),
            phrase: I.phraseWords(normalized)};
})"""


def twin_differences(browser, index: dict, inputs: list[str]) -> tuple[list[dict | None], list[str]]:
    """Run both on every input; the browser's answers and a line per input where any step differs."""
    with harness(index) as url:
        page = open_harness(browser, url)
        try:
            answers = browser_answers(page, inputs)
            steps = page.evaluate(BROWSER_STEPS, inputs)
        finally:
            page.close()
    differences = []
    for text, python, browser_answer, browser_steps in zip(inputs, python_answers(index, inputs), answers, steps):
        if python != browser_answer:
            differences.append(f"{text!r}\n  python  {python}\n  browser {browser_answer}")
        expected = python_steps(index, text)
        for step, value in expected.items():
            if browser_steps[step] != value:
                differences.append(f"{text!r} {step}\n  python  {value}\n  browser {browser_steps[step]}")
    return answers, differences


# `browser` (conftest.py): the session's Chromium, skipped with its reason when /usr/bin/chromium is absent.
def test_browser_twin_matches_python_on_the_site_index(browser, data):
    cases = load_cases()
    inputs = corpus(data)
    answers, differences = twin_differences(browser, search_index.index_for(inputs_with(data)), inputs)
    assert len(inputs) > 2000
    assert not differences, f"{len(differences)} differences:\n" + "\n".join(differences[:20])
    result = report("browser", data, cases, answers[: len(cases)])
    assert result.correct >= EVAL_CORRECT, "\n".join(result.lines())


def test_browser_twin_matches_python_without_history(browser, data):
    """Another index, same agreement: the twin follows the index, not a copy of today's data."""
    inputs = [case.input for case in load_cases()] + UNIT_INPUTS
    _, differences = twin_differences(browser, search_index.build_index(data), inputs)
    assert not differences, "\n".join(differences[:20])
