"""Characters, word lists and canonical names of the practice layer: grammar, not answers.

Head nouns, cue words, governing verbs and stop words of each language, the actor-type lexicon, the
shape of parallel slogans, `canonical_name` (the grouping key of a name) and `abbreviations`.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Mapping

from ..lang.zh import HAN_BMP
from ..normalize import fold


# ---------------------------------------------------------------- characters and canonical names

ZH_DIGITS = "一二三四五六七八九十两双"
ZH_NUMERALS = ZH_DIGITS + "百千万零〇"
OPEN_QUOTES = "“「『\"'‘"
CLOSE_QUOTES = "”」』\"'’"
QUOTE_PAIRS = {"“": "”", "「": "」", "『": "』", "‘": "’", '"': '"', "'": "'"}
_STRIP_CHARS = "“”「」『』\"'‘’《》〈〉<>[]【】 \t\n"
_ZH_TRAILING = ("的", "等", "了", "之", "中")
_VI_TRAILING = ("này", "đó", "ấy", "nêu trên", "trên")
_SPACE_RE = re.compile(r"\s+")
_PUNCT_INSIDE = re.compile(r"\s*([、，,；;：:])\s*")


def canonical_name(surface: str, lang: str, aliases: Mapping[str, str] | None = None) -> str:
    """The grouping key of a practice name: what two spellings of one name share.

    Quotes, 《》 and brackets, trailing particles (的, 等; "này", "đó"), repeated spaces,
    full-width forms and letter case are removed; NFC throughout.

    Args:
        surface: the name as it appears ("“一征三议两公开”", "Phong trào  “Dân vận khéo”").
        lang: "zh" or "vi".
        aliases: abbreviations to expand (see `abbreviations`).
    Returns:
        The key, e.g. "一征三议两公开", "phong trào dân vận khéo".

    >>> canonical_name("《小区停车管理办法》", "zh")
    '小区停车管理办法'
    """
    text = fold(unicodedata.normalize("NFC", surface))
    text = "".join(ch for ch in text if ch not in _STRIP_CHARS or ch == " ")
    text = _SPACE_RE.sub(" ", text).strip(" ,.;:、，。；：")
    text = _PUNCT_INSIDE.sub(lambda m: _fold_punct(m.group(1), lang), text)
    trailing = _ZH_TRAILING if lang == "zh" else _VI_TRAILING
    changed = True
    while changed:
        changed = False
        for t in trailing:
            if text.endswith(t) and len(text) > len(t) + 1 and (lang == "zh" or text.endswith(" " + t)):
                text = text[: -len(t)].rstrip()
                changed = True
    if aliases and lang == "vi":
        for abbr, full in aliases.items():
            text = re.sub(rf"(?<!\w){re.escape(fold(abbr))}(?!\w)", canonical_name(full, lang), text)
    return text


def _fold_punct(p: str, lang: str) -> str:
    p = {"，": ",", "；": ";", "：": ":"}.get(p, p)
    return p if lang == "zh" else p + " "


# ---------------------------------------------------------------- shared lexicons (grammar, not answers)

# Chinese heads that make a noun phrase a name of a method, mechanism, model, system or rule book.
ZH_HEADS = ("工作法", "工作机制", "工作制度", "机制", "模式", "制度", "办法", "公约", "规约", "民约",
             "章程", "负责制", "责任制", "长制")
# Heads whose modifier must be specific (one common word before them is generic).
ZH_GENERIC_HEADS = {"机制", "模式", "制度", "办法", "工作机制", "工作制度"}
# What may follow a quoted term and make it a practice name.
_ZH_QUOTE_HEADS = ZH_HEADS + ("改革", "工程", "试点", "建设", "行动", "活动", "理念", "体系",
                               "系统", "平台", "服务", "机制创新", "精神", "原则", "方法")
# Verbs that take a practice as their object ("implement, use, promote, build") or set one up.
ZH_GOVERNING = ("贯彻落实", "贯彻", "用活用好", "用好", "用活", "使用", "利用", "运用", "通过", "推行",
                 "实行", "实施", "开展", "响应", "倡导", "提倡", "推进", "推动", "推广", "落实", "深化",
                 "坚持", "践行", "创建", "打造", "探索", "采用", "采取", "执行", "形成", "建立健全",
                 "建立", "健全", "完善", "构建", "创新", "试行", "启动", "发起", "按照", "依照", "遵循")
ZH_SPEECH = ("：", ":", "说", "表示", "认为", "称", "问", "答", "指出", "强调", "透露", "写道")
# Words that end a name on its left: governing verbs, modal and aspect words, particles,
# conjunctions, prepositions, pronouns and vague quantifiers.
ZH_LEFT_STOP = (set(ZH_GOVERNING) - {"使用", "利用", "运用", "通过", "创新", "执行", "形成"}) | {
    "了", "着", "过", "的", "地", "得", "和", "与", "及", "以及", "或", "或者", "并", "并且", "而",
    "在", "对", "把", "将", "由", "为", "以", "从", "向", "于", "给", "被", "让", "使", "按", "据",
    "根据", "依据", "依托", "是", "有", "作为", "成为", "应当", "应", "可以", "可", "须", "必须", "要",
    "已", "已经", "正在", "不断", "逐步", "进一步", "共同", "积极", "认真", "严格", "全面", "切实",
    "这种", "这个", "这些", "该", "其", "此", "本", "各", "各项", "各类", "各种", "多种", "一系列",
    "一套", "整套", "相关", "有关", "相应", "具体", "必要", "有效", "新", "全新", "这样", "那样",
    "出台", "制定", "明确", "确立", "设立", "引入", "纳入", "提高", "发挥", "加强", "强化", "规范",
    "优化", "研究", "讨论", "商讨", "通报", "参照", "结合", "统筹", "组建", "成立", "依法", "实现",
    "做好", "抓好", "搞好", "加快", "大力", "共", "同", "等", "中", "里", "上", "下",
    "提供", "保证", "确保", "给予", "进行", "作出", "做出", "得到", "获得", "取得", "需要", "具有",
    "存在", "包括", "涉及", "符合", "满足", "促进", "带来", "开创", "体现", "保持", "加大", "提升",
    "改善", "遵守", "接受", "参照", "借鉴", "学习", "宣传", "介绍", "总结", "评估",
    "写入", "写进", "修改", "修订", "制订", "签订", "签署", "审议", "印发", "报送",
    "备案", "违反", "按照", "依照", "凭", "熟悉", "了解", "掌握", "理解", "认识", "懂得", "如", "像", "参考",
    "类似", "学习", "拿出",
}
# Verbs that govern a name when something stands between them and the head.
ZH_GOVERNS_FROM_AFAR = {"监督", "支持", "鼓励", "引导", "指导", "督促", "协助", "缺乏", "设置", "保障", "组织",
                          "配合", "参照", "对照", "依据", "比照", "纳入", "列入"}
# Verbs that take a name as their object and are no part of one unless the head follows them
# ("拟定业主公约", "示范文本草拟管理规约", "负责取水许可制度"). 决定 is not one: it is as often a
# noun ("重大执法决定法制审核制度").
ZH_OBJECT_VERBS = {"确定", "拟定", "拟订", "草拟", "起草", "审定", "修改", "发布", "负责", "会同", "拿"}
# Verbs that govern a noun after them but make names with a verb ("改进乡镇…投入机制",
# "协调生产者责任延伸制度"; but "协调运行机制", "持续改进机制").
ZH_OBJECT_VERBS_BEFORE_NOUN = {"协调", "改进"}
# Localisers that belong to a name ("内部举报人制度"); the others (以上, 之间, 中) place it.
ZH_NAME_LOCALISERS = ("内部", "外部")
# Prefixes of one character that open names ("大调解工作机制"); other one-character adjectives and
# verbs at a name's start are the end of a word cut in two ("执行难" -> 难…, "首诊" -> 诊…).
ZH_NAME_PREFIXES = ("大", "小", "全", "总", "多")
# What a determiner before a name points at ("本领域行政处罚裁量基准制度", "本辖区…", "本市…"): the
# scope, not the name.
ZH_SCOPE_NOUNS = ("领域", "行业", "辖区", "区域", "地区", "单位", "部门", "系统", "机关", "地方", "行政区域",
                  "省", "市", "区", "县", "乡", "镇", "村")
ZH_DETERMINERS = ("本", "该", "各", "其", "此")
# Laws and general norms that a practice is listed after ("遵守法律、法规和村民自治章程"): a list of
# what binds, not a name that shares the head.
ZH_NORM_NOUNS = ("法律", "法规", "规章", "法律法规", "公序良俗", "社会公德", "规范性文件")
# After a head, nominalised verbs that still leave the head the name ("村民自治制度建设").
ZH_AFTER_HEAD_OK = ("建设", "改革", "创新", "试点", "运行", "落实", "实施", "执行")
ZH_ORG_SUFFIX = ("委员会", "中心", "机构", "部门", "办公室", "小组", "局", "厅", "院", "所", "站", "处",
                  "队", "人", "员", "者", "方", "单位", "企业", "公司", "组织", "政府", "街道", "社区",
                  "网", "平台", "集团", "银行", "学校", "医院", "苑", "园区", "花园", "小区", "大厦", "广场")
ZH_MEASURES = set("人户名个次年月日天时点分秒元角块万亿件条项栋幢层间套倍成岁届批期周号米里亩吨斤辆台"
                   "类种方至到余多些起例家所座张份笔轮遍节级只头本部篇章段句字声下回步型季场楼片")
# Relational characters that make a numeral run a phrase, not a name: 一对一, 二型车当一型
ZH_RELATIONAL = set("对比当至到或和与及的之把被从向是在为以给又再")
ZH_CLASSIFIERS = "个类项种大条位方支"
ZH_STATE_TITLE = re.compile(
    r"中华人民共和国|中国共产党|国务院|全国|国家|关于|条例|(?<![办方作做])法$|决定|通知|意见|规划|纲要|备忘录|"
    r"细则|解释|批复|公告|通告|报告|[省市县区州盟]人民|^[^《]{0,8}?(?:省|自治区|直辖市)|的"
)
# What a quoted document title ends with (messages quote laws and forms with “” instead of 《》).
ZH_DOCUMENT_END = re.compile(r"(?:条例|(?<![办方作做])法|规定|细则|方案|通知|决定|意见|协议|合同|书|令|规划|报告|纲要|标准|"
                              r"(?<!考核|处置|停车)管理办法|处罚办法|实施办法)$")
# Inside a running name (not a 《title》) only these mark a state or party document.
ZH_STATE_NAME = re.compile(r"中华人民共和国|中国共产党|国务院")
ZH_TITLE_HEADS = ("制度", "办法", "规定", "公约", "规约", "章程", "守则", "规则", "细则", "机制", "准则")
ZH_DEF_CUES = re.compile(r"即|是指|指的是|就是|包括|包含|分为|具体为|具体是|主要有|由.{0,16}组成|简称|[:：]")

# ("dự án" is left out: in the news it mostly names real-estate projects, "dự án “cao cấp”")
VI_CUES = ("cuộc vận động", "phương châm", "khẩu hiệu", "phong trào", "mô hình", "cơ chế", "quy chế",
            "chiến dịch", "đề án", "công trình", "chương trình", "sáng kiến", "ý tưởng", "hội thi")
# Cues whose unquoted followers are a name (the others need quotes: "chương trình hành động" is not).
VI_OPEN_CUES = ("cuộc vận động", "phương châm", "khẩu hiệu", "phong trào", "mô hình", "cơ chế", "quy chế")
VI_SLOGAN_CUES = ("phương châm", "khẩu hiệu")
VI_GOVERNING = ("thực hiện", "triển khai", "hưởng ứng", "phát động", "xây dựng", "nhân rộng", "áp dụng",
                 "duy trì", "ra quân", "đẩy mạnh", "học tập", "vận dụng")
VI_SPEECH = ("cho biết", "nói", "nhấn mạnh", "khẳng định", "chia sẻ", "cho rằng", "phát biểu", "nêu",
              "hỏi", "trả lời", "cho hay", "bày tỏ", "đề nghị", "yêu cầu")
# Words that end an unquoted name on its right.
VI_STOP = {
    "với", "tại", "trên", "trong", "cho", "để", "nhằm", "của", "đối với", "theo", "từ", "đến", "được",
    "bị", "đã", "đang", "sẽ", "là", "có", "không", "cũng", "thì", "mà", "nên", "nhưng", "khi", "nếu",
    "này", "đó", "ấy", "kia", "như", "do", "bởi", "vì", "qua", "sau", "trước", "giữa", "ở", "vào",
    "năm", "giai đoạn", "nhiệm kỳ", "tháng", "quý", "ngày", "hằng", "hàng", "rất", "đều", "vẫn",
    "còn", "luôn", "thường", "chưa", "gồm", "bao gồm", "nhất là", "đặc biệt", "cùng", "thông qua",
    "hoặc", "hay", "các", "những", "mỗi", "một số", "toàn bộ", "sau khi", "trước khi", "về việc",
    "lần", "đợt", "hiện", "hiện nay", "vừa", "mới đây", "nhiều", "tốt", "hiệu quả", "ban hành",
    "đầu tiên", "thứ nhất", "thứ hai", "tiếp theo", "như sau", "sau đây", "dành", "dành cho", "sang",
    "tới", "thành", "ra", "phải", "cần", "có thể", "nhằm", "bảo đảm", "đảm bảo", "mà", "ngày càng",
    "càng", "như thế nào", "thế nào", "nào", "gì", "ra sao", "yêu cầu", "quy định", "hướng dẫn", "gắn",
    "gắn với", "kết hợp", "đi đôi", "tiếp tục", "góp phần", "dựa", "dựa trên", "dựa vào",
}
# General nouns that open a new noun phrase after "và" ("phong trào thi đua yêu nước và công tác thi
# đua, khen thưởng"): the name ends before the conjunction.
VI_NEW_PHRASE = {"công tác", "hoạt động", "việc", "nhiệm vụ", "vấn đề", "tình hình", "kết quả", "công việc"}
VI_TRAILING_WEAK = {"thiết thực", "hiệu quả", "tích cực", "tốt", "hay", "mạnh mẽ", "rộng rãi", "sâu rộng"}
# A capitalised document name after these words is a citation of a legal text, not a practice.
VI_CITATION = re.compile(r"(?:\btheo|\btại|\bcủa|kèm theo|\bĐiều\s+\d+\w?|\bkhoản\s+\d+|\bcăn cứ)\s*$",
                          re.IGNORECASE)
VI_WEAK_FIRST = {"mới", "hay", "tốt", "này", "đó", "kiểu mẫu", "tiên tiến", "điểm", "tích cực",
                  "trên", "tương tự", "khác", "chung", "riêng", "cụ thể", "đặc thù", "hiện đại", "rất"}
VI_ORG_FIRST = ("Ban ", "Hội ", "Bộ ", "Sở ", "Cục ", "Tổng cục", "Ủy ban", "Uỷ ban", "Công ty", "Đoàn ", "Nhóm ")


def continues_list(text: str, qs: int, accepted_ends: list[int]) -> bool:
    """The quote follows an accepted quote, separated only by a list separator."""
    for end in accepted_ends[-3:]:
        gap = text[end:qs]
        if end <= qs and len(gap) <= 5 and re.fullmatch(r"\s*(?:[、，,;；]|và|hoặc|和|及|与|或)?\s*", gap):
            return True
    return False


def zh_head_after(text: str, pos: int) -> str:
    """The practice head noun that starts at `pos` (after a closing quote), if any."""
    for head in sorted(_ZH_QUOTE_HEADS, key=len, reverse=True):
        if text.startswith(head, pos):
            # "改革机制", "管理模式": a compound head
            for second in ("机制", "模式", "制度", "方案", "工作"):
                if text.startswith(head + second, pos):
                    return head + second
            return head
    m = re.match(rf"[{HAN_BMP}]{{1,6}}?(?:{'|'.join(ZH_HEADS)})", text[pos: pos + 10])
    if m and not any(v in m.group() for v in ZH_GOVERNING):
        return m.group()  # “三位一体”社区楼院管理模式
    return ""


# ---------------------------------------------------------------- parallel slogans


def split_items(inner: str, lang: str) -> list[str]:
    """The items of a list or slogan: split at 、，；(Chinese) or at commas, semicolons and "và"."""
    if lang == "zh":
        parts = re.split(r"[、，,；;]", inner)
    else:
        parts = re.split(r"\s*[,;]\s*|\s+và\s+", inner)
    return [p.strip() for p in parts if p.strip()]


def _item_units(item: str, lang: str) -> list[str]:
    return list(item) if lang == "zh" else item.lower().split()


def parallel(items: list[str], lang: str) -> bool:
    """Two or more items of similar length that share a word in the same position (start or end)."""
    if len(items) < 2:
        return False
    units = [_item_units(i, lang) for i in items]
    lengths = [len(u) for u in units]
    if min(lengths) < 2 or max(lengths) > (8 if lang == "zh" else 6) or max(lengths) > 1.5 * min(lengths):
        return False
    if all(u[0] == units[0][0] for u in units) or all(u[-1] == units[0][-1] for u in units):
        return True
    if all(len(u) == lengths[0] for u in units):
        return any(all(u[k] == units[0][k] for u in units) for k in range(lengths[0]))
    return False


# ---------------------------------------------------------------- abbreviations


def abbreviations(text: str) -> dict[str, str]:
    """Abbreviations a text defines: ABBR -> full form, from "Nông thôn mới (NTM)".

    `canonical_name(..., aliases=abbreviations(doc.text))` expands them, so "phong trào xây dựng
    NTM" and "phong trào xây dựng Nông thôn mới" are one practice.
    """
    out: dict[str, str] = {}
    for m in re.finditer(r"((?:[A-ZĐÂĂÊÔƠƯa-zđâăêôơư\u00c0-\u1ef9]+\s+){1,8}?[A-ZĐÂĂÊÔƠƯa-zđâăêôơư\u00c0-\u1ef9]+)\s*\(([A-ZĐƠ]{2,6})\)", text):
        words, abbr = m.group(1).split(), m.group(2)
        initials = "".join(unicodedata.normalize("NFD", w)[0].upper() for w in words[-len(abbr):])
        initials = initials.replace("D", "Đ") if "Đ" in abbr else initials
        if len(words) >= len(abbr) and _same_initials(initials, abbr):
            out[abbr] = " ".join(words[-len(abbr):])
    return out


def _same_initials(initials: str, abbr: str) -> bool:
    strip = lambda s: unicodedata.normalize("NFD", s.replace("Đ", "D")).encode("ascii", "ignore").decode()
    return strip(initials) == strip(abbr)


# ---------------------------------------------------------------- actors

# A compact lexicon of actor *types* (no particular organisation): type -> surface patterns.
_ZH_ACTORS: dict[str, tuple[str, ...]] = {
    "党组织": ("社区党委", "党委", "党总支", "党支部", "党小组", "楼院党组织", "党组织", "党工委"),
    "党员": ("党员",),
    "居委会": ("居委会", "居民委员会", "居民区"),
    "村委会": ("村委会", "村民委员会"),
    "业委会": ("业委会", "业主委员会"),
    "业主大会": ("业主大会", "业主代表"),
    "物业": ("物业服务企业", "物业公司", "物业"),
    "街道/乡镇": ("街道办事处", "乡镇人民政府", "镇人民政府", "街道"),
    "政府部门": ("人民政府", "职能部门", "主管部门", "城管", "公安机关"),
    "自治组织": ("自治管理委员会", "居民自治组织", "自治组织", "居民代表大会", "居民会议", "村民会议",
               "村民代表会议", "居民小组"),
    "志愿者": ("志愿服务组织", "志愿服务团体", "志愿者"),
    "社会组织": ("社会组织", "社工"),
    "网格员/楼长": ("网格员", "楼长", "楼组长", "栋长"),
    "居民": ("居民", "村民", "业主", "群众"),
}
_VI_ACTORS: dict[str, tuple[str, ...]] = {
    "chi bộ / đảng ủy": ("chi bộ", "đảng ủy", "đảng bộ", "cấp ủy", "quận ủy", "huyện ủy", "thành ủy"),
    "đảng viên": ("đảng viên",),
    "Ban quản trị": ("ban quản trị", "bqt"),
    "tổ dân phố / thôn": ("tổ dân phố", "tổ trưởng", "trưởng thôn", "thôn", "khu dân cư", "cụm dân cư"),
    "MTTQ": ("mặt trận tổ quốc", "mttq", "ban công tác mặt trận", "mitq"),
    "chính quyền": ("ủy ban nhân dân", "ubnd", "hđnd", "hội đồng nhân dân", "chính quyền"),
    "đoàn thể": ("đoàn thanh niên", "thành đoàn", "hội phụ nữ", "hội nông dân", "hội cựu chiến binh",
                 "đoàn thể", "chi hội"),
    "chủ đầu tư / quản lý vận hành": ("chủ đầu tư", "đơn vị quản lý vận hành", "ban quản lý"),
    "Ban Thanh tra nhân dân": ("ban thanh tra nhân dân", "ban ttnd"),
    "tổ tự quản": ("tổ tự quản", "tổ nhân dân tự quản"),
    "người dân": ("cư dân", "người dân", "nhân dân", "hộ gia đình", "dân"),
}


@lru_cache(maxsize=2)
def actor_regex(lang: str) -> tuple[re.Pattern, dict[str, str]]:
    """A pattern over the actor surfaces of `lang` (longest first) and the map from surface to actor type."""
    lexicon = _ZH_ACTORS if lang == "zh" else _VI_ACTORS
    to_type = {s: t for t, surfaces in lexicon.items() for s in surfaces}
    alternatives = sorted(to_type, key=len, reverse=True)
    if lang == "zh":
        pattern = re.compile(f"([{HAN_BMP}]{{0,4}}?)(" + "|".join(map(re.escape, alternatives)) + ")")
    else:
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, alternatives)) + r")\b", re.IGNORECASE)
    return pattern, to_type
