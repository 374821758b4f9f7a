"""The theme's stylesheets split for the first paint (scraper/site/cascade.py): what moves to the late
stylesheet, and what it repeats so that no rule wins or loses against another because it moved."""

from __future__ import annotations

import pytest
import tinycss2

from scraper.catalog.model import ScrapeError
from scraper.site.cascade import late_rules, property_family, specificity
from scraper.site.css_rules import selector_list
from scraper.site.stylesheets import used_rules

PAGE_WORDS = frozenset({"a", "b", "c", "d", "e", "x"})


@pytest.mark.parametrize(
    "selector, expected",
    [
        (".a .b", (0, 2, 0, "")),
        ("#x:not(.a,.b p)", (1, 1, 1, "")),
        ("a::before", (0, 0, 2, "before")),
        (".a:after", (0, 1, 1, "after")),
        (".a:where(#x .b)", (0, 1, 0, "")),
        (":is(#x,.b)>li", (1, 0, 1, "")),
        (".a:hover[data-x]", (0, 3, 0, "")),
        ("*", (0, 0, 0, "")),
    ],
)
def test_specificity_counts_as_css_does(selector, expected):
    [tokens] = selector_list(tinycss2.parse_component_value_list(selector))
    assert specificity(tokens) == expected


def test_a_property_competes_with_its_shorthand_family():
    assert property_family("margin-top") == property_family("margin") == "margin"
    assert property_family("top") == property_family("inset") == "inset"
    assert property_family("-webkit-transition-delay") == property_family("transition")
    assert property_family("--md-x") == "--md-x" != property_family("--md-y")


def test_only_what_scripts_need_moves_and_what_it_competed_with_is_repeated_after_it():
    theme = ".a{color:red}.js-x{color:blue}.b{color:green}.c{margin-top:1px}.d.e{color:black}.a,.js-z{width:0}"
    ours = ".b{color:pink}.x{width:1px}"
    # .b (same specificity, same property, after the moved .js-x) is repeated, and so is ours after it;
    # .a comes before, .c sets another property, .d.e is more specific: they stay where they are
    assert late_rules([(theme, True), (ours, False)], PAGE_WORDS) == (
        ".js-x{color:blue}.b{color:green}.js-z{width:0}.b{color:pink}.x{width:1px}"
    )
    assert used_rules(theme, PAGE_WORDS) == ".a{color:red}.b{color:green}.c{margin-top:1px}.d.e{color:black}.a{width:0}"


def test_at_rules_wrap_what_moves_and_repeats_and_a_pseudo_element_is_another_box():
    theme = "@media print{.js-y{top:0}.js-y:before{left:0}}.c{inset:0}.c:after{left:1px}.d:before{left:2px}"
    assert late_rules([(theme, True)], PAGE_WORDS) == "@media print{.js-y{top:0}.js-y:before{left:0}}.c{inset:0}.d:before{left:2px}"


def test_nothing_moves_when_every_name_is_on_a_page():
    theme = ".a{color:red}@media screen{.b{color:blue}}"
    assert late_rules([(theme, True), (".a{color:green}", False)], PAGE_WORDS) == ""


def test_a_cascade_the_split_does_not_model_fails_the_build():
    with pytest.raises(ScrapeError, match="@layer"):  # one line from the command, as every build failure
        late_rules([("@layer base{.js-x{color:red}}", True)], PAGE_WORDS)
