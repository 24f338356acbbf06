import ftfy.bad_codecs  # noqa: F401  (registers sloppy-windows-1252, how Windows really decodes)
import pytest

from citecheck.text.mojibake import _CANDIDATE, Repair, find, garble, repair, round_trips, word_at


@pytest.mark.parametrize(
    ("broken", "fixed", "codec"),
    [
        ("Ak√ßimen", "Akçimen", "mac_roman"),
        ("Sigur√∞sson", "Sigurðsson", "mac_roman"),
        ("Sz≈±cs", "Szűcs", "mac_roman"),
        ("ÍπÄÎØºÏàò", "김민수", "mac_roman"),
        ("Âº†‰ºü", "张伟", "mac_roman"),
        ("–ü—Ä–∏–≤–µ—Ç", "Привет", "mac_roman"),
        ("MÃ¼ller", "Müller", "latin-1"),
        ("Ã©tude", "étude", "latin-1"),
        ("â€™", "’", "windows-1252"),
        ("itâ€™s", "it’s", "windows-1252"),
        ("EspaÃ±a", "España", "latin-1"),
        ("Ã‰cole", "École", "windows-1252"),
        ("Ã˜degÃ¥rd", "Ødegård", "windows-1252"),
        ("â€œquotedâ€\x9d", "“quoted”", "windows-1252"),
        ("ÐŸÑ€Ð¸Ð²ÐµÑ‚", "Привет", "windows-1252"),
        ("MÃƒÂ¼ller", "Müller", "windows-1252"),  # encoded twice
        ("Ã¢â‚¬â„¢", "’", "windows-1252"),  # encoded twice
    ],
)
def test_repairs_each_accident(broken: str, fixed: str, codec: str) -> None:
    [word] = find(broken)
    assert (word.start, word.end, word.text, word.fixed) == (0, len(broken), broken, fixed)
    assert f"read as {codec}" in word.explanation
    assert round_trips(word)


def test_explains_macroman() -> None:
    assert repair("Ak√ßimen") == Repair("Akçimen", True, "utf-8 read as mac_roman")


def test_double_encoding_names_both_layers_in_the_order_they_happened() -> None:
    [word] = find("MÃƒÂ¼ller")
    assert word.explanation == "utf-8 read as latin-1, then utf-8 read as windows-1252"
    assert word.layers == ("latin-1", "windows-1252")


def test_each_garbled_name_of_a_line_is_its_own_finding() -> None:
    line = "Sarayloo F1,2, Dvořák P5, Ak√ßimen F1,2, GarcÃ­a J, Sigur√∞sson G, Sz≈±cs R8, Hyppönen E4."
    found = find(line)
    assert [(line[w.start:w.end], w.fixed) for w in found] == [
        ("Ak√ßimen", "Akçimen"), ("GarcÃ­a", "García"), ("Sigur√∞sson", "Sigurðsson"), ("Sz≈±cs", "Szűcs")]
    assert repair(line).fixed == "Sarayloo F1,2, Dvořák P5, Akçimen F1,2, García J, Sigurðsson G, Szűcs R8, Hyppönen E4."


def test_a_word_with_clean_and_garbled_letters_gets_only_the_garbled_part_repaired() -> None:
    [word] = find("Müllerâ€™s results")
    assert (word.text, word.fixed, word.parts) == ("Müllerâ€™s", "Müller’s", ((6, 9, "’"),))
    assert word.explanation == "utf-8 read as windows-1252 in places"
    assert round_trips(word)


def test_no_half_repairs() -> None:
    assert repair("Ã˜degÃ¥rd K").fixed == "Ødegård K"
    assert repair("Ã‚ÃªÃ¢Ã\x81Ã®âˆž").fixed == "吉田"  # Mac Roman, then Windows-1252


def test_certain_damage_without_a_repair_is_reported_without_one() -> None:
    [word] = find("the patientâ€\ufffds level")
    assert (word.text, word.fixed) == ("patientâ€\ufffds", None)
    assert word.explanation == "utf-8 read as windows-1252, with bytes lost or several accidents mixed"
    assert not round_trips(word)


def test_lone_short_words_count_when_the_same_accident_shows_in_the_text() -> None:
    assert find("Ð²") == []  # в alone: could be anything
    assert [w.fixed for w in find("ÐŸÑ€Ð¸Ð²ÐµÑ‚ Ð² Ð¼Ð¸Ñ€Ðµ")] == ["Привет", "в", "мире"]


def test_the_word_around_a_span() -> None:
    line = "Haddad R1,2, Ak√ßimen’s F1"
    assert line[slice(*word_at(line, 15, 17))] == "Ak√ßimen’s"


def test_garble_is_the_inverse_of_the_repair() -> None:
    assert garble("Müller", ("latin-1", "windows-1252")) == "MÃƒÂ¼ller"
    assert garble("”", ("windows-1252",)) == "â€\x9d"  # the byte Windows-1252 leaves undefined


@pytest.mark.parametrize(
    "text",
    [
        "Ørsted", "Dvořák", "Łukasz", "Ξενοφών", "김민수", "Hyppönen", "Akçimen", "José Núñez", "Zoë", "François",
        "25(OH)D ≥ 30 ng/mL", "5 µg/day", "μmol", "√2", "√π ≈ 1.77", "√±", "≈µ", "CO₂", "37 °C", "±", "–", "—",
        "“ ” ‘ ’", "“quoted” and ‘quoted’", "57·0", "↵", "½", "×", "≤", "→", "😀 🎉", "👨‍👩‍👧", "©", "®", "™", "§", "¶",
        "Москва", "Gdańsk żółć", "Straße", "Œuvre, cœur", "SÃO PAULO, JOÃO", "Âge, Île-de-France", "¿Qué? ¡Hola!",
        "«Bonjour»", "«Élan vital»", "25ºC, Nº 3, 1ª edición", "Nestlé®, Pokémon™, L’Oréal", "JOSÉ’S CAFÉ”",
        "“Über” alles", "text—Über", "Lösung—Ärger", "…élégant", "SKELLEFTEÅ»", "«Über» «élan» «ØYVIND»",
        "UMEÅ’s", "LULEÅ—Stockholm", "Lê’\u00a0„61352", "Havlíčková»—‘ŞIŞLI’",
        "mean 5.2 ± 1.3 µg/L (p ≤ 0.05; r = 0.45)", "1,25(OH)₂D₃ and α-tocopherol, β-carotene", "TNFα, IFN-γ",
        "Nguyễn Văn Thị Ánh", "Trần Hưng Đạo", "ʻŌlelo Hawaiʻi", "Демʼян", "Əliyev",
        # Camel-cased Serbian Cyrillic, leetspeak and deliberate control characters.
        "НовиСад ЂорђеЈовановић ЉубљанаЊегош ЏепЋуприја ЗЈ ЧЋ", "h4x0r 1337 ßαηÐυηg ₦ɆⱠⱠØ Ɨ₦ĐØ₦ɆŞƗȺ ค๒ς",
        "bell\x07 \x1b[31mred\x1b[0m NUL\x00 DEL\x7f next\x85line \x9b \u200b\ufeff",
        "", "plain",
    ],
)
def test_clean_text_is_left_alone(text: str) -> None:
    assert find(text) == []
    assert repair(text) is None


def test_long_english_paragraph() -> None:
    paragraph = (
        "Vitamin D is a fat-soluble vitamin that is naturally present in very few foods, added "
        "to others, and available as a dietary supplement. Serum concentration of 25(OH)D is the "
        "best indicator of vitamin D status; levels below 30 nmol/L (12 ng/mL) are too low. "
    ) * 5
    assert repair(paragraph) is None


def test_replacement_characters_alone_are_not_mojibake() -> None:
    # U+FFFD is citecheck.text.lost's business.
    assert find("caf\ufffd\ufffd and M\ufffd\ufffdller") == []


def test_prefilter_sees_every_utf8_misreading() -> None:
    # The pre-filter must never hide a misreading the finder could undo.
    missed = []
    for char in map(chr, [*range(0x80, 0x2C00), 0x3042, 0x4E00, 0xAC00, 0x1F600, 0x1F389]):
        for codec in ("latin-1", "sloppy-windows-1252", "mac_roman"):
            if not _CANDIDATE.search(char.encode("utf-8").decode(codec)):
                missed.append((char, codec))
    assert missed == []
