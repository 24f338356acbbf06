import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252, how Windows really decodes)
import pytest
from ftfy.chardata import CHARMAP_ENCODINGS

from citecheck.text.mojibake import _MAYBE_BAD, Repair, repair


@pytest.mark.parametrize(
    ("broken", "fixed", "codec"),
    [
        ("Ak√ßimen", "Akçimen", "mac_roman"),
        ("MÃ¼ller", "Müller", "latin-1"),
        ("Ã©tude", "étude", "latin-1"),
        ("â€™", "’", "windows-1252"),
        ("itâ€™s", "it’s", "windows-1252"),
        ("EspaÃ±a", "España", "latin-1"),
        ("Ã‰cole", "École", "windows-1252"),
        ("â€œquotedâ€\x9d", "“quoted”", "windows-1252"),
        ("ÐŸÑ€Ð¸Ð²ÐµÑ‚", "Привет", "windows-1252"),
        ("MÃƒÂ¼ller", "Müller", "windows-1252"),  # encoded twice
        ("Ã¢â‚¬â„¢", "’", "windows-1252"),  # encoded twice
    ],
)
def test_repairs_classic_mojibake(broken: str, fixed: str, codec: str) -> None:
    result = repair(broken)
    assert result is not None
    assert result.fixed == fixed
    assert result.unambiguous
    assert f"read as {codec}" in result.explanation


def test_explains_macroman() -> None:
    assert repair("Ak√ßimen") == Repair("Akçimen", True, "utf-8 read as mac_roman")


def test_double_encoding_names_both_layers() -> None:
    result = repair("MÃƒÂ¼ller")
    assert result is not None
    assert result.explanation == "utf-8 read as latin-1, then utf-8 read as windows-1252"


def test_mixed_clean_and_broken() -> None:
    result = repair("Müller and MÃ¼ller")
    assert result == Repair("Müller and Müller", True, "utf-8 read as windows-1252 in places")


def test_lost_nbsp_is_restored() -> None:
    result = repair("voilÃ le travail")
    assert result is not None and result.fixed == "voilà le travail" and result.unambiguous


def test_c1_controls() -> None:
    result = repair("\x93quoted\x94")
    assert result == Repair("“quoted”", True, "windows-1252 read as latin-1")


def test_bad_but_unrepairable_is_reported_without_a_fix() -> None:
    result = repair("«Ã»")
    assert result is not None
    assert result.fixed == "«Ã»"
    assert not result.unambiguous


_WORDS = ["Müller", "José Núñez", "Ørsted", "Dvořák", "Łukasz", "Zoë", "François", "Crème brûlée",
          "naïve café", "Straße", "Привет", "Ξενοφών", "“quoted” – ok", "5 µg/day", "≥ 30"]
# ftfy's badness measure does not flag every mac_roman case (√òrsted, Dvo≈ô√°k, ‚â• 30 pass as
# clean text), so only the ones it does flag are pinned here.
_MACROMAN_WORDS = ["Müller", "José Núñez", "Łukasz", "Zoë", "François", "Crème brûlée", "Straße",
                   "Ξενοφών", "“quoted” – ok", "5 µg/day"]


@pytest.mark.parametrize(
    ("word", "codec"),
    [(word, codec) for codec in ("latin-1", "sloppy-windows-1252") for word in _WORDS]
    + [(word, "mac_roman") for word in _MACROMAN_WORDS],
)
def test_round_trips_generated_mojibake(word: str, codec: str) -> None:
    broken = word.encode("utf-8").decode(codec)
    result = repair(broken)
    assert result is not None and result.unambiguous
    assert result.fixed == word


@pytest.mark.parametrize(
    "text",
    [
        "Ørsted",
        "Dvořák",
        "Łukasz",
        "Ξενοφών",
        "김민수",
        "Hyppönen",
        "Akçimen",
        "José Núñez",
        "Zoë",
        "François",
        "25(OH)D ≥ 30 ng/mL",
        "5 µg/day",
        "μmol",
        "√2",
        "CO₂",
        "37 °C",
        "±",
        "–",
        "—",
        "“ ” ‘ ’",
        "“quoted” and ‘quoted’",
        "57·0",
        "↵",
        "½",
        "×",
        "≤",
        "→",
        "😀 🎉",
        "©",
        "®",
        "™",
        "§",
        "¶",
        "Москва",
        "Gdańsk żółć",
        "Straße",
        "Œuvre, cœur",
        "SÃO PAULO, JOÃO",
        "Âge, Île-de-France",
        "¿Qué? ¡Hola!",
        "«Bonjour»",
        "25ºC, Nº 3, 1ª edición",
        "Nestlé®, Pokémon™, L’Oréal",
        "mean 5.2 ± 1.3 µg/L (p ≤ 0.05; r = 0.45)",
        "1,25(OH)₂D₃ and α-tocopherol, β-carotene",
        "Nguyễn Văn",
        "",
        "plain",
    ],
)
def test_clean_text_is_left_alone(text: str) -> None:
    assert repair(text) is None


def test_long_english_paragraph() -> None:
    paragraph = (
        "Vitamin D is a fat-soluble vitamin that is naturally present in very few foods, added "
        "to others, and available as a dietary supplement. It is also produced endogenously when "
        "ultraviolet rays from sunlight strike the skin and trigger vitamin D synthesis. Serum "
        "concentration of 25(OH)D is the best indicator of vitamin D status; levels below 30 "
        "nmol/L (12 ng/mL) are too low for bone or overall health (Holick et al., 2011, p. 1911). "
    ) * 5
    assert repair(paragraph) is None


def test_replacement_characters_are_not_mojibake() -> None:
    # U+FFFD is citecheck.text.lost's business.
    assert repair("caf\ufffd\ufffd and M\ufffd\ufffdller") is None


def test_repair_is_frozen() -> None:
    result = repair("MÃ¼ller")
    assert result is not None
    with pytest.raises(AttributeError):
        result.fixed = "x"  # type: ignore[misc]


def test_prefilter_sees_every_utf8_misreading() -> None:
    # The pre-filter must never hide mojibake that ftfy could repair.
    missed = []
    for char in map(chr, [*range(0x80, 0x2C00), 0x1F600, 0x1F389]):
        for encoding in CHARMAP_ENCODINGS:
            try:
                broken = char.encode("utf-8").decode(encoding)
            except UnicodeDecodeError:
                continue
            if not _MAYBE_BAD.search(broken):
                missed.append((char, encoding))
    assert missed == []
