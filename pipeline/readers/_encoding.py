"""Detect a text file's encoding: UTF-8/16 by BOM or byte pattern, else GB18030, Big5, Windows-1258
or a legacy Vietnamese encoding (TCVN3, VNI, VIQR: see `_vietnamese_legacy`).

Statistical detectors (charset-normalizer) guess wrong on short texts: "党建引领" in GB18030
comes out as Korean cp949. The legacy encodings here are told apart instead by what each
decoding produces: GB18030 decodes almost any byte pairs, so every candidate that decodes
strictly is scored by the share of its non-ASCII characters that are plausible for it
(common hanzi, CJK punctuation, Vietnamese letters), and the most plausible wins.
TCVN3 and VNI decode any bytes, so they are judged more strictly, before those: they win only
when nearly every word they produce is a Vietnamese syllable, more so than in the cp1258
reading. Text that decodes as Unicode is still checked for VIQR and for TCVN3/VNI mojibake
(a legacy-font document saved as Unicode text).
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from ..errors import EncodingError, ExtractionFailed
from ..lang.vi import LETTERS as VI_LETTERS
from ..lang.zh import HAN_URO
from ._vietnamese_legacy import cp1252_view, detect_font_encoding, fix_legacy_text, vietnamese_score

# Tried in this order after UTF-8; on equal scores the earlier one wins.
LEGACY_ENCODINGS = ("gb18030", "cp950", "cp1258")
TRIED = ("utf-8", "utf-16") + LEGACY_ENCODINGS + ("tcvn3", "vni")

_BINARY_MAGIC = {
    b"%PDF": "a PDF",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or DOCX/XLSX)",
    b"\x1f\x8b": "a gzip archive",
    b"\xd0\xcf\x11\xe0": "an old Office document",
}
# C0/C1 controls that never occur in text; \t \n \v \f \r and \x1a (DOS end-of-file) do.
_BAD_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f-\x9f]")

# The main ideograph block only: the common hanzi of GB 2312 and Big5 all lie in it, and a wrong
# decoding is told apart by the rarer characters it produces.
_COMMON_HANZI_FIRST, _COMMON_HANZI_LAST = HAN_URO.split("-")
# Typographic punctuation Vietnamese Windows text uses (cp1258 bytes 0x85, 0x91-0x97, 0xA0).
_VI_PUNCT = frozenset("“”‘’–—…•\xa0")


# A file that is UTF-8 but for a few invalid bytes or NULs (a bad copy, a truncated write) is read as
# UTF-8 with those bytes replaced (U+FFFD) or dropped, up to this share of its bytes (and at least one).
_REPAIRABLE_SHARE = 0.002


@dataclass(frozen=True)
class Decoded:
    """A text file's decoded text, its encoding, and how many invalid bytes or NULs were replaced."""

    text: str
    encoding: str
    replaced: int = 0


def decode_text(data: bytes, viqr: bool = True) -> Decoded:
    """`decode_bytes`, but UTF-8 text with a few invalid bytes or NULs is kept, with them replaced and counted.

    Raises:
        ExtractionFailed, EncodingError: as `decode_bytes`.
    """
    budget = max(1, int(len(data) * _REPAIRABLE_SHARE))
    nuls = data.count(b"\x00")
    if 0 < nuls <= budget and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
            and _bomless_utf16(data) is None and not any(data.startswith(m) for m in _BINARY_MAGIC):
        data = data.replace(b"\x00", b"")
    else:
        nuls = 0
    try:
        text, encoding = decode_bytes(data, viqr)
        return Decoded(text, encoding, nuls)
    except (EncodingError, ExtractionFailed):
        text = data.decode("utf-8", errors="replace")
        bad = text.count("\ufffd") - data.count("\ufffd".encode("utf-8"))
        if not 0 < bad <= budget or any(data.startswith(m) for m in _BINARY_MAGIC):
            raise
        text, encoding = _unicode_or_legacy(_reject_binary(text), "utf-8", viqr)
        return Decoded(text, encoding, nuls + bad)


def decode_bytes(data: bytes, viqr: bool = True) -> tuple[str, str]:
    """Decode a text file's bytes, detecting the encoding.

    Args:
        data: the whole file.
        viqr: also detect VIQR; off for markup (HTML), whose punctuation VIQR would take for
            tone marks: check the extracted text instead.
    Returns:
        (text, encoding): encoding is one of "utf-8", "utf-8-sig", "utf-16" (with BOM),
        "utf-16-le", "utf-16-be" (no BOM), "gb18030", "cp950" (Big5), "cp1258", or a legacy
        Vietnamese encoding "tcvn3", "vni", "viqr", whose text is converted to Unicode NFC.
    Raises:
        ExtractionFailed: the bytes are binary (NUL bytes, a known file signature, control characters).
        EncodingError: no supported encoding decodes the bytes cleanly.
    """
    if data.startswith(codecs.BOM_UTF8):
        return _checked(data, "utf-8-sig", viqr)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _checked(data, "utf-16", viqr)
    for magic, kind in _BINARY_MAGIC.items():
        if data.startswith(magic):
            raise ExtractionFailed(f"binary file, not text (looks like {kind})")
    if b"\x00" in data:
        encoding = _bomless_utf16(data)
        if encoding is None:
            raise ExtractionFailed("binary file, not text (it holds NUL bytes)")
        return _checked(data, encoding, viqr)
    try:
        return _unicode_or_legacy(_reject_binary(data.decode("utf-8")), "utf-8", viqr)
    except UnicodeDecodeError:
        pass
    legacy = _legacy_vietnamese(data)
    if legacy is not None:
        return legacy
    candidates = []
    for encoding in LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_plausibility(text, encoding), text, encoding))
    if not candidates:
        raise EncodingError(
            f"no supported encoding decodes the file cleanly (tried {', '.join(TRIED)}); "
            "convert it to UTF-8"
        )
    # max() keeps the first of equal scores, so LEGACY_ENCODINGS order breaks ties.
    _, text, encoding = max(candidates, key=lambda c: c[0])
    return _reject_binary(text), encoding


def _checked(data: bytes, encoding: str, viqr: bool) -> tuple[str, str]:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        raise EncodingError(f"the file is marked as {encoding} but does not decode as {encoding}") from None
    return _unicode_or_legacy(_reject_binary(text), encoding, viqr)


def _unicode_or_legacy(text: str, encoding: str, viqr: bool) -> tuple[str, str]:
    """Unicode text as it is, unless it is VIQR or legacy-font mojibake (then converted)."""
    fixed, legacy = fix_legacy_text(text, viqr=viqr)
    return (fixed, legacy) if legacy else (text, encoding)


def _legacy_vietnamese(data: bytes) -> tuple[str, str] | None:
    """(text, "tcvn3" or "vni") when the bytes are Vietnamese in one of them, more clearly than in cp1258."""
    found = detect_font_encoding(cp1252_view(data))
    if found is None:
        return None
    encoding, text = found
    try:
        as_cp1258 = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return _reject_binary(text), encoding
    if vietnamese_score(as_cp1258) >= vietnamese_score(text):
        return None
    return _reject_binary(text), encoding


def _reject_binary(text: str) -> str:
    if len(_BAD_CONTROLS.findall(text)) > 0.02 * len(text):
        raise ExtractionFailed("binary file, not text (it holds control characters)")
    return text


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without BOM, if the bytes decode to sensible text in one byte order.

    Read in the wrong byte order, CJK text turns into other blocks (CJK Extension A, Yi,
    Hangul...), so of two clean decodings the one with more common characters wins.
    """
    if len(data) % 2:
        return None
    candidates = []
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not any(_is_junk(c) for c in text):
            candidates.append((sum(map(_is_common_char, text)), encoding))
    # max() keeps the first of equal scores: little-endian, what Windows writes.
    return max(candidates, key=lambda c: c[0])[1] if candidates else None


def _is_common_char(c: str) -> bool:
    """ASCII, Latin-1, Vietnamese letters and tones, punctuation, common hanzi, CJK forms."""
    if _COMMON_HANZI_FIRST <= c <= _COMMON_HANZI_LAST:
        return _is_common_hanzi(c, "gb18030") or _is_common_hanzi(c, "cp950")
    return (
        c <= "\u00ff"
        or c in VI_LETTERS
        or "\u0300" <= c <= "\u036f"
        or "\u2000" <= c <= "\u206f"
        or "\u3000" <= c <= "\u303f"
        or "\uff00" <= c <= "\uffef"
    )


def _is_junk(c: str) -> bool:
    """A character that does not occur in text: a stray control, unassigned or private-use."""
    return bool(_BAD_CONTROLS.match(c)) or unicodedata.category(c) in ("Cn", "Co")


def _plausibility(text: str, encoding: str) -> float:
    """Share of the non-ASCII, non-space characters that are expected in text of this encoding."""
    if encoding == "cp1258":
        # cp1258 writes most tones as combining marks after the vowel: compose before judging.
        text = unicodedata.normalize("NFC", text)
    chars = [c for c in text if ord(c) > 0x7F and not c.isspace()]
    if encoding == "cp1258":
        good = sum(c in VI_LETTERS or c in _VI_PUNCT for c in chars)
    else:
        good = sum(_is_cjk_punct(c) or _is_common_hanzi(c, encoding) for c in chars)
    return good / len(chars) if chars else 0.0


def _is_cjk_punct(c: str) -> bool:
    return "\u3000" <= c <= "\u303f" or "\uff01" <= c <= "\uff5e" or "\u2010" <= c <= "\u2027"


def _is_common_hanzi(c: str, encoding: str) -> bool:
    """In GB2312 level 1 (rows B0-D7) or Big5's frequent block (A440-C67E): each standard's common hanzi."""
    try:
        code = c.encode("gb2312" if encoding == "gb18030" else "cp950")
    except UnicodeEncodeError:
        return False
    if len(code) != 2:
        return False
    if encoding == "gb18030":
        return 0xB0 <= code[0] <= 0xD7
    return 0xA440 <= int.from_bytes(code, "big") <= 0xC67E
