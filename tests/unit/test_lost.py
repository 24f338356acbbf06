import pytest

from citecheck.text.lost import Lost, find_lost


def spans(text: str) -> list[tuple[str, str]]:
    return [(text[lost.start:lost.end], lost.kind) for lost in find_lost(text)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("the 1?-hydroxylase enzyme", "greek-letter"),
        ("17?-estradiol", "greek-letter"),
        ("1?,25(OH)2D", "greek-letter"),
        ("TNF-? levels", "greek-letter"),
        ("Interferon-? was raised", "greek-letter"),
        ("IFN-?.", "greek-letter"),
        ("NF-?B signalling", "greek-letter"),
        ("anti-TNF-? therapy", "greek-letter"),
        ("ER-?-positive", "greek-letter"),
        ("TGF-?1", "greek-letter"),
        ("?-tocopherol", "greek-letter"),
        ("taking ?-blockers", "greek-letter"),
        ("target (?75nmol)", "comparison-sign"),
        ("target (?75 nmol)", "comparison-sign"),
        ("target (? 75 nmol)", "comparison-sign"),
        ("serum 25(OH)D ?30 ng/mL", "comparison-sign"),
        ("a level ? 20 ng/mL", "comparison-sign"),
        ("significant (p ? 0.05)", "comparison-sign"),
        ("p?0.05", "comparison-sign"),
        ("5.2 ? 1.3", "comparison-sign"),
        ("take 1 ?g/day", "micro-sign"),
        ("5?g", "micro-sign"),
        ("10 ?mol", "micro-sign"),
        ("2 ?M", "micro-sign"),
        ("37.5?S", "degree-sign"),
        ("12?N", "degree-sign"),
        ("kept at 37 ?C", "degree-sign"),
        ("98.6?F", "degree-sign"),
        ("25?000 participants", "digit-separator"),
        ("in 2019?2020", "digit-separator"),
        ("r?=?0.45", "lost-spaces"),
        ("p?<?0.001", "lost-spaces"),
        ("it?s fine", "apostrophe"),
        ("don?t", "apostrophe"),
        ("Holick?s review", "apostrophe"),
        ("caf\ufffd", "replacement-char"),
    ],
)
def test_reports(text: str, kind: str) -> None:
    found = find_lost(text)
    assert [lost.kind for lost in found] == [kind]
    assert found[0].hint


@pytest.mark.parametrize(
    "text",
    [
        "https://x.org/a?b=1",
        "see www.x.com/?q=2 for more",
        "/tiki-index.php?page_id=5",
        "[the study](https://example.org/article?id=25-000)",
        "example.com/search?q=1&page=2",
        "Is it safe?",
        "What dose? 4000 IU",
        "VITAMIN D?===",
        "(why?)",
        "Do you take vitamin D?",
        "how much is the dose?)",
        "Was it published in 2019?",
        "how much D3?",
        'he said "400 IU?"',
        "Really??",
        "Really??? 5 mg",
        "a??-b",
        'the "?" symbol',
        "the '?' key",
        "the range is 30-100 ng/mL?",
        '<?xml version="1.0"?>',
        "| ? | 20 ng/mL |",
        "| ? |",
        "Why? Because 5 is fewer than 6.",
        "Combien ? 20 personnes",
        "Is it safe? 2000 IU daily is common",
        "Use `a?b:c` in code",
        "What about 5?",
        "(?)",
        "Is 50 nmol/L enough? 75 is better",
        "Ready? Set",
        "Huh?!",
        "Really?so",
        "a question mark ? alone",
        "plain ASCII text with no question marks at all",
        "Is it TNF-alpha?",
        "is it low-? no",
        "cond ? 1 : 0",
        "Paris ? 20 km",
        "the p ? value",
        "3?D printing",
        "COVID-19? 5 days",
        "IL-6?",
        "Q: What? A: 5 mg",
        "what's the level? 20 ng/mL",
        '<a href="/page?id=5">x</a>',
        '{{< youtube id="abc?t=5" >}}',
        "[download](files/report.php?d)",
        "",
    ],
)
def test_quiet(text: str) -> None:
    assert find_lost(text) == []


def test_offsets_point_at_the_question_mark() -> None:
    text = "1 ?g/day and TNF-?"
    assert [(lost.start, lost.end) for lost in find_lost(text)] == [(2, 3), (17, 18)]


def test_replacement_run_is_one_span() -> None:
    assert find_lost("M\ufffd\ufffdller") == [
        Lost(1, 3, "a character was lost in an encoding conversion (U+FFFD)", "replacement-char")
    ]


def test_replacement_char_is_reported_inside_urls() -> None:
    assert spans("https://x.org/caf\ufffd?a=1") == [("\ufffd", "replacement-char")]


def test_thousands_and_ranges_get_different_hints() -> None:
    thousands, = find_lost("25?000")
    dash, = find_lost("10?20")
    assert "thin space" in thousands.hint
    assert "en dash" in dash.hint


def test_several_in_one_line_are_sorted() -> None:
    text = "TNF-? rose when 25(OH)D was ?75 nmol/L (p ? 0.05)"
    assert spans(text) == [
        ("?", "greek-letter"),
        ("?", "comparison-sign"),
        ("?", "comparison-sign"),
    ]
