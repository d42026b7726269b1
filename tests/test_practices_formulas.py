"""Numeric formulas spelled out by an enumeration nearby (`pipeline.practices.formulas`)."""
from __future__ import annotations

from pipeline.practices import find_mentions


def test_zh_formula_expansion_span(make_doc):
    doc = make_doc("严把群众“知晓率、参与率和满意率”：项目立项前要广泛宣传；“三率”均要在90%以上。")
    (m,) = [m for m in find_mentions(doc) if m.canonical == "三率"]
    assert m.kind == "formula"
    assert doc.text[m.expansion[0]: m.expansion[1]] == "知晓率、参与率和满意率"


def test_vi_formula_expansion(make_doc):
    doc = make_doc("Quận thực hiện “3 không” (không chậm trễ giải quyết hồ sơ; không sách nhiễu, phiền hà nhân dân; "
                   "không để công dân đi lại nhiều lần).")
    (m,) = [m for m in find_mentions(doc) if m.canonical == "3 không"]
    assert doc.text[m.expansion[0]: m.expansion[1]].startswith("không chậm trễ")
