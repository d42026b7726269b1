"""How ingest work is sized (`pipeline.workload`): worker processes only beyond the cores the embedder keeps busy."""


def test_workers_are_used_only_beyond_the_cores_the_embedder_keeps_busy():
    from pipeline.ingest import auto_workers

    assert [auto_workers(c) for c in (1, 2, 3, 4, 8)] == [1, 1, 1, 2, 6]
