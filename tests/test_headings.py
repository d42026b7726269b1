"""Heading labels: the label a line starts with, and the article reference of a passage."""
from __future__ import annotations

import pytest

from pipeline.headings import article_reference, section_label


def test_section_label():
    assert section_label("1. Chỗ ở hợp pháp là nơi ở.") == "1."
    assert section_label("**Điều 1. Sắp xếp**") == "Điều 1."
    assert section_label("第十二条 业主大会") == "第十二条"
    assert section_label("Ban quản trị") == ""


@pytest.mark.parametrize(
    "headings, text, expected",
    [
        (("Chương II", "Điều 5. Quyền của cư dân"), "2. Cư dân có quyền tham gia", "Điều 5, khoản 2"),
        (("Chương II", "Điều 5. Quyền của cư dân"), "a) Được thông tin", "Điều 5, điểm a"),
        (("Chương II", "Điều 5. Quyền của cư dân"), "Cư dân có quyền", "Điều 5"),
        ((), "Điều 33. Biện pháp bảo đảm", "Điều 33"),
        ((), "Điều 33. 1. Bồi dưỡng nâng cao năng lực", "Điều 33, khoản 1"),
        (("第二章 业主大会", "第十二条"), "（一）制定和修改业主大会议事规则", "第十二条第（一）项"),
        (("第二章 业主大会",), "第十二条 业主大会应当", "第十二条"),
        (("Chương I", "1. Mục tiêu"), "Nâng cao chất lượng", ""),  # a plan's numbered section is not an article
    ],
)
def test_article_reference(headings, text, expected):
    assert article_reference(headings, text) == expected
