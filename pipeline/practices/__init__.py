"""Practice layer: the named working methods that governance texts describe, found by rules and statistics.

A *practice* is a named, reusable way of working: a numeric formula (一征三议两公开, 三会一课, "5 biết"),
a named mechanism, method, model or system (红黑榜考评机制, 联席会议制度, "quy chế phối hợp",
"mô hình tổ chức chính quyền địa phương 02 cấp"), a local rule book (《小区停车管理办法》, 居民公约),
a campaign or movement ("phong trào “Dân vận khéo”") or a slogan ("Dân biết, dân bàn, dân làm, dân
kiểm tra"). There is no list of known practices: names are recognised by their shape and context.

Per document (`find_mentions`):

- **numeric formulas** — two or more numeral + word groups that jieba's own segmentation starts and
  ends on (一征|三议|两|公开, 三位一体), or one group whose enumeration of exactly N items sharing
  its word is nearby: “三率” ← 知晓率、参与率和满意率, 三类组织（楼院党组织、居民自治组织和志愿服务组织）,
  “5 biết” (biết nghe dân nói, biết nói dân hiểu, ...); "1+N" outside arithmetic;
- **head nouns** (Chinese) — …工作法, …机制, …模式, …制度, …办法, …公约, …规约, …章程, …负责制,
  …长制, with the left boundary where jieba's words stop being part of a name (a governing verb such
  as 建立/实行, a particle, a conjunction, punctuation); a modifier that is one common word
  (工作机制, 管理制度, 保障机制: jieba's corpus frequency) is generic, not a name;
- **cue words** (Vietnamese) — "mô hình", "cơ chế", "quy chế", "phong trào", "cuộc vận động",
  "phương châm", ... followed by the name, its end found with underthesea's words and tags;
- **quoted terms** “…” — kept when a head noun follows (“一征三议两公开”工作法), a cue or a governing
  verb precedes (phong trào “Dân vận khéo”, 用活用好“…”), the term is an alias (以下简称“…”), a
  formula, or a parallel slogan (“让数据多跑路，让群众少跑腿”, "dân biết, dân bàn, ..."); speech,
  scare quotes and quoted modifiers of other nouns (“三考”期间, “家园”意识) are left out;
- **titles** 《…》 of rule books (制度, 办法, 规定, 公约, ...), not of state laws and notices.

Across documents (`build_catalogue`): mentions are grouped by canonical name (quotes, 《》, trailing
particles, full-width forms and case removed; abbreviations such as "Nông thôn mới (NTM)" expanded);
each name gets a score from the strength of its evidence, how often and in how many documents it
recurs, and whether a text defines it; names under `min_score` are dropped; accepted names are then
looked up again in every document so unmarked recurrences count too. Each practice carries its
definition sentences, actors (from a compact lexicon of actor *types*), outcomes with figures, the
places and dates of its documents, and every use with its passage and section heading.

Everything here is pure: Documents in, frozen dataclasses out; no index is needed.

The package, one module per section, each importing only the ones above it:

- `types`: the records (`PracticeMention`, `Practice`, `Use`, `Evidence`, `Actor`, `Outcome`, `Component`);
- `lexicon`: characters, word lists (heads, cues, governing verbs, stop words, actor types), canonical names
  and abbreviations;
- `context`: a document with its sentences, passages and headings, jieba's and underthesea's tagged words;
- `formulas`: numeric formulas (一征三议两公开, “三率”, "5 biết", 1+N);
- `zh`, `vi`: each language's quoted terms, head nouns or cue words, titles and slogans;
- `mentions`: `find_mentions`, every rule over one document;
- `evidence`: definitions, a formula's parts, actors and outcomes beside a practice;
- `catalogue`: `build_catalogue` across documents, and `jieba_entries`;
- `listing`: the listing model, which scores each entry and lists those it is confident about
  (`score_practices`; fitted by bench/catalogue_listing.py, shipped in `data/practice_listing.json`);
- `cache`: `CachedCatalogue`, an index's catalogue and practice vectors as stored in `practices.json`;
- `select`: a catalogue's practices by name (`find_practice`), by filters (`select_practices`), and one row per use;
- `views`: what `pipeline.api.Library` hands back to read: the catalogue table, a practice card, a
  side-by-side comparison and a document view (Jupyter HTML, text, JSON).
"""
from __future__ import annotations

from .cache import CATALOGUE_VERSION, CachedCatalogue
from .catalogue import MIN_SCORE, build_catalogue, jieba_entries
from .evidence import formula_parts
from .lexicon import abbreviations, canonical_name
from .mentions import find_mentions
from .types import (
    Actor,
    Component,
    Evidence,
    Outcome,
    Practice,
    PracticeMention,
    Use,
    mention_from_dict,
    practice_from_dict,
)
from .views import (
    NEAREST_FLOOR,
    Catalogue,
    Comparison,
    DocumentView,
    PracticeCard,
    nearest_practices,
    summary_dict,
    use_citation,
)

__all__ = [
    "Actor", "CATALOGUE_VERSION", "CachedCatalogue", "Catalogue", "Comparison", "Component", "DocumentView", "Evidence", "MIN_SCORE", "NEAREST_FLOOR",
    "Outcome", "Practice", "PracticeCard", "PracticeMention", "Use", "abbreviations", "build_catalogue",
    "canonical_name", "find_mentions", "formula_parts", "jieba_entries", "mention_from_dict", "nearest_practices",
    "practice_from_dict", "summary_dict", "use_citation",
]
