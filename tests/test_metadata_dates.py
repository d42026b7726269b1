"""Publication dates (`pipeline.metadata.dates`): news items and web pages in both languages are dated by
their posting line or their dateline."""
from __future__ import annotations

import pytest

from pipeline.metadata import extract_metadata
from pipeline.normalize import normalize_text

PUBLISHED = [
    # a web page's posting line after the quoted source and its link
    ("vi", "Thông qua Nghị quyết về miễn thuế\n\nChiều 26/6, Quốc hội đã thông qua Nghị quyết, đại biểu cho biết.\n\n"
     "Theo Cổng Thông tin điện tử Chính phủ\n\nLink bài viết gốc: https://xaydungchinhsach.chinhphu.vn/a.htm\n\n"
     "Ngày đăng: 26/06/2025 15:42", "2025-06-26"),
    # the time before the date, in markdown emphasis
    ("vi", "Hội nghị kiểm tra\n\nChủ nhiệm Ủy ban chủ trì hội nghị.\n\n*Ngày đăng bài viết gốc: 14:30 | 17/03/2025*", "2025-03-17"),
    # a dateline with its year
    ("vi", "Tân Phó Bí thư nhận nhiệm vụ\nNgày 8/2/2017, tại Yên Bái, ông Nguyễn Văn An cho biết tỉnh sẽ tập trung cải cách. "
     "Ảnh: PV\nÔng An cho biết thêm về kế hoạch.\nHải Đăng", "2017-02-08"),
    # a dateline without a year, which a photo caption gives for the same day
    ("vi", "Kỳ họp thứ ba đã khai mạc tại Nhà Quốc hội vào sáng 22/5.\nSáng 22/5/2017, Lễ khai mạc được tổ chức. "
     "Ảnh: Nguyễn Dân -TTXVN Đại biểu cho biết nhiều nội dung.", "2017-05-22"),
    # the dateline after a caption's photo credit; the year given to the same day further on
    ("vi", "Có 32 luật cần sửa đổi.\nBộ trưởng phát biểu. Ảnh: An Đăng -TTXVN Sáng 26/5, các đại biểu thảo luận, "
     "ông Vũ Hồng Thanh cho biết. Phiên họp sáng 26/5/2017 kết thúc lúc 11 giờ.", "2017-05-26"),
    # "(Source) - Ngày 6/2," opening the report; the year from a quoted notice
    ("vi", "(VnMedia) - Ngày 6/2, các tiểu thương đánh trống phản đối, phóng viên ghi nhận.\n"
     "Thông báo ghi: “từ ngày 6/2/2017, chợ tạm dừng hoạt động”. Hải Đăng", "2017-02-06"),
    # no year for the dateline anywhere in the text: undated
    ("vi", "Sáng 19/5, tại nghĩa trang liệt sỹ đã diễn ra lễ truy điệu, lãnh đạo tỉnh cho biết.\nẢnh: PV", ""),
    # a cited decision's date in the opening sentence is not a dateline
    ("vi", "UBND tỉnh vừa có Quyết định số 28/2017/QĐ-UBND ngày 25/1/2017 về bãi bỏ bảng giá, ông An cho biết.\n"
     "Ảnh: PV", ""),
    # an event inside the story, ten years back, is not a dateline
    ("vi", "(Baonghean) - Tục trộm dâu đã bị biến tướng, người dân cho biết.\nCách đây 10 năm, báo chí từng phản ánh. "
     "Đêm 12/1/2007, một tốp thanh niên bàn chuyện cướp dâu.\nSầm Văn Bình", ""),
    # a deadline is not a dateline
    ("vi", "Từ ngày 15/2/2017, Thông tư về phân hạng nhà chung cư có hiệu lực, PV cho biết.\nẢnh: PV", ""),
    # an explainer's "Ngày ..., UBND ... ra Kế hoạch" dates the plan, not the page
    ("vi", "**Môn thi tuyển sinh lớp 10 được quy định ra sao?**\n\nNgày 24/1/2025, Ủy ban nhân dân tỉnh ra Kế hoạch "
     "tuyển sinh.\n\nCăn cứ theo Điều 5 quy định như sau:\n\nQuý khách cần hỏi thêm thông tin về có thể đặt câu hỏi tại đây.", ""),
    ("zh", "长宁区召开业主委员会工作会议\n会议部署了下一阶段工作。\n发布时间：2023-05-06 10:20\n来源：长宁区人民政府", "2023-05-06"),
    ("zh", "本报讯（记者 王明）5月6日上午，长宁区召开业主委员会工作会议。\n据介绍，该区自2023年5月6日起推行新的议事规则。",
     "2023-05-06"),
    ("zh", "新华社北京2023年5月6日电 记者从民政部获悉，全国社区治理工作会议召开。", "2023-05-06"),
    ("zh", "本报讯（记者 王明）5月6日上午，长宁区召开业主委员会工作会议。\n据介绍，会议持续了两个小时。", ""),
]


PUBLISHED_IDS = ["posting-line", "posting-line-time-first", "dateline-year", "dateline-caption-year",
                 "dateline-after-credit", "source-prefix", "no-year", "cited-date", "story-event", "deadline",
                 "explainer", "zh-posting-line", "zh-dateline", "zh-dispatch", "zh-no-year"]


@pytest.mark.parametrize("lang, text, date", PUBLISHED, ids=PUBLISHED_IDS)
def test_news_and_web_pages_are_dated_by_their_publication_date(lang, text, date):
    meta = extract_metadata(normalize_text(text), lang)
    assert (meta.issue_date, meta.year) == (date, int(date[:4]) if date else None)
    published = [d for d in meta.dates if d.role == "published"]
    assert [d.date for d in published] == ([date] if date else [])


def test_a_publication_date_points_at_its_dateline():
    text = normalize_text(PUBLISHED[2][1])
    (published,) = [d for d in extract_metadata(text, "vi").dates if d.role == "published"]
    assert text[published.start : published.end] == "Ngày 8/2/2017"
