"""Chinese mentions by rule over hand-written snippets (`pipeline.practices.zh`).

The snippets are written for these tests in the style of real reports, statutes, news and citizen
messages; each negative is a trap a naive rule falls into (a quoted exam period, an adverb that
starts with a numeral, a party charter that ends in 章程, a quoted idiom).
"""
from __future__ import annotations

import pytest
from conftest import whole_name

from pipeline.practices import find_mentions


def canonicals(make_doc, text: str) -> set[str]:
    return {m.canonical for m in find_mentions(make_doc(text))}


# ---------------------------------------------------------------- Chinese rules

ZH_FOUND = [
    # compound numeric formulas, with or without quotes, with a head noun
    ("老旧小区整治全程贯彻“一征三议两公开”工作法。", "一征三议两公开"),
    ("社区党支部坚持三会一课制度，每月召开党员大会。", "三会一课"),
    ("村级重大事项实行四议两公开，接受群众监督。", "四议两公开"),
    # a single numeral group spelled out by an enumeration of exactly N items
    ("严把群众“知晓率、参与率和满意率”，“三率”均要在90%以上。", "三率"),
    ("依托“三类组织”(楼院党组织、居民自治组织和志愿服务组织)开展工作。", "三类组织"),
    # head nouns with their left boundary
    ("最终建立了垃圾分类跟踪检查制度和红黑榜考评机制，有效激励居民。", "红黑榜考评机制"),
    ("最终建立了垃圾分类跟踪检查制度和红黑榜考评机制，有效激励居民。", "垃圾分类跟踪检查制度"),
    ("通过出台规定，建立健全联席会议制度，保证了党员群众的参与。", "联席会议制度"),
    ("街道办事处实行主任负责制。", "主任负责制"),
    ("本人也认同政府的河长制，水得到了有效的治理。", "河长制"),
    ("村民委员会实行少数服从多数的民主决策机制。", "民主决策机制"),
    ("一是通过居民自治，形成出租公约，使房屋出租有章可循。", "出租公约"),
    ("小区业委会将住改商治理写入业主公约。", "业主公约"),
    # rule books in 《》
    ("最终制定了《小区停车管理办法》《杜巷居民区房屋出租管理办法》。", "杜巷居民区房屋出租管理办法"),
    # quoted terms: a head after them, a governing verb before them, an alias, a slogan
    ("明辉西郊苑被选为垃圾分类“定点投放”试点社区。", "定点投放"),
    ("这为开展“家庭微观治理”奠定了基础。", "家庭微观治理"),
    ("本条例所称社会治理网格化服务管理（以下简称“网格化服务管理”），是指以网格为单元的服务。", "网格化服务管理"),
    ("在大力提倡“让数据多跑路，让群众少跑腿”的今天，补办一张卡历时十个月。", "让数据多跑路,让群众少跑腿"),
    ("本市健全“一网通办”服务“好差评”制度，实行一次一评。", "好差评"),
    ("“党建引领+居民自治”，打通小区治理“微循环”", "党建引领+居民自治"),
    ("社区探索“1+N”服务模式，整合辖区资源。", "1+n"),
    # an enumeration of N items right before a quoted numeral term, whatever the items share
    ("统筹推进刑事、民事、行政、公益诉讼“四大检察”全面协调充分发展。", "四大检察"),
    # a statute's defined term whose definition is a model, mechanism or activity
    ("第二条 本条例所称居家养老服务是指以家庭为基础、以城乡社区为依托的养老服务模式。", "居家养老服务"),
    # a 先…、后… pair is one name
    ("探索实行对重大典型案件先鉴定、后付费工作机制。", "先鉴定、后付费工作机制"),
    ("代表应当熟悉代表联系选民制度。", "代表联系选民制度"),
]

ZH_NOT_FOUND = [
    ("A市生态环境局下发通知，“三考”期间禁止夜间施工。", "三考"),          # a quoted period
    ("A市近一周一直是轻度、中度或重度污染。", "一周一直"),                   # numerals in adverbs
    ("居民会议也可以由每个居民小组选举代表二至三人参加。", "二至三人"),      # quantities
    ("为什么1+1=2；就不能3-1也等于2吗？", "1+1"),                          # arithmetic
    ("提升“家园”意识，激励居民参与共建活动。", "家园"),                     # a quoted modifier
    ("基层组织按照《中国共产党章程》进行工作。", "中国共产党章程"),         # a party document
    ("根据《中华人民共和国城市居民委员会组织法》，制定本办法。", "中华人民共和国城市居民委员会组织法"),
    ("这样的管理模式更有效。", "管理模式"),                                 # generic modifier
    ("建立完善网格员管理、培训、考核、激励等工作机制。", "工作机制"),
    ("应当建立相应的保障机制。", "保障机制"),
    ("行业委员会主任说：“作为一名党员，做志愿者是我们的职责。”", "作为一名党员,做志愿者是我们的职责"),
    ("A7县作为“三楚第一县”，每年都投入大量资源。", "三楚第一县"),          # a nickname
    ("鼓励家长对“三无”产品进行投诉举报。", "三无"),
    ("乡镇人民政府负责制定和实施培训计划。", "乡镇人民政府负责制"),       # 负责 + 制定, not 负责制
    ("教育局三令五申只放假三天。", "三令五申"),                             # idioms with numerals
    ("各种收费五花八门，群众意见很大。", "五花八门"),
    ("一楼二楼的住户反映噪音问题。", "一楼二楼"),                           # floors
    ("本条例所称网格，是指在社区内划分的基本服务管理单元。", "网格"),      # a defined unit, not a practice
    ("群众可以“自由”出入小区大门。", "自由"),                               # a scare quote
    ("C市司法局依照“信访条例”作出了“信访事项处理意见书”。", "信访条例"),   # documents quoted with “”
    ("违反《工程建设项目招标范围和规模标准规定》第七条。", "工程建设项目招标范围和规模标准规定"),
    ("销售人员介绍有标准车位、子母车位、微型车位、无障碍车位四种车位。", "四种车位"),  # a prose summary
    ("两部门无法执行“没收建筑物”的行政处罚。", "没收建筑物"),               # a quoted action
]


# names whose boundary a rule had to find: the name exactly, no longer or shorter variant of it
ZH_BOUNDARIES = [
    # a left edge inside a word jieba splits: a quantity, 可 + verb, an ordinal, a verb + 难
    ("消防控制室实行二十四小时值班制度。", "二十四小时值班制度"),
    ("物业服务人应当实行24小时专人值班制度。", "24小时专人值班制度"),
    ("本市建立市民文化节可持续发展机制，鼓励社会参与。", "可持续发展机制"),
    ("医师应当执行首诊负责制，规范记录诊疗情况。", "首诊负责制"),
    ("本市强化执行难源头治理制度建设。", "执行难源头治理制度"),
    # adverbs of manner and inner localisers belong to the name
    ("完善诉求快速处理反馈机制，及时回应企业。", "诉求快速处理反馈机制"),
    ("建立长期护理保险制度。", "长期护理保险制度"),
    ("本市推行生活垃圾定时定点分类投放制度。", "生活垃圾定时定点分类投放制度"),
    ("各单位应当建立内部举报人制度。", "内部举报人制度"),
    # a determiner and its scope are not the name
    ("建立健全本行业、本领域行政处罚裁量基准制度。", "行政处罚裁量基准制度"),
    ("街道应当建立本辖区住宅小区综合管理工作制度。", "住宅小区综合管理工作制度"),
    ("本村制定村规民约，规范村民行为。", "村规民约"),
    # a verb that takes the name as its object, with its subject and adverbs, stays outside it
    ("筹备组根据示范文本拟定临时管理规约。", "临时管理规约"),
    ("业主大会拟定业主公约或者管理规约。", "业主公约"),
    ("县级人民政府因地制宜确定农村生活垃圾分类管理模式。", "农村生活垃圾分类管理模式"),
    ("市农业农村部门会同市城市管理部门确定农村生活垃圾管理模式。", "农村生活垃圾管理模式"),
    ("水行政主管部门负责取水许可制度的组织实施。", "取水许可制度"),
    ("改进乡镇基本公共服务投入机制，推动资源下沉。", "乡镇基本公共服务投入机制"),
    ("市发展改革部门协调生产者责任延伸制度的落实。", "生产者责任延伸制度"),
    # a bracketed alternative inside a word
    ("建立居（村）民委员会联席会议制度。", "居(村)民委员会联席会议制度"),
    # names that stay as they were: a one-character prefix, a pair of one-character words, a verb
    # inside the name, 好 that is no complement
    ("街道建立大调解工作机制。", "大调解工作机制"),
    ("建立跨区域生活垃圾处理生态补偿机制。", "跨区域生活垃圾处理生态补偿机制"),
    ("推动建立老旧小区物业管理机制。", "老旧小区物业管理机制"),
    ("本市推行政务服务好差评制度。", "政务服务好差评制度"),
    ("建立医养结合机制。", "医养结合机制"),
    ("通过出台规定，建立健全联席会议制度，保证了党员群众的参与。", "联席会议制度"),
    ("老旧小区整治全程贯彻“一征三议两公开”工作法。", "一征三议两公开"),
]

ZH_BOUNDARY_CUTS = [
    ("区人民政府建立先行先试保障机制。", "试保障机制"),                 # cut inside 先行先试: dropped
    ("更是拿A市安全生产制度来开玩笑。", "拿"),                           # a verb, then a city's rules
    ("坚持好、完善好、运行好人民代表大会制度。", "好"),                   # verb + 好 governs the name
]


@pytest.mark.parametrize("text, name", ZH_BOUNDARIES)
def test_zh_name_boundary(make_doc, text, name):
    assert whole_name(found := canonicals(make_doc, text), name), found


@pytest.mark.parametrize("text, part", ZH_BOUNDARY_CUTS)
def test_zh_name_not_cut_or_run_on(make_doc, text, part):
    found = canonicals(make_doc, text)
    assert not any(part in c for c in found), found


@pytest.mark.parametrize("text, name", ZH_FOUND)
def test_zh_practice_found(make_doc, text, name):
    assert name in canonicals(make_doc, text)


@pytest.mark.parametrize("text, name", ZH_NOT_FOUND)
def test_zh_non_practice_left_out(make_doc, text, name):
    found = canonicals(make_doc, text)
    assert not any(name in c for c in found), found
