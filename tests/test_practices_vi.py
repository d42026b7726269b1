"""Vietnamese mentions by rule over hand-written snippets (`pipeline.practices.vi`).

The snippets are written for these tests in the style of real reports, statutes, news and citizen
messages; each negative is a trap a naive rule falls into.
"""
from __future__ import annotations

import pytest
from conftest import whole_name

from pipeline.practices import find_mentions


def canonicals(make_doc, text: str) -> set[str]:
    return {m.canonical for m in find_mentions(make_doc(text))}


# ---------------------------------------------------------------- Vietnamese rules

VI_FOUND = [
    ("Hướng dẫn quy chế phối hợp, quy chế hoạt động tại các tổ dân phố có khu chung cư.", "quy chế phối hợp"),
    ("Hướng dẫn quy chế phối hợp, quy chế hoạt động tại các tổ dân phố có khu chung cư.", "quy chế hoạt động"),
    ("Chi bộ xây dựng quy chế phối hợp với Ban quản trị nhà chung cư.", "quy chế phối hợp"),
    ("Tổ chức tuyên truyền, vận động nhân dân tham gia tích cực các phong trào thi đua yêu nước.",
     "phong trào thi đua yêu nước"),
    ("Tỉnh triển khai các phong trào “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”, “Dân vận khéo”, "
     "“Nhà sạch, vườn đẹp”.", "dân vận khéo"),
    ("Tỉnh triển khai các phong trào “Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh”, “Dân vận khéo”, "
     "“Nhà sạch, vườn đẹp”.", "nhà sạch, vườn đẹp"),
    ("Quận thực hiện mô hình “một cửa” liên thông tại UBND các phường.", "một cửa"),
    ("Các phường thực hiện tốt phương châm “5 biết” (biết nghe dân nói, biết nói dân hiểu, biết làm dân tin, "
     "biết xin lỗi và biết cảm ơn).", "5 biết"),
    ("Huy động nhân dân tham gia theo phương châm: “dân biết, dân bàn, dân làm, dân kiểm tra”.",
     "dân biết, dân bàn, dân làm, dân kiểm tra"),
    ("Phải tăng cường công khai để dân biết, dân bàn, dân kiểm tra, dân giám sát.",
     "dân biết, dân bàn, dân kiểm tra, dân giám sát"),
    ("Với phương châm nắm từng tiêu chí, chắc từng bước đi, phong trào đã lan tỏa tới mỗi người.",
     "nắm từng tiêu chí, chắc từng bước đi"),
    ("Bộ Nội vụ hướng dẫn thực hiện mô hình tổ chức chính quyền địa phương 02 cấp đối với Sở Nội vụ.",
     "mô hình tổ chức chính quyền địa phương 02 cấp"),
    ("Khi Thủ tướng chỉ đạo triển khai cuộc vận động mới về toàn dân đoàn kết xây dựng nông thôn mới thì Mặt trận vào cuộc.",
     "toàn dân đoàn kết xây dựng nông thôn mới"),
    ("Liên quan đến Đề án \"Thành phố 4 an\", quận đã có kiến nghị.", "thành phố 4 an"),
    ("Các đơn vị thực hiện phương châm 5 rõ “rõ người, rõ việc, rõ trách nhiệm, rõ quy trình và rõ hiệu quả”.",
     "5 rõ"),
    ("Dự án có 3 mô hình sinh kế, đó là mô hình 2 vụ lúa 1 vụ tôm càng xanh.", "mô hình 2 vụ lúa 1 vụ tôm càng xanh"),
]

VI_NOT_FOUND = [
    ("Các mô hình mới như trên đều có hiệu quả; cần nhân rộng mô hình này.", "mô hình"),
    ("Cần nghiên cứu, đề xuất thêm các cơ chế, chính sách cho Mặt trận.", "cơ chế"),
    ("Việc công nhận Ban quản trị thực hiện theo Quy chế quản lý, sử dụng nhà chung cư.", "quy chế quản lý"),
    ("Không để người dân nào “đói cơm, lạt muối, đứt bữa”.", "đói cơm, lạt muối, đứt bữa"),
    ("Phổ biến nhất là “hàng đá”, “cỏ Mỹ” và tình trạng “ngáo đá”.", "ngáo đá"),
    ("Tình trạng \"xe dù, bến cóc\" vẫn diễn biến phức tạp.", "xe dù, bến cóc"),
    ("Dự kiến mô hình sẽ được nhân rộng tại các quận 1, quận 2, quận Phú Nhuận.", "quận 1, quận 2, quận phú nhuận"),
    ("Ông cho biết: “Chúng ta đã góp phần lấy lại niềm tin của nhân dân với Đảng, Chính phủ, Mặt trận”.",
     "chúng ta đã góp phần lấy lại niềm tin"),
    # straight quotes paired across two quotations: the text between them is not a quoted term
    ('Thì sẽ không khuyến khích đầu tư các công trình", ông Chung nói. "Trước đây chỉ phạt chủ nhà", ông nói thêm.',
     "ông chung nói"),
]


# names after a cue word that end where the sentence's predicate or a new noun phrase begins
VI_BOUNDARIES = [
    ("Cơ chế một cửa liên thông tiếp tục được triển khai tại các xã.", "cơ chế một cửa liên thông"),
    ("Việc áp dụng cơ chế một cửa liên thông hiện đại góp phần cải cách hành chính.", "cơ chế một cửa liên thông"),
    ("Chỉ có quy chế quản lý kiến trúc đô thị mới giải quyết được tình trạng này.",
     "quy chế quản lý kiến trúc đô thị"),
    ("Vấn đề thuộc cơ chế chính sách mới trình Chính phủ xem xét.", "cơ chế chính sách mới"),
    ("Xã đẩy mạnh phong trào xây dựng nông thôn mới đạt nhiều kết quả.", "phong trào xây dựng nông thôn mới"),
    ("Hội nghị tổng kết phong trào thi đua yêu nước và công tác thi đua, khen thưởng năm nay.",
     "phong trào thi đua yêu nước"),
    ("Mô hình quản lý nghề cá dựa trên hệ sinh thái được áp dụng thí điểm.", "mô hình quản lý nghề cá"),
    # names that stay as they were
    ("Huyện duy trì cơ chế một cửa liên thông tại bộ phận tiếp nhận.", "cơ chế một cửa liên thông"),
    ("Huyện nhân rộng mô hình tổ tự quản trong khu dân cư.", "mô hình tổ tự quản"),
    ("Tỉnh phát động phong trào Dân vận khéo trong toàn hệ thống chính trị.", "phong trào dân vận khéo"),
]


@pytest.mark.parametrize("text, name", VI_BOUNDARIES)
def test_vi_name_boundary(make_doc, text, name):
    assert whole_name(found := canonicals(make_doc, text), name), found


@pytest.mark.parametrize("text, name", VI_FOUND)
def test_vi_practice_found(make_doc, text, name):
    assert name in canonicals(make_doc, text)


@pytest.mark.parametrize("text, name", VI_NOT_FOUND)
def test_vi_non_practice_left_out(make_doc, text, name):
    found = canonicals(make_doc, text)
    assert not any(c.lstrip(" ,").startswith(name) for c in found), found
