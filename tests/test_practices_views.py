"""Result views of the practice layer (`pipeline.practices.views`): catalogue table, practice card,
side-by-side comparison, document view."""
import pytest

from pipeline.practices import NEAREST_FLOOR, Catalogue, PracticeCard, nearest_practices, summary_dict
from pipeline.practices.views import _one_line, _width, _wrap


@pytest.fixture(scope="module")
def demo_practices(corpus_docs):
    from pipeline.practices import build_catalogue

    return build_catalogue(corpus_docs.values())


@pytest.mark.parametrize("text, expected", [
    ("要广\n泛征求群众意见", "要广泛征求群众意见"),  # a line break inside Chinese text is no space
    ("Ban quản trị\nnhà chung cư", "Ban quản trị nhà chung cư"),
    ("  hai   dấu\t cách ", "hai dấu cách"),
    ("三率\n 90% above", "三率 90% above"),
])
def test_one_line(text, expected):
    assert _one_line(text) == expected


@pytest.mark.parametrize("text, width", [
    ("一征三议两公开工作法" * 5, 20),
    ("Dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng", 24),
    ("混合 text 中文 và tiếng Việt " * 4, 17),
])
def test_wrap_keeps_columns_and_characters(text, width):
    lines = _wrap(text, width)
    assert all(_width(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    short = _wrap(text, width, max_lines=2)
    assert len(short) == 2 and short[-1].endswith("…")


def test_catalogue_head_and_text(demo_practices):
    cat = Catalogue(demo_practices, documents=5)
    top = cat.head(3)
    assert len(top) == 3 and top.total == len(demo_practices)
    text = top.to_text()
    assert text.startswith(f"3 of {len(demo_practices)} practices in 5 documents")
    assert top[0].name in text
    assert cat.head(0) == cat
    html = cat._repr_html_()
    assert html.count("<tr>") == len(demo_practices) + 1
    row = summary_dict(demo_practices[0])
    assert set(row) >= {"name", "lang", "doc_count", "mention_count", "places", "years", "definition"}


def test_card_text_marks_each_use_and_cites_it(demo_practices):
    p = next(p for p in demo_practices if p.canonical == "一征三议两公开")
    card = PracticeCard(p, pages={(u.doc_id, u.start): None for u in p.uses})
    text = card.to_text(("[[", "]]"))
    assert text.count("[[") == len(p.uses) == len(card.citations())
    for u in p.uses:
        assert f"[[{u.name}]]" in text
    assert all("chars " in c for c in card.citations())
    assert card.to_dict()["uses"][0]["citation"] == card.citations()[0]


def test_nearest_practices_are_of_the_other_language(demo_practices):
    import numpy as np

    rng = np.random.default_rng(0)
    vectors = {}
    for p in demo_practices:
        v = rng.normal(size=8)
        vectors[(p.lang, p.canonical)] = v / np.linalg.norm(v)
    target = next(p for p in demo_practices if p.lang == "zh")
    near = nearest_practices(target, vectors, demo_practices, k=3, floor=-1.0)
    assert near and all(n.lang == "vi" for n in near)
    scores = [n.score for n in near]
    assert scores == sorted(scores, reverse=True)
    best = max((p for p in demo_practices if p.lang == "vi"),
               key=lambda p: float(vectors[(p.lang, p.canonical)] @ vectors[(target.lang, target.canonical)]))
    assert near[0].name == best.name
    assert nearest_practices(target, {}, demo_practices) == ()
    # under the measured floor nothing is near: random pairs reach that closeness
    floored = nearest_practices(target, vectors, demo_practices, k=3, floor=near[0].score + 1e-6)
    assert floored == ()
    assert all(n.score >= NEAREST_FLOOR for n in nearest_practices(target, vectors, demo_practices, k=50))


def test_citation_does_not_repeat_a_title_used_as_heading(demo_practices):
    from dataclasses import replace

    from pipeline.practices import use_citation

    use = replace(demo_practices[0].uses[0], title="二七区党建引领居民自治 助力老旧小区改造")
    titled = replace(use, section=use.title, places=("二七区",), date="2021-05-28")
    cite = use_citation(titled, page=3)
    assert cite.count(use.title) == 1 and "2021-05-28" in cite and "p. 3" in cite and "二七区" in cite
    other = use_citation(replace(use, section="一、建立“三类组织”"))
    assert "一、建立“三类组织”" in other


def test_comparison_renders_left_aligned():
    from pipeline.api import SearchResults
    from pipeline.practices import Comparison

    html = Comparison("居民自治", "zh", {"vi": SearchResults([], "x"), "zh": SearchResults([], "x")})._repr_html_()
    assert html.count("<td style='vertical-align:top;text-align:left") == 2  # Jupyter right-aligns cells otherwise


def test_document_view_joins_lines_greys_boilerplate_and_marks_the_passage(corpus_docs):
    from pipeline.practices import DocumentView
    from pipeline.normalize import unquotable_spans

    doc = corpus_docs["zh_erqi_old-neighbourhoods.txt"]
    start = doc.text.index("项目实施前")
    end = doc.text.index("保证群众参与率") + 7
    view = DocumentView(doc, {"issuer": "二七区"}, "", start, end, tuple(unquotable_spans(doc)))
    assert "<mark>项目实施前,要广泛征求群众意见,保证群众参与率</mark>" in view._repr_html_()
    assert "【项目实施前,要广泛征求群众意见,保证群众参与率】" in view.to_text()
    assert view.to_dict()["passage_text"] == "项目实施前,要广泛征求群众意见,保证群众参与率"

    vi = corpus_docs["vi_nghi-quyet_giang-bien_2021.txt"]
    html = DocumentView(vi, {}, "", None, None, tuple(unquotable_spans(vi)))._repr_html_()
    assert "<span style='color:#999'>Nơi nhận:" in html and "<mark>" not in html
