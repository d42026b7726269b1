"""What a practice carries: a formula's parts and the clauses that define them (`pipeline.practices.evidence`)."""
from __future__ import annotations



ZH_FORMULA_DEFINED = (
    "社区推行“一征三议两公开”工作法。“一征”即征求群众意见；“三议”即党组织提议、居民代表商议、居民大会决议；"
    "“两公开”即决议结果公开、实施过程公开。\n\n"
    "在老旧小区整治中，我们坚持用好“一征三议两公开”工作法，群众满意率达到95%。"
)


def test_formula_card_breaks_the_formula_into_the_parts_the_text_defines(make_doc):
    from pipeline.normalize import normalize
    from pipeline.practices import PracticeCard, build_catalogue, formula_parts

    assert formula_parts("一征三议两公开") == ["一征", "三议", "两公开"]
    assert formula_parts("三会一课") == ["三会", "一课"] and formula_parts("三率") == []
    defined = normalize(make_doc(ZH_FORMULA_DEFINED, source="defined.txt"))
    undefined = normalize(make_doc("用活用好“一征三议两公开”工作法，保证群众参与率。“一征三议两公开”工作法成效明显。"))
    cat = build_catalogue([defined, undefined], metadata=False)
    p = next(p for p in cat if p.canonical == "一征三议两公开")
    assert [c.part for c in p.components] == ["一征", "三议", "两公开"]
    assert [c.text for c in p.components] == ["“一征”即征求群众意见", "“三议”即党组织提议、居民代表商议、居民大会决议",
                                              "“两公开”即决议结果公开、实施过程公开"]
    assert all(defined.text[c.start:c.end] == c.text for c in p.components)
    text = PracticeCard(p).to_text()
    assert "Parts of the formula:" in text and "  - 三议: “三议”即党组织提议" in text

    alone = build_catalogue([undefined, normalize(make_doc("推行“一征三议两公开”工作法。"))], metadata=False)
    q = next(p for p in alone if p.canonical == "一征三议两公开")
    assert [c.text for c in q.components] == ["", "", ""]
    assert "(not defined in these documents)" in PracticeCard(q).to_text()
