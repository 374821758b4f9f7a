"""The Chinese guidance (data/guidance.zh-CN.yaml) in step with the English: same keys, same code spans, numbers, URLs."""

from __future__ import annotations

import copy
import dataclasses
import re
import subprocess
import sys

import pytest
from conftest import ROOT, committed_inputs

from scraper.catalog import guidance
from scraper.catalog.model import ScrapeError
from scraper.site.model import Curated


@pytest.fixture(scope="module")
def inputs():
    return committed_inputs()


def test_every_english_key_has_its_chinese_text_in_step(inputs):
    assert guidance.translation_problems(inputs.guidance, inputs.guidance_zh) == []
    for section in guidance.ALL_SECTIONS:
        assert list(inputs.guidance_zh.get(section, {})) == list(inputs.guidance.get(section, {}))


def test_the_chinese_is_chinese(inputs):
    for section in guidance.ALL_SECTIONS:
        for key, entry in inputs.guidance_zh.get(section, {}).items():
            for text in entry["causes"] + entry["fix"]:
                assert re.search("[\u4e00-\u9fff]", text), (section, key, text)


def test_an_english_key_the_chinese_lacks_fails_the_build_in_one_line(inputs):
    english = copy.deepcopy(inputs.guidance)
    english["codes"]["-1000"] = copy.deepcopy(english["codes"]["-1000"])
    chinese = copy.deepcopy(inputs.guidance_zh)
    del chinese["codes"]["-1000"]
    with pytest.raises(ScrapeError) as raised:
        Curated.of(dataclasses.replace(inputs, guidance=english, guidance_zh=chinese))
    assert "data/guidance.zh-CN.yaml: codes: no translation of '-1000'" in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "change, says",
    [
        (lambda zh: zh["codes"]["-1021"]["fix"].__setitem__(0, "请同步时钟。"), "code spans, numbers or URLs differ"),
        (lambda zh: zh["codes"]["-1021"]["fix"].pop(), "items, the English has"),
        (lambda zh: zh["filters"].__setitem__("NO_SUCH_FILTER", zh["filters"]["LOT_SIZE"]), "is not in the English guidance"),
        (lambda zh: zh["filters"]["LOT_SIZE"].__setitem__("why", "0.1 不是整数倍。"), "LOT_SIZE/why: code spans, numbers or URLs differ"),
        (lambda zh: zh["filters"]["LOT_SIZE"].pop("why"), "the worked example's why in one language only"),
    ],
    ids=["a code span lost", "a step missing", "an extra key", "a worked example's number changed", "a worked example untranslated"],
)
def test_a_translation_out_of_step_is_named(inputs, change, says):
    chinese = copy.deepcopy(inputs.guidance_zh)
    change(chinese)
    problems = guidance.translation_problems(inputs.guidance, chinese)
    assert problems and says in problems[0]


def test_coverage_reports_both_languages():
    result = subprocess.run([sys.executable, "-m", "scraper", "coverage", "--strict"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    total = re.search(r"sourced\s+(\d+)/(\d+)", result.stdout).group(2)
    assert f"zh-CN             {total}/{total} complete" in result.stdout
