"""What a DOI's registration says about it: unknown (DOI003), retracted (DOI005), carrying a
notice (DOI006), or registered outside Crossref (DOI008). DOI004 (metadata) lives in metadata.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from citecheck.checks.base import Check, Context, Hit
from citecheck.model import Page
from citecheck.remote.answers import Ask, DoiAnswer

# Crossref `updated-by` types. "new_version", "addendum" and the like are not warnings.
RETRACTIONS = {"retraction": "retracted", "withdrawal": "withdrawn", "removal": "removed",
               "partial_retraction": "partially retracted"}
NOTICES = {"expression_of_concern": "expression of concern", "correction": "correction", "erratum": "erratum",
           "corrigendum": "corrigendum"}
# Retraction Watch's data is merged into Crossref's records; publishers register their own notices.
TRUSTED_SOURCES = {"publisher", "retraction-watch", "crossref", ""}


class _DoiCheck(Check):
    """Asks about every DOI cited on the page; judges each mention by its DOI's answer."""

    scope = "remote"

    def check(self, page: Page, ctx: Context) -> Iterator[Hit]:
        return iter(())

    def asks(self, page: Page, ctx: Context) -> Iterator[Ask]:
        for citation in page.citations:
            yield Ask("doi", citation.doi, citation.start, citation.end, citation.doi)

    def check_remote(self, page: Page, ctx: Context) -> Iterator[Hit]:
        for citation in page.citations:
            answer = ctx.facts.dois.get(citation.doi) if ctx.facts else None
            if answer is None:
                continue
            for values in self.judge(answer):
                values = {"doi": citation.doi, **values}
                yield Hit(citation.start, citation.end, values, subject=citation.doi, evidence=dict(values))

    def judge(self, answer: DoiAnswer) -> Iterator[dict[str, Any]]:
        raise NotImplementedError


class DoiNotFound(_DoiCheck):
    def judge(self, answer: DoiAnswer) -> Iterator[dict[str, Any]]:
        if answer.status == "not-found":
            yield {}


class DoiNonCrossref(_DoiCheck):
    def judge(self, answer: DoiAnswer) -> Iterator[dict[str, Any]]:
        if answer.status == "other-agency":
            yield {"agency": answer.agency or "another agency"}


def _updates(answer: DoiAnswer, kinds: dict[str, str]) -> Iterator[dict[str, Any]]:
    if answer.status != "found" or not answer.record:
        return
    seen = set()
    for update in answer.record.get("updated-by") or []:
        if not isinstance(update, dict):
            continue
        kind = str(update.get("type", "")).lower().replace("-", "_").replace(" ", "_")
        source = str(update.get("source", "")).lower()
        if kind not in kinds or source not in TRUSTED_SOURCES or kind in seen:
            continue
        seen.add(kind)
        notice = str(update.get("DOI") or "").lower()
        date = _date(update.get("updated"))
        detail = ", ".join(part for part in (f"notice {notice}" if notice else "", date,
                                             f"source: {source}" if source else "") if part)
        yield {"update": kinds[kind], "notice": detail or "no details", "notice_doi": notice, "source": source}


def _date(value: Any) -> str:
    try:
        parts = [int(p) for p in value["date-parts"][0] if p is not None]
    except (TypeError, KeyError, IndexError, ValueError):
        return ""
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))


class DoiRetracted(_DoiCheck):
    def judge(self, answer: DoiAnswer) -> Iterator[dict[str, Any]]:
        yield from _updates(answer, RETRACTIONS)


class DoiHasNotice(_DoiCheck):
    def judge(self, answer: DoiAnswer) -> Iterator[dict[str, Any]]:
        yield from _updates(answer, NOTICES)
