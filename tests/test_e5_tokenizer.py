"""The sentencepiece e5 tokenizer gives the ids of the model folder's transformers tokenizer."""
from pathlib import Path

import pytest

from pipeline.e5_tokenizer import SPM_FILE, E5Tokenizer, build_sentencepiece
from pipeline.embed import ensure_model

ROOT = Path(__file__).resolve().parents[1]

TRICKY = [
    "a ", " a", "a\n", "a  b", "\tx\u3000y ", " ", "業主委員會", "𠀀𪚥", "😀👍🏽", "ｆｕｌｌ　ｗｉｄｔｈ１２３",
    "Tổ  dân\u00a0phố", "a\u200bb", "Ban quan tri\u0301", "Điều 5.\n\n  Quyền và nghĩa vụ  ", "一征三议两公开\r\n工作法",
]


def _texts():
    texts = list(TRICKY)
    for path in sorted((ROOT / "corpora").rglob("*")):
        if path.suffix in {".txt", ".md", ".html"}:
            body = path.read_text(encoding="utf-8", errors="replace")
            texts += ["passage: " + body[i : i + 700] for i in range(0, min(len(body), 20_000), 700)]
    return texts


@pytest.fixture(scope="module")
def folder():
    return ensure_model(full=False)


def test_ids_equal_the_transformers_tokenizer(folder):
    from transformers import AutoTokenizer

    reference = AutoTokenizer.from_pretrained(str(folder))
    texts = _texts()
    assert len(texts) > 40
    want = reference(texts, truncation=True, max_length=512)["input_ids"]
    got = E5Tokenizer(folder).encode(texts, max_length=512)
    assert [texts[i] for i, (a, b) in enumerate(zip(got, want)) if a != b] == []
    long = "居民自治组织依法开展活动。" * 200
    assert len(E5Tokenizer(folder).encode([long])[0]) == 512 == len(reference(long, truncation=True)["input_ids"])


def test_sentencepiece_model_is_built_when_missing(folder, tmp_path):
    (tmp_path / "tokenizer.json").write_bytes((folder / "tokenizer.json").read_bytes())
    tok = E5Tokenizer(tmp_path)
    assert (tmp_path / SPM_FILE).stat().st_size > 1_000_000
    assert not list(tmp_path.glob("*.tmp"))
    again = build_sentencepiece(tmp_path / "tokenizer.json", tmp_path / "copy.model")
    assert again.read_bytes() == (tmp_path / SPM_FILE).read_bytes()  # deterministic
    assert tok.encode(["Ban quản trị"]) == E5Tokenizer(folder).encode(["Ban quản trị"])
