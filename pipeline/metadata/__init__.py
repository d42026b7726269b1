"""Metadata stage: a governance document's type, number, issue date, issuer, signer and places.

Rules and regular expressions over normalised text (see `pipeline.normalize`), no model. The layout
they read is the one state and party documents share:

- Vietnamese: a header of two columns (the issuing body left, the national or party motto right),
  "Số: 49/2026/NĐ-CP" and "Hà Nội, ngày 31 tháng 01 năm 2026" under them, the type in capitals
  ("NGHỊ ĐỊNH"), and a signature block at the end ("TM. CHÍNH PHỦ / KT. THỦ TƯỚNG / PHÓ THỦ TƯỚNG /
  name"). Laws without a header close with "Luật này được Quốc hội ... thông qua ngày ...".
- Chinese: a title "X关于Y的通知", a document number "国办发〔2020〕23号" and the sender and date at the
  end; statutes open with dated lines "2019年11月27日 北京市第十五届人民代表大会常务委员会第十六次会议通过".

`doc_type` is a label from the fixed vocabulary `DOC_TYPES`: ASCII slugs of the native name
(Vietnamese without tones, Chinese in pinyin) so that a `--type` filter is easy to type, plus
"news" for reported, dated stories; "" when unknown. `doc_type_name` is the display name.

For a statute with a history (adopted, amended, revised), the issue date is the date of the
version in hand: the latest adoption, amendment, approval or promulgation in its header, never
the date it takes effect. News items and web pages, which carry no issue date, are dated by
their publication date: a posting line ("Ngày đăng: 26/06/2025 15:42", "发布时间：2023-05-06") or,
for news, the dateline that opens the report ("Ngày 8/2/2017, ...", "5月6日，..."); a dateline
without a year takes the year the text gives the same day elsewhere ("Sáng 22/5, ..." and a caption
"Sáng 22/5/2017"), and stays undated when the text never gives it. Every date found is kept in
`dates` with its role.

The package, each module importing only the ones above it:

- `types`: the records (`DocMeta`, `Place`, `DatedMention`), `DOC_TYPES` and the place levels;
- `text`: what both languages read: text with its markup blanked (offsets kept), lines, sentences;
- `places`: the order of a document's places (header and title first, then the most frequent);
- `dates`: ISO dates and the publication date of news items and web pages, from each language's
  `PublicationRules`;
- `record`: the end both languages share: the issue date (else the publication date), the year, the
  references and the `DocMeta`;
- `vi`, `zh`: each language's rules for type, number, dates, issuer, signer and places;
- `extract`: `extract_metadata`, which hands a document to its language's rules.
"""
from __future__ import annotations

from .extract import extract_metadata
from .types import DOC_TYPES, DatedMention, DocMeta, Place

__all__ = ["DOC_TYPES", "DatedMention", "DocMeta", "Place", "extract_metadata"]
