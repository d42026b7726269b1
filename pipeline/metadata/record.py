"""The end both languages' rules share: from what they found (type, number, dates, issuer, signer,
places), the issue date (else the publication date of a news item or web page), the year, the
references to other documents, and the `DocMeta` they make.
"""
from __future__ import annotations

import re
from typing import Callable

from .dates import PublicationRules, publication_date, with_published
from .types import DOC_TYPES, DatedMention, DocMeta, Place

REFERENCES_KEPT = 20  # other documents' numbers kept per document, in order of first mention


def document_meta(
    plain: str, lines: list[tuple[int, int, str]], publication: PublicationRules, doc_numbers: re.Pattern[str],
    doc_type: str, number: str, dates: list[DatedMention], issue: str, undated_year: Callable[[], int | None],
    issuer: str, signer: str, signer_title: str, places: tuple[Place, ...],
) -> DocMeta:
    """The `DocMeta` of a document whose rules found these parts.

    Args:
        plain: the document's text with its markup blanked; `lines` its non-blank lines.
        publication: the language's patterns for a posting line or a dateline, read when `issue` is "".
        doc_numbers: the language's document numbers; those other than `number` are its references.
        undated_year: the year when no issue or publication date is found (from the number, say).
    """
    if not issue:
        published = publication_date(plain, lines, doc_type, publication)
        if published:
            dates = with_published(dates, published)
            issue = published.date
    refs = tuple(dict.fromkeys(m.group() for m in doc_numbers.finditer(plain) if m.group() != number))
    return DocMeta(
        doc_type=doc_type,
        doc_type_name=DOC_TYPES[doc_type][1] if doc_type else "",
        number=number,
        issue_date=issue,
        year=int(issue[:4]) if issue else undated_year(),
        issuer=issuer,
        signer=signer,
        signer_title=signer_title,
        places=places,
        dates=tuple(dates),
        references=refs[:REFERENCES_KEPT],
    )
