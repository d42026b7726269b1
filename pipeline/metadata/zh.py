"""Chinese metadata: document type, number, dates, issuer, signer and places.

The layout these rules read: a title "X关于Y的通知", a document number "国办发〔2020〕23号" and the
sender and date at the end; statutes open with dated lines "2019年11月27日 北京市第十五届人民代表大会
常务委员会第十六次会议通过". Places are names before a level suffix (市, 区, 街道, 社区 ...), told
from common words with jieba's dictionary.
"""
from __future__ import annotations

import re
import threading

from ..lang.zh import HAN_URO, date_numeral, jieba_tokenizer
from ..normalize import distribution_spans
from .dates import PublicationRules, iso_date
from .places import rank_places
from .record import document_meta
from .text import NEWS_SOURCE, blank_markup, inside_any, nonblank_lines
from .types import CITY, COMMUNITY, DISTRICT, PROVINCE, WARD, DatedMention, DocMeta, Place

_NUM = "〇零○一二三四五六七八九十"
_DATE = re.compile(
    rf"(民[國国]\s*)?(\d{{4}}|\d{{3}}|[〇零○一二三四五六七八九]{{4}})\s{{0,2}}年\s{{0,2}}(\d{{1,2}}|[一二三四五六七八九十]{{1,3}})"
    rf"\s{{0,2}}月\s{{0,2}}(\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s{{0,2}}[日号]"
)
# 国办发〔2020〕23号, 沪府规〔2021〕5号; 国务院令第431号; 第12号
# The main ideograph block only: issuers, signers and document numbers of official documents are
# written in common (GB 2312) characters, and these rules were measured with it (bench/metadata.py).
_HAN = HAN_URO
_HAN_RE = re.compile(f"[{_HAN}]")
_DOCNO = re.compile(rf"[{_HAN}]{{1,10}}\s*[〔［\[（(【]\s*(?:19|20)\d{{2}}\s*[〕］\]）)】]\s*第?\s*\d{{1,5}}\s*号")
_ORDER = re.compile(rf"(?:中华人民共和国)?([{_HAN}、]{{0,24}}(?:令|公告))\s*[（(]?\s*第\s*([\d{_NUM}百]+)\s*号")
_BARE_NO = re.compile(rf"^[（(]?\s*第\s*([\d{_NUM}百]+)\s*号\s*[）)]?$")
_EVENT = re.compile(r"(通过|通過|修正|修订|修訂|批准|公布|公佈|发布|發布|施行|修改)")
_EVENT_ROLE = {"通过": "adopted", "通過": "adopted", "修正": "amended", "修订": "amended", "修訂": "amended",
               "修改": "amended", "批准": "approved", "公布": "issued", "公佈": "issued", "发布": "issued",
               "發布": "issued", "施行": "effective"}
# Longest suffix first; traditional forms map to the simplified label.
_TYPE_SUFFIXES = [
    ("实施细则", "xize"), ("细则", "xize"), ("細則", "xize"), ("规则", "guize"), ("規則", "guize"),
    ("条例", "tiaoli"), ("條例", "tiaoli"), ("办法", "banfa"), ("辦法", "banfa"), ("规定", "guiding"),
    ("規定", "guiding"), ("决定", "jueding"), ("決定", "jueding"), ("决议", "jueyi"), ("決議", "jueyi"),
    ("解释", "jieshi"), ("解釋", "jieshi"), ("通知", "tongzhi"), ("意见", "yijian"), ("意見", "yijian"),
    ("报告", "baogao"), ("報告", "baogao"), ("答复", "dafu"), ("答覆", "dafu"), ("答复意见", "dafu"),
    ("方案", "fangan"), ("公告", "gonggao"), ("通告", "tonggao"), ("批复", "pifu"), ("批覆", "pifu"),
    ("函", "han"), ("法", "fa"),
]
_NAME_LABEL = re.compile(r"^法[規规]名[稱称]\s*[:：]\s*")
_LABELLED_MONTH = re.compile(r"(?:日期|时间|時間)\s*[:：]\s*(民[國国]\s*)?(\d{3,4})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*[日号])")
_STATUTE = {"xize", "guize", "tiaoli", "banfa", "guiding", "jieshi", "fa"}
_ARTICLES = re.compile(r"(?m)^\W*第\s*[一1]\s*[条條](?!\S*例)")
_NEWS_SIGNS = re.compile(
    r"记者|記者|通讯员|本报讯|本報訊|来源[:：]|責任編輯|责任编辑|新闻网|新聞網|据.{2,12}介绍|报道|報導|本篇文章\d+字|"
    r"编辑[:：]|客户端|微信公众|讯\s"
)
_MESSAGE_SIGNS = re.compile(r"尊敬的|您好|本人|我们是|我是|请问|希望|恳请|盼复|投诉|举报")
_SUFFIX = re.compile(r"居民区|自治区|自治州|自治县|街道|社区|社區|小区|小區|[省市区區县縣镇鎮乡鄉村]")
_LEVEL = {"省": PROVINCE, "自治区": PROVINCE, "自治州": CITY, "自治县": DISTRICT, "市": CITY, "区": DISTRICT, "區": DISTRICT, "县": DISTRICT,
          "縣": DISTRICT, "街道": WARD, "镇": WARD, "鎮": WARD, "乡": WARD, "鄉": WARD, "社区": COMMUNITY,
          "社區": COMMUNITY, "小区": COMMUNITY, "小區": COMMUNITY, "居民区": COMMUNITY, "村": COMMUNITY}
_MAX_NAME = {"省": 3, "自治区": 6, "自治州": 8, "自治县": 8, "市": 4, "区": 4, "區": 4, "县": 4, "縣": 4, "镇": 3, "鎮": 3, "乡": 3, "鄉": 3,
             "街道": 4, "社区": 4, "社區": 4, "小区": 5, "小區": 5, "居民区": 4, "村": 4}
# Characters that never sit inside a place name here: function words, pronouns, common verbs.
# 和 may end a name (祥和社区) and so stops the scan only further left.
_STOP_CHARS = set("的在是和与及了对向为由据从到将把被等各全本该我你他她们其每此这那有于以就也都而或并因所经让给要会能已还又后时"
                  "至近去来说称往离如个之即共请位住原不党委会局厅部处办省市区县镇乡村同进出号若需使令较更最很再才只仅均凡亦现年月日内届发副多"
                  "為並與於對將從這個們該應經時後會讓給區縣鎮鄉且屬")
# Last characters of names built from a common word: 大学路, 人民桥; such names are kept.
_PLACE_FINALS = set("路街道巷弄里亭桥岭坡山湖河江溪泉塘池洲岛湾港门口庄屯堡寨营店集铺坊坪园苑城台村")
_VERBISH = {"v", "vn", "vd", "ad", "d", "p", "c", "r", "vi", "vq"}
_TRAD_JOINED = {"地區", "轄區", "社區", "都市", "城市", "城鎮", "鄉鎮", "農村", "山區", "市區", "郊區", "園區", "景區"}
# Generic words that make "X小区", "X社区" a description, not a name.
_GENERIC = set(
    "老旧 住宅 高档 商品房 自建房 自建 农民 动迁 安置 改造 试点 所在 整个 周边 附近 每个 这个 那个 我们 你们 他们 其他 同一 "
    "示范 文明 智慧 和谐 美丽 新建 城市 农村 城乡 保障房 保障住房 安置房 经适房 商品 住宅区 居民 业主 相关 有关 当地 "
    "辖区 该地 本地 外地 全国 各地 一些 部分 多个 两个 三个 新 老 大 小 中心 重点 涉及 开放式 封闭式 无物业 物业 "
    "市辖 设区 不设区 直辖 地级 县级 乡级 镇级 村级 省级 市级 区级 社区级 基层 城区 郊区 山区 园区 景区 片区 开发 "
    "全市 全区 全县 全省 全镇 本市 本区 本县 本省 该市 该区 该县 周围 人民 群众 宜居 民族 自治 直轄 直辖 都 街道 社区 小区 "
    "農村 城鄉 公寓大廈 公寓 大廈".split()
)
_ORG_SUFFIX = re.compile(r"(?:委员会|人民政府|政府|办公厅|办公室|局|厅|部|委|院|办事处|中心|公司|大会|党委|总队|支队)$")
_SIGN_TITLE = re.compile(rf"^(?:国务院)?(主席|总理|省长|市长|区长|县长|主任|书记|局长|部长|院长|厅长|镇长|乡长)\s*([{_HAN}]{{2,3}})$")


# -- publication dates of news items and web pages

# A web page's posting line: "发布时间：2023-05-06 10:20".
_POSTED = re.compile(
    r"(?:发布|發布|发表|發表|更新|刊登|发稿|發稿)(?:时间|時間|日期)\s*[:：]?\s*"
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)"
)
# A Chinese dateline: "5月6日，", "2023年5月6日上午，", "新华社北京5月6日电".
_DATELINE = re.compile(
    r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号](?=(?:上午|下午|晚上|晚间|早上|中午|凌晨|晚)?\s*[，,]|电)"
)


def _dateline_parts(m: re.Match[str]) -> tuple[int, int, str | None]:
    """A dateline's day, month and year (None when it gives none)."""
    return int(m.group(3)), int(m.group(2)), m.group(1)


def _same_day(day: int, month: int) -> str:
    """Day `day` of month `month` with its year: "2017年5月22日"."""
    return rf"((?:19|20)\d{{2}})\s*年\s*0?{month}\s*月\s*0?{day}\s*[日号]"


_PUBLICATION = PublicationRules(_POSTED, (3, 2, 1), _DATELINE, _dateline_parts, _same_day)


def extract(text: str, title: str = "", source: str = "") -> DocMeta:
    """The metadata of a Chinese document (see `pipeline.metadata.extract_metadata`)."""
    return _Chinese(text, title, source).meta()


class _Chinese:
    def __init__(self, text: str, title: str, source: str):
        self.text = text
        self.plain = blank_markup(text)
        self.title = title.strip()
        self.source = source
        self.lines = nonblank_lines(self.plain)
        self.head = self._statute_header()

    def _statute_header(self) -> list[tuple[int, int, str]]:
        """The dated event lines that open a statute ("2019年11月27日 ...会议通过"), possibly in parentheses
        and wrapped across lines, up to the first article or chapter."""
        head: list[tuple[int, int, str]] = []
        for line in self.lines[:14]:
            text = line[2]
            if _ARTICLES.match(text) or re.match(r"^\W*第[一二1]\s*[章編编]|^目\s*录", text) or line[0] > 1200:
                break
            if _EVENT.search(text) and len(text) < 250 and (_DATE.search(text) or head):
                head.append(line)
            elif head:
                break
        return head

    def _events(self) -> list[tuple[re.Match, str, str]]:
        """The header's (date match, role, text between the date and its event word) in order."""
        if not self.head:
            return []
        start, end = self.head[0][0], self.head[-1][1]
        matches = list(_DATE.finditer(self.plain, start, end))
        out = []
        for i, m in enumerate(matches):
            stop = matches[i + 1].start() if i + 1 < len(matches) else end
            segment = self.plain[m.end() : stop]
            event = _EVENT.search(segment)
            if event:
                out.append((m, _EVENT_ROLE[event.group()], segment[: event.start()]))
                continue
            line_start = self.plain.rfind("\n", 0, m.start()) + 1
            event = _EVENT.search(self.plain, line_start, m.start())
            out.append((m, _EVENT_ROLE[event.group()] if event else "other", ""))
        return out

    def meta(self) -> DocMeta:
        doc_type = self._doc_type()
        dates = self._dates()
        number = self._number()
        issue = self._issue_date(dates)

        def undated_year() -> int | None:
            m = re.search(r"[〔［\[（(【]\s*((?:19|20)\d{2})\s*[〕］\]）)】]", number)
            return int(m.group(1)) if m else self._labelled_year()

        signer = ""
        signer_title = ""
        for _, _, line in self.lines[-8:] + self.head:
            m = _SIGN_TITLE.match(line)
            if m:
                signer_title, signer = m.group(1), m.group(2)
        return document_meta(self.plain, self.lines, _PUBLICATION, _DOCNO, doc_type, number, dates, issue,
                             undated_year, self._issuer(), signer, signer_title, self._places())

    # -- type

    def _labelled_year(self) -> int | None:
        """The year of a labelled date without its day near the top ("製表日期：113年5月")."""
        for _, _, line in self.lines[:5]:
            m = _LABELLED_MONTH.search(line)
            if m:
                year = int(m.group(2))
                return year + 1911 if m.group(1) or year < 1000 else year
        return None

    def _doc_title(self) -> str:
        # a statute database page names the statute on a labelled line, whatever banner opens it
        named = [line for _, _, line in self.lines[:8] if _NAME_LABEL.match(line)]
        title = named[0] if named else self.title
        if not title and self.lines:
            # a red-header notice opens with "X文件" and its number; the title line comes next
            heads = [line for _, _, line in self.lines[:5] if re.search(r"关于|關於", line)
                     and line.endswith(tuple(suffix for suffix, _ in _TYPE_SUFFIXES))]
            title = heads[0] if heads else self.lines[0][2]
        title = _NAME_LABEL.sub("", title)
        title = re.sub(r"[（(](?:草案|试行|試行|修正|修订|修訂|\d{4}年?[^）)]*)[）)]$", "", title.strip())
        return title.strip("《》 ")

    def _doc_type(self) -> str:
        title = self._doc_title()
        statute = bool(self.head) or bool(_ARTICLES.search(self.plain[:20000]))
        for suffix, slug in _TYPE_SUFFIXES:
            if title.endswith(suffix):
                if slug in _STATUTE and not statute:
                    continue
                if slug in ("jueding", "jueyi") and not (statute or "关于" in title or "關於" in title):
                    continue
                if slug not in _STATUTE | {"jueding", "jueyi"} and not (
                    "关于" in title or "關於" in title or title == suffix or self._number()
                ):
                    continue
                return slug
        first = self.lines[0][2] if self.lines else ""
        if re.match(rf"^[{_HAN}（）()]{{2,40}}关于.{{2,80}}的(通知|决定|意见|报告|答复|方案|公告|通告|批复|函)$", first):
            return dict(_TYPE_SUFFIXES)[first[-2:] if first[-1] != "函" else "函"]
        body = self.plain[:8000]
        news = len(_NEWS_SIGNS.findall(body)) + bool(NEWS_SOURCE.search(self.source))
        message = len(_MESSAGE_SIGNS.findall(body[:600]))
        return "news" if news >= 1 and news >= message else ""

    # -- number

    def _number(self) -> str:
        for _, _, line in self.lines[:8] + self.head:
            m = _DOCNO.search(line)
            if m and not re.search(r"[《〈]", line[: m.start()]):
                return re.sub(r"\s+", "", m.group())
            m = _ORDER.search(line)
            if m:
                return f"{m.group(1)}第{m.group(2)}号"
            m = _BARE_NO.match(line)
            if m:
                return f"第{m.group(1)}号"
        return ""

    # -- dates

    def _dates(self) -> list[DatedMention]:
        out = []
        events = {m.start(): role for m, role, _ in self._events()}
        tail_start = self.lines[-6][0] if len(self.lines) >= 6 else 0
        for m in _DATE.finditer(self.plain):
            iso = _date_of(m)
            if not iso:
                continue
            role = "other"
            line_end = self.plain.find("\n", m.end())
            after = self.plain[m.end() : line_end if line_end != -1 else len(self.plain)]
            before = self.plain[max(0, m.start() - 30) : m.start()]
            if m.start() in events:
                role = events[m.start()]
            elif re.match(r"\s*起?\s*(?:施行|实施|生效)", after) or before.endswith(("自", "于")) and "施行" in after[:12]:
                role = "effective"
            elif m.start() >= tail_start and not after.strip(" 。.") and len(self.plain[self.plain.rfind("\n", 0, m.start()) + 1 : m.start()].strip()) == 0:
                role = "issued"
            elif re.search(r"[《〈]|[〔［\[]\d{4}[〕］\]]", before + after[:30]):
                role = "cited"
            out.append(DatedMention(iso, role, m.start(), m.end()))
        return out

    def _issue_date(self, dates: list[DatedMention]) -> str:
        signed = [d for d in dates if d.role == "issued" and not any(s <= d.start < e for s, e, _ in self.head)]
        if signed:
            return signed[-1].date
        versions = [d.date for d in dates if d.role in ("issued", "adopted", "amended", "approved")
                    and any(s <= d.start < e for s, e, _ in self.head)]
        return max(versions) if versions else ""

    # -- issuer

    def _issuer(self) -> str:
        events = self._events()
        for wanted in ("issued", "adopted"):
            for _, role, body in events:
                org = _event_body(body) if role == wanted else ""
                if org:
                    return org
        tail = self.lines[-6:]
        for i, (_, _, line) in enumerate(tail):
            if _DATE.fullmatch(line.strip()) and i > 0:
                org = tail[i - 1][2].strip()
                if _ORG_SUFFIX.search(org) and len(org) <= 40:
                    return org
        title = self._doc_title()
        m = re.match(r"^(.{2,40}?)关于", title)
        if m and _ORG_SUFFIX.search(m.group(1)):
            return m.group(1)
        first = self.lines[0][2] if self.lines else ""
        m = re.match(r"^(.{2,30}?)(?:文件|关于)", first)
        if m and _ORG_SUFFIX.search(m.group(1)):
            return m.group(1)
        return ""

    # -- places

    def _places(self) -> tuple[Place, ...]:
        found: list[tuple[Place, int, bool]] = []
        head_end = self.head[-1][1] if self.head else (self.lines[0][1] if self.lines else 0)
        lists = distribution_spans(self.text)
        for text, offset in ((self.title, -1), (self.plain, 0)):
            last_end = 0
            for m in _SUFFIX.finditer(text):
                if offset == 0 and inside_any(lists, m.start()):
                    continue  # "抄送：市政府办公厅，XX区人民政府": copies, not where the text applies
                name = _place_name(text, m, last_end)
                if name:
                    suffix = m.group()
                    found.append((Place(name + suffix, _LEVEL[suffix]), m.start() if offset == 0 else -1,
                                  offset == -1 or m.start() < head_end))
                    last_end = m.end()
        return rank_places(found)


def _date_of(m: re.Match) -> str:
    roc, y, mo, d = m.groups()
    year = date_numeral(y)
    if roc or len(y) == 3:
        year += 1911
    return iso_date(year, date_numeral(mo), date_numeral(d))


def _event_body(body: str) -> str:
    """The body that acted in a statute's event: "上海市第十五届人民代表大会常务委员会第十三次会议" -> 上海市人民代表大会常务委员会."""
    org = re.sub(r"\s+", "", body).strip("（()）")
    org = re.sub(r"(?:中华人民共和国)?([" + _HAN + r"、]{2,24}?)(?:令|公告)第[\d" + _NUM + r"百]+号", r"\1", org)
    org = re.sub(r"第[\d" + _NUM + r"百]+届", "", org)
    org = re.sub(r"第[\d" + _NUM + r"百]+次(?:常务|全体)?会议.*$", "", org)
    org = re.sub(r"(?:公告|审议|会议|审判委员会|检察委员会|政治局会议|政治局)+$", "", org)
    if "《" in org or "〈" in org or len(org) < 2:
        return ""
    return org


_jieba_lock = threading.Lock()
_jieba_state: tuple[dict[str, int], dict[str, str]] | None = None
# A dictionary word this frequent in jieba's counts is a common word ("委托", "城市"), not a name.
_COMMON_WORD_FREQ = 500
_JOINED_WORD_FREQ = 100


def _dictionary() -> tuple[dict[str, int], dict[str, str]]:
    """jieba's word frequencies and part-of-speech tags, loaded once (only Chinese documents need them)."""
    global _jieba_state
    with _jieba_lock:
        if _jieba_state is None:
            from jieba import posseg

            tokenizer = jieba_tokenizer()
            tokenizer.check_initialized()
            _jieba_state = (tokenizer.FREQ, posseg.POSTokenizer(tokenizer).word_tag_tab)
    return _jieba_state


def _place_name(text: str, m: re.Match, last_end: int) -> str:
    """The name before place suffix match `m`, or "" when what precedes is not a place name.

    The left edge of a name is found by scanning back over name characters until a function
    word, punctuation, a previous place, or the length limit of the suffix; jieba's dictionary
    then settles known names (its "ns" words) and rejects common words ("委托社区", "城市").
    """
    suffix = m.group()
    start = m.start()
    after = text[m.end() : m.end() + 1]
    if suffix == "市" and after in ("场", "民", "值", "面", "容", "政") or suffix in ("乡", "鄉") and after in (
        "镇", "鎮", "村", "土", "亲", "下", "愁", "贤"
    ):
        return ""
    if suffix in ("区", "區") and (text[start - 1 : start] in ("社", "小") or after in ("分", "域", "隔", "別", "别")):
        return ""
    ascii_name = re.search(r"[A-Za-z0-9]+$", text[max(last_end, start - 6) : start])
    if ascii_name:  # numbered or anonymised units: K1区, A市, E5县
        name = ascii_name.group()
        return name if re.fullmatch(r"[A-Z][A-Z0-9]{0,3}|\d{1,3}", name) else ""
    freq, tags = _dictionary()
    limit = _MAX_NAME[suffix]
    # A known place name (jieba tags it ns) that starts at a boundary: 和平区, 浦东新区, 郑州市.
    for k in range(min(limit + 2, start - last_end), 1, -1):
        candidate = text[start - k : start]
        if tags.get(candidate + suffix) != "ns" or not _is_name_chars(candidate) or _generic(candidate, freq, tags):
            continue
        if candidate[-1] + suffix in _TRAD_JOINED or candidate[-1] + suffix in ("城镇", "乡镇", "村镇", "乡村"):
            continue  # 大中城市, 文明城市: "city", not a named one
        left = start - k
        edge = text[left - 1 : left]
        if left <= last_end or not edge or edge in _STOP_CHARS or not _is_name_chars(edge) or any(
            freq.get(text[left - j : left], 0) >= _JOINED_WORD_FREQ for j in (2, 3)
        ):
            return candidate
    name = []
    i = start - 1
    while i >= last_end and len(name) <= limit:
        c = text[i]
        if c in _STOP_CHARS and not (c == "和" and not name) or not _HAN_RE.match(c):
            break
        name.append(c)
        i -= 1
    if len(name) > limit:
        return ""
    name = "".join(reversed(name))
    if len(name) < 2 or _generic(name, freq, tags) or suffix.startswith("自治") and not name.endswith("族"):
        return ""
    if name.endswith("和") and name[-2:] not in freq:
        return ""  # 门和街道: "and", not part of a name like 祥和社区
    if len(suffix) == 1 and (freq.get(name[-1] + suffix, 0) >= _JOINED_WORD_FREQ or name[-1] + suffix in _TRAD_JOINED):
        return ""  # 城市, 农村, 辖区: a common word, not name + suffix
    words = _words(name) + [name[:j] for j in range(2, len(name))]
    if len(name) > 2 and name[-1] not in _PLACE_FINALS and any(
        len(w) > 1 and freq.get(w, 0) >= _COMMON_WORD_FREQ and tags.get(w) != "ns" for w in words
    ):
        return ""  # 合理配置街道, 组织西龙村
    return name


def _generic(name: str, freq: dict[str, int], tags: dict[str, str]) -> bool:
    """True for descriptions and common words: 老旧(小区), 住宅(小区), 委托(社区), 督促(区)."""
    if name in _GENERIC or any(name.startswith(g) or name.endswith(g) for g in _GENERIC if len(g) >= 2):
        return True
    if tags.get(name) == "ns":
        return False
    return freq.get(name, 0) >= _COMMON_WORD_FREQ or tags.get(name) in _VERBISH and freq.get(name, 0) >= 20


def _words(name: str) -> list[str]:
    return jieba_tokenizer().lcut(name, HMM=False)


def _is_name_chars(s: str) -> bool:
    return all(_HAN_RE.match(c) or c.isascii() and c.isalnum() for c in s)
