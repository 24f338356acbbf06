"""Check kinds: the Python behind rule files. A rule file names its kind; `build` instantiates it.

Kinds are imported on first use, so `citecheck check` loads only the checks its rules need.
"""

from __future__ import annotations

import importlib

KINDS = {
    "front-matter-invalid": "frontmatter:FrontMatterInvalid",
    "front-matter-field-missing": "frontmatter:FieldMissing",
    "slug-filename-mismatch": "frontmatter:SlugFilenameMismatch",
    "duplicate-alias": "frontmatter:DuplicateAlias",
    "duplicate-page-id": "frontmatter:DuplicatePageId",
    "invalid-date": "frontmatter:InvalidDate",
    "internal-link-broken": "links:InternalLinkBroken",
    "internal-link-via-alias": "links:InternalLinkViaAlias",
    "internal-anchor-missing": "links:InternalAnchorMissing",
    "absolute-self-link": "links:AbsoluteSelfLink",
    "stale-missing-marker": "links:StaleMissingMarker",
    "attachment-url-malformed": "attachments:AttachmentUrlMalformed",
    "doi-malformed": "doi:DoiMalformed",
    "doi-text-href-mismatch": "doi:DoiTextHrefMismatch",
    "doi-url-non-canonical": "doi:DoiUrlNonCanonical",
    "mojibake-author-name": "encoding:MojibakeAuthorName",
    "mojibake-text": "encoding:MojibakeText",
    "lost-character": "encoding:LostCharacter",
    "file-not-utf8": "encoding:FileNotUtf8",
    "inline-html-malformed": "html:InlineHtmlMalformed",
    "unused-suppression": "suppression:UnusedSuppression",
    "pattern": "pattern:Pattern",
    # Network kinds (scope "remote"): they ask the resolver questions and judge its answers.
    "attachment-missing": "urls:AttachmentMissing",
    "attachment-type-mismatch": "urls:AttachmentTypeMismatch",
    "external-link-broken": "urls:ExternalLinkBroken",
    "external-link-permanent-redirect": "urls:ExternalPermanentRedirect",
    "doi-not-found": "doi_status:DoiNotFound",
    "doi-metadata-mismatch": "metadata:MetadataMismatch",
    "doi-retracted": "doi_status:DoiRetracted",
    "doi-has-notice": "doi_status:DoiHasNotice",
    "doi-non-crossref": "doi_status:DoiNonCrossref",
    "unverified": "network:Unverified",
}
# Kinds a site's own rule files may use (no Python of their own).
DECLARATIVE = frozenset({"pattern"})


def kind_class(kind: str):
    target = KINDS.get(kind)
    if target is None:
        return None
    module, name = target.split(":")
    return getattr(importlib.import_module(f"citecheck.checks.{module}"), name)
