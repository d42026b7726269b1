"""Tagged words of the practice rules (`pipeline.practices.context`)."""
from __future__ import annotations

from pipeline.practices import find_mentions


def test_cached_hmm_decoding_changes_no_mention(corpus_docs, monkeypatch):
    """jieba.posseg's Viterbi is cached by run; extraction over the Chinese demo documents gives
    the same mentions with jieba's own decoder, and a decoder called with other tables is passed
    through."""
    import jieba.posseg

    from pipeline.lang.zh import plain_pos_tokenizer
    from pipeline.practices import context

    plain_pos_tokenizer()
    cached = jieba.posseg.viterbi
    assert hasattr(cached, "original")
    zh = [d for d in corpus_docs.values() if d.lang == "zh"]
    context.zh_tokens.cache_clear()
    with_cache = [find_mentions(d) for d in zh]
    monkeypatch.setattr(jieba.posseg, "viterbi", cached.original)
    context.zh_tokens.cache_clear()
    without = [find_mentions(d) for d in zh]
    context.zh_tokens.cache_clear()
    assert with_cache == without and sum(map(len, with_cache)) >= 10
    states = {"一": jieba.posseg.char_state_tab_P["一"]}  # other tables: not cached, not confused
    got = cached("一", states, jieba.posseg.start_P, jieba.posseg.trans_P, jieba.posseg.emit_P)
    assert got == cached.original("一", states, jieba.posseg.start_P, jieba.posseg.trans_P, jieba.posseg.emit_P)
