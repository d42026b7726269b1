"""Cross-lingual bridges: Sino-Vietnamese readings and language-mean centring of e5 vectors."""
import numpy as np
import pytest

from pipeline.crosslingual import MEANS_FILE, LanguageCentering, default_centering, hanviet


@pytest.mark.parametrize(
    "zh, vi",
    [
        ("居民自治", "cư dân tự trị"),
        ("管理", "quản lý"),
        ("改造", "cải tạo"),
        ("委员会", "ủy viên hội"),  # tone placed as the rest of the index places it (ủy, not uỷ)
        ("黨支部", "đảng chi bộ"),  # traditional characters read too
    ],
)
def test_hanviet_readings(zh, vi):
    assert " ".join(hanviet(zh).split()) == vi


def test_hanviet_keeps_digits_and_latin_words():
    out = " ".join(hanviet("2021年NFL第50届").split())
    assert "2021" in out and "NFL" in out and "niên" in out


def test_shipped_means_cover_both_languages_and_kinds():
    means = LanguageCentering().means
    assert set(means) == {"passage_vi", "passage_zh", "query_vi", "query_zh"}
    for v in means.values():
        assert v.shape == (384,) and np.isfinite(v).all() and 0.5 < np.linalg.norm(v) < 1.0
    assert MEANS_FILE.exists()


def test_centring_subtracts_the_language_mean_and_renormalises():
    c = default_centering()
    rng = np.random.default_rng(0)
    vecs = rng.normal(size=(3, 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    out = c.passages(vecs, ["vi", "zh", "en"])
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    expected = vecs[0] - c.means["passage_vi"]
    assert np.allclose(out[0], expected / np.linalg.norm(expected), atol=1e-6)
    assert np.array_equal(out[2], vecs[2])  # no mean for the language: unchanged
    assert not np.array_equal(out[0], vecs[0]) and np.array_equal(vecs, vecs.copy())  # input untouched


@pytest.mark.slow
def test_centring_lets_the_other_language_outrank_unrelated_text_in_the_query_language(embedder):
    """e5 prefers its query's language; centred, a Chinese passage on the subject beats off-topic Vietnamese."""
    pairs = [
        ("ban quản trị nhà chung cư", "业主委员会负责小区的日常管理"),
        ("cải tạo chung cư cũ", "老旧小区改造工程今年开工"),
        ("tự quản của cộng đồng dân cư", "社区居民自治组织"),
        ("chi bộ đảng ở khu dân cư", "小区党支部"),
        ("lấy ý kiến người dân", "征求居民意见"),
    ]
    off_topic_vi = [
        "Thời tiết hôm nay nắng đẹp, nhiệt độ cao nhất 32 độ.",
        "Giá xăng tăng mạnh trong tháng này.",
        "Đội bóng đã thắng trận chung kết tối qua.",
        "Cửa hàng giảm giá quần áo mùa hè.",
        "Nhà ga mới sẽ mở cửa vào năm sau.",
    ]
    c = default_centering()
    q = np.vstack([embedder.embed_query(v) for v, _ in pairs])
    zh = embedder.embed_documents([z for _, z in pairs])
    vi = embedder.embed_documents(off_topic_vi)

    def ranks(qv, zv, vv):  # rank of the right Chinese passage among all Chinese + off-topic Vietnamese ones
        pool = np.vstack([zv, vv])
        return [int((pool @ qv[i] > zv[i] @ qv[i]).sum()) for i in range(len(qv))]

    raw = ranks(q, zh, vi)
    centred = ranks(np.vstack([c.query(v, "vi") for v in q]), c.passages(zh, ["zh"] * 5), c.passages(vi, ["vi"] * 5))
    assert sum(centred) < sum(raw)
    assert sum(r == 0 for r in centred) >= sum(r == 0 for r in raw)
