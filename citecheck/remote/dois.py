"""Answer "what is this DOI?" for every distinct DOI of a run: cache first, then Crossref in
batches, then the registry for what Crossref did not return.

found (Crossref record) | not-found (no agency knows it: DOI003) | other-agency (DOI008) |
unverified (no conclusive answer: NET001; never cached).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor, as_completed

from citecheck.remote.answers import DoiAnswer, ttl_seconds
from citecheck.remote.crossref import CrossrefClient, Failed
from citecheck.remote.registry import NOT_FOUND, Registry, RegistryFailed
from citecheck.remote.retrying import Policy

Progress = Callable[[int, int], None]


# DOIs compare ASCII case-insensitively, as citecheck.extract.doi.normalise folds them.
_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def resolve_dois(dois: Collection[str], config, cache, progress: Progress | None = None,
                 max_age: float | None = None) -> dict[str, DoiAnswer]:
    """An answer for each DOI, keyed ASCII-lower-cased (as normalised DOIs already are)."""
    wanted = sorted({doi.translate(_ASCII_LOWER) for doi in dois})
    answers = {key: DoiAnswer(status, **value) for key, (status, value) in
               cache.answers("doi", wanted, max_age).items()}
    todo = [doi for doi in wanted if doi not in answers]
    done = len(answers)
    if progress:
        progress(done, len(wanted))
    if not todo:
        return answers
    policy = Policy.from_config(config)
    ttl = {status: ttl_seconds(config, f"doi-{status}") for status in ("found", "not-found", "other-agency")}

    def record(batch: dict[str, DoiAnswer]) -> None:
        nonlocal done
        answers.update(batch)
        # Stored batch by batch: a run killed half-way keeps every answer it got.
        cache.put_answers("doi", [(doi, a.status, _stored(a), ttl[a.status]) for doi, a in batch.items()
                                  if a.status in ttl])
        done += len(batch)
        if progress:
            progress(done, len(wanted))

    crossref = CrossrefClient(config, policy)
    try:
        absent: list[str] = []
        with ThreadPoolExecutor(max_workers=crossref.concurrency, thread_name_prefix="crossref") as pool:
            futures = {pool.submit(crossref.lookup, batch): batch for batch in crossref.batches(todo)}
            for future in as_completed(futures):
                batch = futures[future]
                try:
                    found = future.result()
                except Failed as exc:
                    record({doi: DoiAnswer("unverified", reason=str(exc)) for doi in batch})
                    continue
                # Crossref lower-cases beyond ASCII; compare its keys the same way.
                record({doi: DoiAnswer("found", record=found[doi.lower()]) for doi in batch
                        if doi.lower() in found})
                absent.extend(doi for doi in batch if doi.lower() not in found)
        absent.extend(doi for doi in todo if not crossref.filterable(doi))
        if absent:
            _ask_registry(sorted(absent), config, policy, crossref, record)
    finally:
        crossref.close()
    return answers


def _ask_registry(dois: list[str], config, policy: Policy, crossref: CrossrefClient, record) -> None:
    registry = Registry(config, policy)
    try:
        for batch in registry.batches(dois):
            try:
                agencies = registry.agencies(batch)
            except RegistryFailed as exc:
                record({doi: DoiAnswer("unverified", reason=f"not in Crossref; {exc}") for doi in batch})
                continue
            out = {}
            for doi in batch:
                agency = agencies.get(doi.lower())
                if agency is None:
                    out[doi] = DoiAnswer("unverified", reason="not in Crossref; doi.org did not say")
                elif agency == NOT_FOUND:
                    out[doi] = DoiAnswer("not-found")
                elif agency.lower() == "crossref" or not agency:
                    out[doi] = _single(crossref, doi, agency)
                else:
                    out[doi] = DoiAnswer("other-agency", agency=agency)
            record(out)
    finally:
        registry.close()


def _single(crossref: CrossrefClient, doi: str, agency: str) -> DoiAnswer:
    """Registered (with Crossref, or we could not tell) yet absent from the batch: ask by its own route."""
    try:
        work = crossref.work(doi)
    except Failed as exc:
        return DoiAnswer("unverified", reason=str(exc))
    if work is not None:
        return DoiAnswer("found", record=work)
    if agency:
        return DoiAnswer("unverified", reason="registered with Crossref, but Crossref has no record of it")
    return DoiAnswer("other-agency", agency="another agency")


def _stored(answer: DoiAnswer) -> dict:
    return {"record": answer.record, "agency": answer.agency, "reason": answer.reason}
