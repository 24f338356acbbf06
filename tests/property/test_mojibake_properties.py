"""Mojibake found word by word: generated names in many languages, garbled by every accident that
happens to UTF-8, among clean names and clean prose in many scripts.

Garbling is done with Python's codecs and ftfy's sloppy Windows-1252 (what Windows and browsers
decode), not with citecheck's own code, so the expectation is independent of the implementation.
"""

from __future__ import annotations

import functools
import random
import unicodedata

import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252)
import pytest
from faker import Factory
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citecheck.text.mojibake import find, repaired

# Language -> Faker locale. Names come from Faker's tables for the locale.
LANGUAGES = {
    "Turkish": "tr_TR", "Polish": "pl_PL", "Czech": "cs_CZ", "Slovak": "sk_SK", "Hungarian": "hu_HU",
    "Romanian": "ro_RO", "Vietnamese": "vi_VN", "Icelandic": "is_IS", "German": "de_DE", "French": "fr_FR",
    "Spanish": "es_ES", "Portuguese": "pt_BR", "Norwegian": "no_NO", "Swedish": "sv_SE", "Danish": "da_DK",
    "Finnish": "fi_FI", "Croatian": "hr_HR", "Slovenian": "sl_SI", "Lithuanian": "lt_LT", "Latvian": "lv_LV",
    "Azerbaijani": "az_AZ", "Greek": "el_GR", "Russian": "ru_RU", "Ukrainian": "uk_UA", "Armenian": "hy_AM",
    "Georgian": "ka_GE", "Chinese": "zh_CN", "Japanese": "ja_JP", "Korean": "ko_KR", "Arabic": "ar_AA",
    "Persian": "fa_IR", "Hebrew": "he_IL", "Hindi": "hi_IN", "Thai": "th_TH",
}
PROSE_LOCALES = ["ru_RU", "uk_UA", "el_GR", "zh_CN", "ja_JP", "ko_KR", "ar_AA", "he_IL", "fa_IR", "hy_AM", "th_TH",
                 "hi_IN", "de_DE", "fr_FR", "es_ES", "pt_BR", "pl_PL", "cs_CZ", "hu_HU", "vi_VN", "tr_TR", "is_IS",
                 "no_NO", "sv_SE", "ro_RO"]
# The accidents, in the order they happen: UTF-8 bytes read as …
ACCIDENTS = {
    "windows-1252": ("sloppy-windows-1252",),
    "latin-1": ("latin-1",),
    "mac_roman": ("mac_roman",),
    "windows-1252 twice": ("sloppy-windows-1252", "sloppy-windows-1252"),
    "latin-1, then windows-1252": ("latin-1", "sloppy-windows-1252"),
    "mac_roman, then windows-1252": ("mac_roman", "sloppy-windows-1252"),
}
profile = settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@functools.cache
def faker(locale: str):
    # Only the providers used here: a whole Faker per locale costs a tenth of a second to build.
    return Factory.create(locale, providers=[f"faker.providers.{name}" for name in ("person", "lorem", "address", "company")])


def garble(text: str, accident: str) -> str:
    for codec in ACCIDENTS[accident]:
        text = text.encode("utf-8").decode(codec)
    return text


def name(language: str, seed: int) -> str:
    fake = faker(LANGUAGES[language])
    fake.seed_instance(seed)
    while True:
        person = fake.last_name() if seed % 3 else f"{fake.first_name()} {fake.last_name()}"
        # A few of Faker's Hindi names start with a vowel sign, which no written word does.
        if not any(unicodedata.category(word[0]).startswith("M") for word in person.split()):
            return person


# An author: a generated name, PubMed initials and affiliations, garbled or not.
AUTHOR = st.tuples(st.sampled_from(sorted(LANGUAGES)), st.integers(0, 10**6), st.sampled_from(["F1,2", "J", "AB3", "K"]),
                   st.one_of(st.none(), st.sampled_from(sorted(ACCIDENTS))))


def _line(authors) -> tuple[str, str, list[tuple[int, int]]]:
    """(garbled line, clean line, spans of the garbled names in the garbled line)."""
    written, clean, spans, at = [], [], [], 0
    for language, seed, initials, accident in authors:
        person = name(language, seed)
        shown = garble(person, accident) if accident else person
        if shown != person:
            spans.append((at, at + len(shown)))
        written.append(f"{shown} {initials}")
        clean.append(f"{person} {initials}")
        at += len(shown) + len(initials) + 3
    return ", ".join(written), ", ".join(clean), spans


@settings(profile, max_examples=100)
@given(st.lists(AUTHOR, min_size=1, max_size=6))
def test_every_garbled_name_is_found_and_repaired_to_its_original(authors):
    line, clean, spans = _line(authors)
    found = find(line)
    assert all(g.fixed for g in found), found
    # Every finding lies in a garbled name; together they give back the clean line exactly.
    assert all(any(a <= g.start and g.end <= b for a, b in spans) for g in found), found
    assert repaired(line, found) == clean


@pytest.mark.parametrize("accident", sorted(ACCIDENTS))
@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_each_language_and_accident_among_clean_names(language, accident):
    """Every pair, however the random draws above fall: one garbled name among clean ones, each
    clean name from another language."""
    rng = random.Random(f"{language}/{accident}")
    for _ in range(4):
        others = [(rng.choice(sorted(LANGUAGES)), rng.randrange(10**6), "K", None) for _ in range(3)]
        authors = [*others[:2], (language, rng.randrange(10**6), "F1,2", accident), others[2]]
        line, clean, spans = _line(authors)
        found = find(line)
        assert all(g.fixed for g in found), (line, found)
        assert all(any(a <= g.start and g.end <= b for a, b in spans) for g in found), (line, found)
        assert repaired(line, found) == clean, (line, found)


@profile
@given(st.lists(st.tuples(st.sampled_from(sorted(LANGUAGES)), st.integers(0, 10**6), st.just("K"), st.none()),
                min_size=1, max_size=8))
def test_clean_names_in_every_script_give_nothing(authors):
    line, _, _ = _line(authors)
    assert find(line) == []


# --- clean prose ---------------------------------------------------------------------------------

# Clean text that sits close to mojibake: notation, typography, emoji, camel-cased Serbian
# Cyrillic, leetspeak, control characters.
SNIPPETS = [
    "25(OH)D ≥ 30 ng/mL", "5 µg/day", "50 μg", "37 °C", "98.6°F", "−4 °C", "mean 5.2 ± 1.3 µg/L", "p ≤ 0.05",
    "r = −0.45", "α-tocopherol", "β-carotene", "TNF-α", "IFN-γ", "1α,25(OH)₂D₃", "CO₂", "H₂O", "x²", "m³", "√2",
    "√π", "√±", "≈µ", "≈ 2×10⁶", "∑xᵢ", "∂f/∂x", "∞", "≠", "½", "¼ cup", "×", "÷", "→", "⇑", "↵", "©", "®",
    "™", "§ 3", "¶ 2", "№ 5", "25ºC", "1ª edición", "Nº 3", "“quoted”", "‘single’", "«guillemets»",
    "„Anführung“", "‹einfach›", "— em dash —", "10–20", "2019–2020", "wait…", "• bullet", "‰", "€ 20", "£5",
    "¥300", "Œuvre, cœur", "SÃO PAULO", "JOÃO", "Âge", "Île-de-France", "¿Qué? ¡Hola!", "JOSÉ’S", "CAFÉ’S",
    "L’ÉCOLE", "l’été", "“Über” alles", "text—Über", "—Ärger", "«Élan vital»", "…élégant", "d’Artagnan",
    "Nguyễn Thị Minh Khai", "Việt Nam", "Ngọc Ánh", "Phở bò", "Trần Hưng Đạo", "Ḥusayn", "Ǆemal", "Əliyev",
    "ʻŌlelo Hawaiʻi", "Демʼян", "НовиСад", "ЂорђеЈовановић", "ЉубљанаЊегош", "ЏепЋуприја", "ЗЈ", "ЧЋ",
    "h4x0r 1337", "ßαηÐυηg", "₦ɆⱠⱠØ", "Ɨ₦ĐØ₦ɆŞƗȺ", "ค๒ς", "Ｆｕｌｌｗｉｄｔｈ", "ｶﾀｶﾅ", "😀 🎉", "👍🏽",
    "👨‍👩‍👧", "🇻🇳", "❤️", "bell\x07", "\x1b[31mred\x1b[0m", "NUL\x00", "tab\tsep", "DEL\x7f", "soft\u00adhyphen",
    "zero\u200bwidth", "\ufeffBOM", "non\u00a0breaking", "thin\u2009space", "Ωmega", "µΩ", "Å ångström",
    "Ørsted", "Dvořák", "Łukasz", "Gdańsk żółć", "Straße", "naïve café", "Zoë", "Hyppönen", "Akçimen", "김민수",
    "Москва", "Ξενοφών", "İstanbul", "ı", "Şişli", "Łódź", "Ålesund", "Þórður", "Ðurić", "ǅ", "ŉ", "«Übung»",
    "«élan»", "«Øl»", "UMEÅ", "GÄVLE", "MALMÖ", "IRMÃ", "AMANHÃ", "CAFÉ", "ÉCOLE", "ÅSA", "ØRSTED",
]


def prose(seed: int) -> str:
    fake = faker(PROSE_LOCALES[seed % len(PROSE_LOCALES)])
    fake.seed_instance(seed)
    return [fake.sentence, fake.address, fake.name, fake.catch_phrase][seed // len(PROSE_LOCALES) % 4]()


FRAGMENT = st.one_of(st.sampled_from(SNIPPETS), st.integers(0, 10**6).map(prose))
WRAP = st.sampled_from(["{}", "{}", "“{}”", "‘{}’", "«{}»", "„{}“", "({})", "{}…", "—{}", "{}—", "{}’s", "*{}*",
                        "{}»", "«{}", "{}”", "{}™", "{}®", "{}°"])
SEPARATOR = st.sampled_from([" ", ", ", "; ", " — ", " – ", "/", "\u00a0", "—", " · "])


@st.composite
def prose_lines(draw) -> str:
    parts = draw(st.lists(st.tuples(FRAGMENT, WRAP, st.booleans()), min_size=1, max_size=6))
    separator = draw(SEPARATOR)
    return separator.join(wrap.format(text.upper() if upper else text) for text, wrap, upper in parts)


def clean_lines(count: int) -> list[str]:
    """A fixed sample of clean prose lines, the same on every run."""
    rng = random.Random(13)
    lines = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 5)):
            text = rng.choice(SNIPPETS) if rng.random() < 0.5 else prose(rng.randrange(10**6))
            parts.append(rng.choice(["{}", "“{}”", "«{}»", "—{}", "{}’s"]).format(text.upper() if rng.random() < 0.2 else text))
        lines.append(rng.choice([" ", ", ", " — ", "—"]).join(parts))
    return lines


def test_six_hundred_clean_prose_lines_give_nothing():
    lines = clean_lines(600)
    assert len(set(lines)) > 550
    assert [(line, find(line)) for line in lines if find(line)] == []


@profile
@given(prose_lines())
def test_clean_prose_gives_nothing(line):
    assert find(line) == []
