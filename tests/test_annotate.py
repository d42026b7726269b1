"""The spaCy view of a document (`Library.doc`, `pipeline.annotate`): govtext's words and sentences, span groups
for practices, places, actors and headings, metadata in user_data, and displaCy markup."""
from __future__ import annotations

import pytest

from pipeline.annotate import SPAN_KEYS, annotated_doc, render_spans
from pipeline.errors import DocumentNotFound
from pipeline.language import detect_document
from pipeline.metadata import extract_metadata
from pipeline.normalize import normalize
from pipeline.practices import find_mentions
from pipeline.segment import segment

SEEDS = ("vi_nghi-quyet_giang-bien_2021", "vi_thanh-xuan_chung-cu-cu_2022", "zh_changning_minghui-xijiao-yuan",
         "zh_erqi_old-neighbourhoods", "zh_jiuliting_duxiang")


def _annotate(doc):
    segments = segment(doc)
    return annotated_doc(doc, segments, find_mentions(doc, segments), extract_metadata(doc.text, doc.lang, doc.title))


def _spans(sdoc, key):
    return [(s.text, s.label_) for s in sdoc.spans[key]]


@pytest.fixture(scope="module")
def seeds(demo_library):
    """name of a demo document -> (its stored Document, its spaCy Doc from Library.doc)."""
    lib, _ = demo_library
    out = {}
    for row in lib.documents():
        name = next(n for n in SEEDS if n in row["source"])
        out[name] = (lib.show(row["doc_id"]), lib.doc(row["doc_id"]))
    return out


# ---------------------------------------------------------------- words and sentences


@pytest.mark.parametrize(
    "text, words, sentences",
    [
        ("老旧小区整治提升工作全程贯彻“一征三议两公开”工作法。业主委员会积极参与。", ["一征三议两公开", "业主委员会"], 2),
        ("Ban quản trị  nhà chung cư\nhọp định kỳ. Uỷ ban nhân dân phường đồng ý!",
         ["Ban quản trị", "nhà chung cư", "Uỷ ban nhân dân"], 3),  # segments never cross a line break
    ],
)
def test_words_and_sentences_are_govtexts_own(make_doc, text, words, sentences):
    sdoc = _annotate(make_doc(text))
    assert sdoc.text == text
    assert set(words) <= {t.text for t in sdoc}
    assert len(list(sdoc.sents)) == sentences


@pytest.mark.parametrize("name", SEEDS)
def test_text_is_the_stored_text_and_sentences_are_the_segments(seeds, name):
    stored, sdoc = seeds[name]
    assert sdoc.text == stored.text
    assert "\n" in stored.text and any(t.is_space for t in sdoc)  # line breaks are tokens of their own
    segments = segment(stored)
    starts = {s.start_char for s in sdoc.sents}
    assert len(starts) > 1 and {s.start for s in segments} <= starts


@pytest.mark.parametrize("name", ["vi_nghi-quyet_giang-bien_2021", "zh_erqi_old-neighbourhoods"])
def test_odd_whitespace_is_kept_exactly(corpus_docs, make_doc, name):
    text = corpus_docs[f"{name}.txt"].text
    odd = ("  \t" + text.replace("\n", " \n\n\t", 3).replace("。", "。\u3000", 3).replace(". ", ".\u00a0 ", 3)
           + "\r\n \u2003")
    for doc in (make_doc(odd), detect_document(normalize(make_doc(odd)))):  # as given, and as ingest stores it
        sdoc = _annotate(doc)
        assert sdoc.text == doc.text
        assert len(list(sdoc.sents)) > 1


# ---------------------------------------------------------------- span groups and metadata


def test_practice_spans_name_the_mentions(seeds):
    _, erqi = seeds["zh_erqi_old-neighbourhoods"]
    found = [s for s in erqi.spans["practices"] if s.text == "“一征三议两公开”工作法"]
    assert found and found[0].label_ == "formula" and found[0].id_ == "一征三议两公开"
    _, giang_bien = seeds["vi_nghi-quyet_giang-bien_2021"]
    assert ("quy chế phối hợp", "cue") in _spans(giang_bien, "practices")


def test_every_stored_mention_has_a_span_covering_it(seeds, demo_library):
    lib, _ = demo_library
    for stored, sdoc in seeds.values():
        mentions = lib.manifest.mentions([stored.id])[stored.id].mentions
        spans = [(s.start_char, s.end_char) for s in sdoc.spans["practices"]]
        assert mentions and 0 < len(spans) <= len(mentions)
        for m in mentions:
            assert any(s <= m["start"] and m["end"] <= e for s, e in spans), m["name"]


def test_place_spans_carry_their_level(seeds):
    _, erqi = seeds["zh_erqi_old-neighbourhoods"]
    assert {("二七区", "district"), ("大学路街道", "ward")} <= set(_spans(erqi, "places"))
    _, giang_bien = seeds["vi_nghi-quyet_giang-bien_2021"]
    assert ("phường Giang Biên", "ward") in _spans(giang_bien, "places")


def test_actor_spans_come_from_the_actor_lexicon(seeds):
    _, changning = seeds["zh_changning_minghui-xijiao-yuan"]
    assert ("业主委员会", "业委会") in _spans(changning, "actors")
    assert not any(s.text == "居民自治" for s in changning.spans["actors"])  # 居民 inside another word is not an actor
    _, giang_bien = seeds["vi_nghi-quyet_giang-bien_2021"]
    actors = set(_spans(giang_bien, "actors"))
    assert {("Ban quản trị", "Ban quản trị"), ("Ban Quản trị", "Ban quản trị"), ("chi bộ", "chi bộ / đảng ủy")} <= actors


def test_heading_spans_are_the_heading_segments(seeds):
    for stored, sdoc in seeds.values():
        headings = [s for s in segment(stored) if s.kind == "heading"]
        assert [(s.start_char, s.end_char) for s in sdoc.spans["headings"]] == [(h.start, h.end) for h in headings]
    _, erqi = seeds["zh_erqi_old-neighbourhoods"]
    assert ("依托“一征三议两公开”工作法,保证长效发展", "SECTION") in _spans(erqi, "headings")


def test_metadata_is_in_user_data(seeds):
    stored, erqi = seeds["zh_erqi_old-neighbourhoods"]
    data = erqi.user_data
    assert (data["id"], data["doc_title"], data["source"], data["lang"]) == (stored.id, stored.title, stored.source, "zh")
    assert "二七区" in data["meta"]["places"] and "二七区" in data["meta"]["districts"]
    assert set(SPAN_KEYS) <= set(erqi.spans)


def test_an_unknown_document_is_a_named_error(demo_library):
    lib, _ = demo_library
    with pytest.raises(DocumentNotFound):
        lib.doc("no-such-document")


# ---------------------------------------------------------------- displaCy


def test_displacy_draws_practice_and_place_spans(seeds):
    from spacy import displacy

    _, erqi = seeds["zh_erqi_old-neighbourhoods"]
    markup = displacy.render(erqi, style="span", options={"spans_key": "practices"}, jupyter=False)
    assert "一征三议两公开" in markup and "formula" in markup
    both = render_spans(erqi)
    assert "formula" in both and "district" in both and "background" in both


def test_class_markup_has_no_inline_style(seeds):
    _, erqi = seeds["zh_erqi_old-neighbourhoods"]
    markup = render_spans(erqi, classes=True)
    assert "style=" not in markup
    assert 'class="spans"' in markup and "dx-token" in markup and "dx-practices" in markup and "dx-places" in markup
    every = render_spans(erqi, keys=SPAN_KEYS, classes=True)  # each span group has its class, whatever the labels
    assert "dx-actors" in every and "dx-headings" in every and "dx-#" not in every and "style=" not in every


def test_markup_in_a_document_is_escaped(make_doc):
    from dataclasses import replace

    from spacy import displacy

    text = "“<script>alert(1)</script>”工作法在<b>二七区</b>推行。业主委员会积极参与。"
    doc = replace(make_doc(text), title="<img src=x onerror=alert(1)>")
    sdoc = _annotate(doc)
    assert sdoc.text == text
    for markup in (render_spans(sdoc), render_spans(sdoc, classes=True),
                   displacy.render(sdoc, style="span", options={"spans_key": "actors"}, jupyter=False)):
        assert "<script>" not in markup and "<b>" not in markup and "<img" not in markup
        assert "&lt;" in markup and "script" in markup


def test_leading_whitespace_opens_the_first_sentence(make_doc):
    sdoc = _annotate(make_doc(" \n\t业主委员会积极参与。居民自治。"))
    assert [s.text for s in sdoc.sents] == [" \n\t业主委员会积极参与。", "居民自治。"]
