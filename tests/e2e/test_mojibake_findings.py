"""ENC001/ENC002 through the command line: one finding per garbled word, at that word, and `--fix`
rewriting that word only, wherever the text sits (author lines and fields, titles, headings, link
and alt texts)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import run_cli

FRONT = '---\ntitle: "{title}"\ndate: 2020-01-01\n{extra}---\n'


def findings(root, *args: str) -> list[dict]:
    done = run_cli("check", str(root), "--no-cache", "--select", "ENC001,ENC002", "--format", "json", *args)
    assert "Traceback" not in done.stderr, done.stderr
    return json.loads(done.stdout)


def spans(found: list[dict]) -> list[tuple]:
    return [(f["code"], f["line"], f["column"], f["end"]["column"], f["subject"], f["evidence"]["fixed"]) for f in found]


def test_each_garbled_name_of_an_author_line_is_found_and_fixed_alone(site):
    page = FRONT.format(title="A", extra="") + "Ak√ßimen F1,2, GarcÃ­a J, Dvořák P5, Sz≈±cs R8, Ã˜degÃ¥rd K.\n\nTail.\n"
    root = site({"content/posts/a.md": page})
    assert spans(findings(root)) == [
        ("ENC001", 5, 1, 9, "Ak√ßimen", "Akçimen"),
        ("ENC001", 5, 16, 23, "GarcÃ­a", "García"),
        ("ENC001", 5, 38, 44, "Sz≈±cs", "Szűcs"),
        ("ENC001", 5, 49, 58, "Ã˜degÃ¥rd", "Ødegård"),
    ]
    findings(root, "--fix")
    fixed = (root / "content/posts/a.md").read_bytes()
    assert fixed == (FRONT.format(title="A", extra="")
                     + "Akçimen F1,2, García J, Dvořák P5, Szűcs R8, Ødegård K.\n\nTail.\n").encode("utf-8")
    assert findings(root) == []


def test_a_correctly_accented_name_does_not_hide_a_garbled_one(site):
    root = site({"content/posts/a.md": FRONT.format(title="A", extra="") + "Dvořák P5, Ak√ßimen F1,2.\n"})
    assert [f["subject"] for f in findings(root)] == ["Ak√ßimen"]


@pytest.mark.parametrize(
    ("body", "line", "subject", "fixed"),
    [
        ("## CafÃ© society\n", 5, "CafÃ©", "Café"),
        ("See [the rÃ©sumÃ©](/posts/a).\n", 5, "rÃ©sumÃ©", "résumé"),
        ("![Portrait of Ak√ßimen](/img/a.png)\n", 5, "Ak√ßimen", "Akçimen"),
        ("| name |\n|---|\n| Ã˜degÃ¥rd |\n", 7, "Ã˜degÃ¥rd", "Ødegård"),
        ("- itâ€™s a list item\n", 5, "itâ€™s", "it’s"),
    ],
)
def test_headings_link_texts_alt_texts_tables_and_items(site, body, line, subject, fixed):
    root = site({"content/posts/a.md": FRONT.format(title="A", extra="") + body})
    [found] = findings(root)
    assert (found["code"], found["line"], found["subject"], found["evidence"]["fixed"]) == ("ENC002", line, subject, fixed)
    findings(root, "--fix")
    assert (root / "content/posts/a.md").read_text(encoding="utf-8") == FRONT.format(title="A", extra="") + body.replace(subject, fixed)


def test_front_matter_title_and_authors(site):
    extra = 'authors: ["Sigur√∞sson G", "Núñez J", "MÃƒÂ¼ller T"]\n'
    root = site({"content/posts/a.md": FRONT.format(title="Vitamin D in IcelandÃ¢â‚¬â„¢s winter", extra=extra) + "Text.\n"})
    assert [(f["code"], f["line"], f["subject"], f["evidence"]["fixed"]) for f in findings(root)] == [
        ("ENC002", 2, "IcelandÃ¢â‚¬â„¢s", "Iceland’s"),
        ("ENC001", 4, "Sigur√∞sson", "Sigurðsson"),
        ("ENC001", 4, "MÃƒÂ¼ller", "Müller"),
    ]
    findings(root, "--fix")
    assert (root / "content/posts/a.md").read_text(encoding="utf-8") == FRONT.format(
        title="Vitamin D in Iceland’s winter", extra='authors: ["Sigurðsson G", "Núñez J", "Müller T"]\n') + "Text.\n"


def test_escaped_text_is_found_by_its_bytes(site):
    # The backslash escape makes the paragraph differ from its source; the garbled word is still
    # placed (and fixed) by its bytes.
    body = "Not \\*emphasis\\*: the Ã©tude.\n"
    root = site({"content/posts/a.md": FRONT.format(title="A", extra="") + body})
    [found] = findings(root)
    assert (found["column"], found["subject"], found["fix"]["applicability"]) == (23, "Ã©tude", "safe")
    findings(root, "--fix")
    assert (root / "content/posts/a.md").read_text(encoding="utf-8").endswith("the étude.\n")


def test_certain_damage_without_a_repair_has_no_suggestion_and_no_fix(site):
    page = FRONT.format(title="A", extra="") + "The patientâ€\ufffds level.\n"
    root = site({"content/posts/a.md": page})
    [found] = findings(root)
    assert found["subject"] == "patientâ€\ufffds"
    assert found.get("fix") is None
    assert found["message"].endswith("no repair fits")
    assert "probably" not in found["message"]
    findings(root, "--fix")
    assert (root / "content/posts/a.md").read_text(encoding="utf-8") == page


def test_clean_multilingual_text_gives_nothing(site):
    body = ("Ørsted H1, Dvořák A2, Łukasz B3, Ξενοφών Κ4, 김민수 K5, Иванов И6, Nguyễn Văn T7.\n\n"
            "## 25(OH)D ≥ 30 ng/mL, 5 µg/day, 37 °C, ± 2 — “Über” alles, naïve café, √π ≈ 1.77\n\n"
            "НовиСад ЂорђеЈовановић, h4x0r ßαηÐυηg, 😀 👨‍👩‍👧, SÃO PAULO, «Élan vital», JOSÉ’S CAFÉ”.\n")
    root = site({"content/posts/a.md": FRONT.format(title="Œuvre — cœur", extra="") + body})
    assert findings(root) == []
