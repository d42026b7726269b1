"""Legacy Vietnamese encodings: TCVN3 (ABC), VNI-Windows and VIQR, detected and converted to NFC.

Before Unicode, Vietnamese text was written in 8-bit font encodings: the font drew Vietnamese
letters at positions that Windows calls cp1252 characters, so the same bytes read as cp1252
(or copied out of a document whose font is lost) give mojibake such as "NghÞ quyÕt" (TCVN3) or
"Nghò quyeát" (VNI). VIQR writes the marks as ASCII after the letter: "Nghi. quye^'t".

- TCVN3 is TCVN 5712:1993 as the ABC fonts (.VnTime) use it, the VN3 level of the standard:
  bytes 0xA0-0xFF hold the lower-case letters, the seven plain capitals Ă Â Ê Ô Ơ Ư Đ and the
  five combining tones (0xB0-0xB4); the table below is the standard's (glibc's TCVN5712-1 agrees
  for every byte of that range). VN3 has no capitals with tone marks: ABC documents drew them
  with a second font (.VnTimeH) at the lower-case positions, so in plain text "NGHỊ QUYẾT" is
  stored as "NGHị QUYếT". They are restored by case heuristics, see `_restore_capitals`.
  Not supported: VN1's capitals with tones at C0/C1 positions (0x01-0x17, 0x80-0x9F), which
  clash with control codes and with the cp1252 punctuation (“ ” – …) that ABC documents carry
  at 0x80-0x9F; those bytes are read as cp1252. Text set entirely in an upper-case font
  (.VnTimeH) in a plain-text file reads as lower case: the font that said so is gone.
- VNI-Windows writes a base letter followed by a mark byte ("a" + "ù" = "á", "e" + "á" = "ế"),
  and ơ ư đ and the toned i/ỵ as single bytes; capitals use the upper-case mark bytes.
- VIQR (RFC 1456): shape marks ( ^ + and tones ` ' ? ~ . after the vowel, "dd" for đ, "\\"
  to keep a mark character literal. Writers rarely escape the full stop or question mark that
  ends a sentence, so a "." or "?" after a word is read as a tone only when the word or the
  sentence goes on (see `_tone_not_punctuation`): "Tho." at the end of a sentence or a line
  stays "Tho." (write "Tho.." or "Tho.\\." for "Thọ.").

Detection does not guess from byte statistics: it converts and asks whether the words look like
Vietnamese syllables (onset + rhyme from the spelling rules, one tone, stop codas only with the
sắc or nặng tone), which wrong decodings (Chinese, cp1258, Western text) almost never produce.
"""
from __future__ import annotations

import re
import unicodedata

ENCODINGS = ("tcvn3", "vni", "viqr")
# A decoding counts as Vietnamese when at least this share of its words that hold a non-ASCII
# letter are valid syllables, and at least MIN_WORDS of them are.
MIN_VALID_SHARE = 0.8
MIN_WORDS = 2
# Latin-1 has Vietnamese letters too ("Tôi là", and VNI's "Sôn" for Sơn): a conversion must raise
# the share of valid syllables by at least this much over the text as it is.
MIN_GAIN = 0.2
# Detection looks at the start of a text only (cut at a line break): as sure, and fast on big files.
DETECTION_SAMPLE = 20_000
# VIQR is ASCII: a text where more than this share of letters are non-ASCII is not VIQR.
MAX_NON_ASCII_FOR_VIQR = 0.02
# ...and at least this share of its words must carry VIQR marks.
MIN_VIQR_WORD_SHARE = 0.35

_GRAVE, _ACUTE, _TILDE, _HOOK, _DOT = "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"
_TONES = _GRAVE + _ACUTE + _TILDE + _HOOK + _DOT
_CIRCUMFLEX, _BREVE, _HORN = "\u0302", "\u0306", "\u031b"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# ---------------------------------------------------------------- bytes as cp1252 characters

# The 5 bytes cp1252 leaves undefined map to the C1 control of the same number, as in Latin-1.
_CP1252 = "".join(
    bytes([b]).decode("cp1252", errors="replace").replace("\ufffd", chr(b)) for b in range(256)
)
_C1_CONTROLS = frozenset("\x81\x8d\x8f\x90\x9d")


def cp1252_view(data: bytes) -> str:
    """The bytes as Windows shows text in a legacy font: cp1252, undefined bytes kept as C1 codes."""
    return data.decode("latin-1").translate({b: c for b, c in enumerate(_CP1252) if ord(c) != b})


# ---------------------------------------------------------------- TCVN3

# TCVN 5712:1993, bytes 0xA0-0xFF. The capitals with tones in this range (0xAF, 0xBA, 0xBF-0xC5,
# 0xCD, 0xD9-0xDB, 0xE0, 0xF0, 0xFF) are VN1 positions that VN3 leaves free.
_TCVN3_HIGH = (
    "\xa0ĂÂÊÔƠƯĐăâêôơưđẰ"
    "\u0300\u0309\u0303\u0301\u0323àảãáạẲằẳẵắẴ"
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"
    "éẹềểễếệìỉỄẾỒĩíịò"
    "Ổỏõóọồổỗốộờởỡớợù"
    "ỖủũúụừửữứựỳỷỹýỵỐ"
)
_TCVN3 = {ord(_CP1252[0xA0 + i]): c for i, c in enumerate(_TCVN3_HIGH)}
# Letters VN3 writes only in lower case (every vowel with a tone): candidates for restoring.
_LOWER_ONLY = frozenset(
    c for c in _TCVN3_HIGH if c.islower() and any(t in unicodedata.normalize("NFD", c) for t in _TONES)
)


def tcvn3_to_unicode(text: str) -> str:
    """Convert TCVN3 text (its bytes as cp1252 characters) to Unicode NFC, restoring capitals.

    >>> tcvn3_to_unicode("NGHÞ QUYÕT")
    'NGHỊ QUYẾT'
    """
    return _restore_capitals(_nfc(text.translate(_TCVN3)))


_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_START = re.compile(
    r"(?:^|(?<=[.!?])\s+)[ \t]*(?:(?:\d+(?:\.\d+)*|[IVXLC]+|[a-zđ])[.):]\s*|[-+•*–]\s*)?(?=[^\W\d_])",
    re.MULTILINE,
)


def _restore_capitals(text: str) -> str:
    """Upper-case the toned vowels VN3 cannot write as capitals where the context is upper case.

    Three rules, in order: (1) a word with at least two other letters, all capitals, is all
    capitals ("ĐảNG", "NGHị"); (2) in a line with no lower-case letter but those vowels, and
    at least one all-capital word that is a Vietnamese syllable (not an acronym like "UBND"),
    every word is ("ủY BAN"), and in other lines a word with one capital beside an all-capital
    syllable is ("Hà NỘI, ngày"); (3) a sentence that starts with such a
    vowel ("ủy ban nhân dân") starts with its capital, unless the text's other sentence starts
    show that lines or sentences here often start in lower case (hard-wrapped text).
    """
    if not any(c in _LOWER_ONLY for c in text):
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        line = _WORD.sub(_upper_word_if_capitals, line)
        words = _WORD.findall(line)
        lower = any(c.islower() and c not in _LOWER_ONLY for word in words for c in word)
        if not lower and any(_is_capital_syllable(w) for w in words):
            line = "".join(c.upper() if c in _LOWER_ONLY else c for c in line)
        else:
            line = _upper_beside_capitals(line)
        lines[i] = line
    text = "\n".join(lines)
    starts = [m.end() for m in _SENTENCE_START.finditer(text)]
    known = [text[s] for s in starts if text[s] not in _LOWER_ONLY and text[s].lower() != text[s].upper()]
    if len(known) >= 3 and sum(c.isupper() for c in known) < 0.8 * len(known):
        return text
    chars = list(text)
    for s in starts:
        if chars[s] in _LOWER_ONLY:
            chars[s] = chars[s].upper()
    return "".join(chars)


def _is_capital_syllable(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and is_syllable(word)


def _upper_beside_capitals(line: str) -> str:
    """Upper-case a word with one capital ("Hà") next to an all-capital syllable ("NỘI")."""
    # words and the gaps between them alternate: [gap, word, gap, word, ..., gap]
    parts = _WORD.split(line)
    words = _WORD.findall(line)
    for k, word in enumerate(words):
        if not _one_capital_and_lower_only(word):
            continue
        before = k > 0 and parts[k].strip(" \t") == "" and _is_capital_syllable(words[k - 1])
        after = k + 1 < len(words) and parts[k + 1].strip(" \t") == "" and _is_capital_syllable(words[k + 1])
        if before or after:
            words[k] = word.upper()
    return "".join(part + word for part, word in zip(parts, words + [""]))


def _one_capital_and_lower_only(word: str) -> bool:
    others = [c for c in word if c not in _LOWER_ONLY]
    return len(others) == 1 and others[0].isupper() and len(others) < len(word)


def _upper_word_if_capitals(match: re.Match) -> str:
    word = match.group()
    others = [c for c in word if c not in _LOWER_ONLY]
    if len(others) >= 2 and all(c.isupper() for c in others):
        return word.upper()
    return word


# ---------------------------------------------------------------- VNI

# Mark bytes (as cp1252 characters, lower-case form; the upper-case form is the same mark).
_VNI_CIRCUMFLEX = {"â": "", "á": _ACUTE, "à": _GRAVE, "å": _HOOK, "ã": _TILDE, "ä": _DOT}
_VNI_BREVE = {"ê": "", "é": _ACUTE, "è": _GRAVE, "ú": _HOOK, "ü": _TILDE, "ë": _DOT}
_VNI_TONE = {"ù": _ACUTE, "ø": _GRAVE, "û": _HOOK, "õ": _TILDE, "ï": _DOT}
# Letters VNI writes as one byte.
_VNI_SINGLE = {"ô": "ơ", "ö": "ư", "ñ": "đ", "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}


def _both_cases(chars) -> str:
    return "".join(sorted(set("".join(chars)) | set("".join(chars).upper())))


_VNI = re.compile(
    f"([aeoAEO])([{_both_cases(_VNI_CIRCUMFLEX)}])"
    f"|([aA])([{_both_cases(_VNI_BREVE)}])"
    f"|([aeouyAEOUY{_both_cases('ôö')}])([{_both_cases(_VNI_TONE)}])"
    f"|([{_both_cases(_VNI_SINGLE)}])"
)


def _vni_letter(match: re.Match) -> str:
    circ_base, circ, breve_base, breve, tone_base, tone, single = match.groups()
    if circ_base:
        return _nfc(circ_base + _CIRCUMFLEX + _VNI_CIRCUMFLEX[circ.lower()])
    if breve_base:
        return _nfc(breve_base + _BREVE + _VNI_BREVE[breve.lower()])
    if tone_base:
        base = _VNI_SINGLE.get(tone_base.lower(), tone_base.lower())
        base = base.upper() if tone_base.isupper() else base
        return _nfc(base + _VNI_TONE[tone.lower()])
    letter = _VNI_SINGLE[single.lower()]
    return letter.upper() if single.isupper() else letter


def vni_to_unicode(text: str) -> str:
    """Convert VNI-Windows text (its bytes as cp1252 characters) to Unicode NFC.

    >>> vni_to_unicode("Nghò quyeát")
    'Nghị quyết'
    """
    return _VNI.sub(_vni_letter, text)


# ---------------------------------------------------------------- VIQR

_VIQR_SHAPES = {("a", "("): _BREVE, ("a", "^"): _CIRCUMFLEX, ("e", "^"): _CIRCUMFLEX,
                ("o", "^"): _CIRCUMFLEX, ("o", "+"): _HORN, ("u", "+"): _HORN}
_VIQR_TONES = {"`": _GRAVE, "'": _ACUTE, "?": _HOOK, "~": _TILDE, ".": _DOT}
# Tone characters that also end sentences.
_VIQR_AMBIGUOUS = ".?"
_VIQR_MARKS = "(^+" + "".join(_VIQR_TONES)
_VIQR_VOWELS = "aeiouyAEIOUY"


_VIQR_MARKED = re.compile(r"(?:[aA][(^]|[eE]\^|[oO][\^+]|[uU]\+|[aeiouyAEIOUY])[`'?~.]|[aA][(^]|[oO][\^+]|[uU]\+")


def viqr_to_unicode(text: str) -> str:
    """Convert VIQR (RFC 1456) text to Unicode NFC.

    >>> viqr_to_unicode("Nghi. quye^'t ddi.nh")
    'Nghị quyết định'
    """
    out: list[str] = []
    i, n = 0, len(text)
    toned = False  # the current word already has a tone: a second tone character is literal
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and (text[i + 1] in _VIQR_MARKS or text[i + 1] in "dD\\"):
            out.append(text[i + 1])
            i += 2
            continue
        if not c.isalpha():
            toned = False
        if c in "dD" and i + 1 < n and text[i + 1] in "dD" and not (i and text[i - 1].isalpha()):
            out.append("đ" if c == "d" else "Đ")
            i += 2
            continue
        if c not in _VIQR_VOWELS:
            out.append(c)
            i += 1
            continue
        letter, i = c, i + 1
        shape = _VIQR_SHAPES.get((c.lower(), text[i] if i < n else ""))
        if shape:
            letter += shape
            i += 1
        if not toned and i < n and text[i] in _VIQR_TONES and (
            text[i] not in _VIQR_AMBIGUOUS or _tone_not_punctuation(text, i)
        ):
            letter += _VIQR_TONES[text[i]]
            toned = True
            i += 1
        out.append(_nfc(letter))
    return "".join(out)


def _tone_not_punctuation(text: str, i: int) -> bool:
    """Whether the ambiguous mark at text[i] is a tone: the word or the sentence goes on.

    After a word and a space, a "?" is a tone whenever a word follows on the line, and a "."
    when a lower-case word follows, or an upper-case or capitalised word follows one of the
    same kind ("Bo^. No^.i vu.", "VU. TO^?"): names and headings, rarely a sentence end.
    """
    rest = text[i + 1 : i + 40]
    if not rest:
        return False
    if rest[0].isalpha() or rest[0] in _VIQR_AMBIGUOUS + ",;:!)\"'\\":
        return True
    following = rest.lstrip(" \t(\"'“‘[")
    if rest[0] not in " \t" or not following or not following[0].isalpha():
        return False
    if text[i] == "?":
        # questions are rare in governance text; a hook before a name is not ("thu? Hie^'n pha'p")
        return True
    if following[0].islower():
        return True
    start = i
    while start and (text[start - 1].isalpha() or text[start - 1] in _VIQR_MARKS):
        start -= 1
    word = "".join(c for c in text[start:i] if c.isalpha())
    return word[:1].isupper() and (len(word) < 2 or word.isupper() == following[:2].isupper())


# ---------------------------------------------------------------- Vietnamese syllables

_ONSETS = sorted(
    "b c ch d đ g gh gi h k kh l m n ng ngh nh p ph qu r s t th tr v x".split(), key=len, reverse=True
) + [""]
_RHYMES = frozenset("""
a ac ach ai am an ang anh ao ap at au ay
ăc ăm ăn ăng ăp ăt
âc âm ân âng âp ât âu ây
e ec em en eng eo ep et
ê êch êm ên ênh êp êt êu
i ia ich iêc iêm iên iêng iêp iêt iêu im in inh ip it iu
o oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt
oc oe oen oeo oet oi om on ong ooc oong op ot
ô ôc ôi ôm ôn ông ôp ôt
ơ ơi ơm ơn ơp ơt
u ua uân uâng uât uây uc uê uêch uênh ui um un ung uơ uôc uôi uôm uôn uông uôt up ut
uy uya uych uyên uyêt uyn uynh uyp uyt uyu
ư ưa ưc ưi ưm ưn ưng ươc ươi ươm ươn ương ươp ươt ươu ưt ưu
y yêm yên yêng yêt yêu ych ynh yp yt
ak ăk ok ôk uk
""".split())
# "ych", "ynh", "yp", "yt" follow "qu" (quých, quỳnh, quýt); the "-k" rhymes spell Central
# Highlands names (Đắk Lắk, Krông Búk).
_STOP_CODAS = ("p", "t", "c", "ch", "k")


def is_syllable(word: str) -> bool:
    """Whether `word` is spelled like a Vietnamese syllable (any case, with or without tone).

    >>> is_syllable("Quyết"), is_syllable("caùc"), is_syllable("ễền")
    (True, False, False)
    """
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) > 1:
        return False
    plain = _nfc("".join(c for c in decomposed if c not in _TONES))
    for onset in _ONSETS:
        if plain.startswith(onset):
            rhyme = plain[len(onset):]
            if rhyme in _RHYMES:
                if tones and rhyme.endswith(_STOP_CODAS) and tones[0] not in _ACUTE + _DOT:
                    continue
                return True
    return False


def syllable_counts(text: str) -> tuple[int, int]:
    """(valid, invalid) counts over the words of `text` that hold a non-ASCII letter."""
    valid = invalid = 0
    for word in _WORD.findall(_nfc(text)):
        if not word.isascii():
            if is_syllable(word):
                valid += 1
            else:
                invalid += 1
    return valid, invalid


def vietnamese_score(text: str) -> tuple[float, int]:
    """(share of valid syllables among words with non-ASCII letters, how many are valid)."""
    valid, invalid = syllable_counts(text)
    return (valid / (valid + invalid) if valid + invalid else 0.0), valid


def _is_vietnamese(score: tuple[float, int]) -> bool:
    return score[0] >= MIN_VALID_SHARE and score[1] >= MIN_WORDS


# ---------------------------------------------------------------- detection


def convert(text: str, encoding: str) -> str:
    """Convert text in a legacy encoding to Unicode NFC.

    Args:
        text: for "tcvn3" and "vni", the bytes as cp1252 characters (see `cp1252_view`), as a
            legacy-font document shows them; for "viqr", the text itself.
        encoding: "tcvn3", "vni" or "viqr".
    Returns:
        NFC text.
    """
    converter = {"tcvn3": tcvn3_to_unicode, "vni": vni_to_unicode, "viqr": viqr_to_unicode}[encoding]
    return _nfc(converter(text))


def detect_font_encoding(text: str) -> tuple[str, str] | None:
    """Whether `text` (cp1252 characters) is Vietnamese in TCVN3 or VNI, and its conversion.

    Args:
        text: bytes read as cp1252, or text that a legacy font displayed.
    Returns:
        (encoding, converted text) for the better of "tcvn3" and "vni", or None when neither
        turns the text into Vietnamese (at least MIN_WORDS words, MIN_VALID_SHARE of them
        valid syllables, a share MIN_GAIN above the text's own).
    """
    if any(c in _C1_CONTROLS for c in text):
        return None
    sample = _sample(text)
    best = None
    for encoding in ("tcvn3", "vni"):
        score = vietnamese_score(convert(sample, encoding))
        if _is_vietnamese(score) and (best is None or score > best[0]):
            best = (score, encoding)
    if best is None or vietnamese_score(sample)[0] > best[0][0] - MIN_GAIN:
        return None
    return best[1], convert(text, best[1])


def _sample(text: str) -> str:
    if len(text) <= DETECTION_SAMPLE:
        return text
    cut = text.rfind("\n", 0, DETECTION_SAMPLE)
    return text[: cut if cut > DETECTION_SAMPLE // 2 else DETECTION_SAMPLE]


def detect_viqr(text: str) -> str | None:
    """The Unicode form of `text` if it is VIQR, else None.

    VIQR text is ASCII, and a good share of its words carry marks that make Vietnamese
    syllables; English apostrophes ("don't", "I'd") and abbreviations ("e.g.") do not.
    """
    sample = _sample(text)
    letters = [c for c in sample if c.isalpha()]
    if not letters or sum(not c.isascii() for c in letters) > MAX_NON_ASCII_FOR_VIQR * len(letters):
        return None
    # Cheap check first: a VIQR text has marked vowels in a good share of its words.
    if len(_VIQR_MARKED.findall(sample)) < max(MIN_WORDS, MIN_VIQR_WORD_SHARE * len(_WORD.findall(sample))):
        return None
    converted = viqr_to_unicode(sample)
    if not _is_vietnamese(vietnamese_score(converted)):
        return None
    words = _WORD.findall(converted)
    changed = sum(not w.isascii() for w in words) - sum(not w.isascii() for w in _WORD.findall(sample))
    if changed < MIN_VIQR_WORD_SHARE * len(words):
        return None
    return converted if sample is text else viqr_to_unicode(text)


def fix_legacy_text(text: str, viqr: bool = True) -> tuple[str, str | None]:
    """Convert already-decoded text that is really TCVN3, VNI or VIQR; leave any other text alone.

    For text from documents whose legacy font was lost on the way (an HTML page served as
    Windows-1252, a DOCX run in .VnTime): characters outside cp1252 mean it is real Unicode.

    Args:
        text: decoded text.
        viqr: also look for VIQR (not in markup, whose punctuation it would misread).
    Returns:
        (text, encoding): the converted text and "tcvn3", "vni" or "viqr", or the text
        unchanged and None.
    """
    converted = detect_viqr(text) if viqr else None
    if converted is not None:
        return converted, "viqr"
    if not text.isascii() and all(c in _CP1252_CHARS for c in text):
        found = detect_font_encoding(text)
        if found:
            return found[1], found[0]
    return text, None


_CP1252_CHARS = frozenset(_CP1252) - _C1_CONTROLS
