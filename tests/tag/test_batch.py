"""tag-batch: batched tagging gives one record per article, in order, with failures as lines."""

from __future__ import annotations

import json

import pytest


def test_tag_many_in_order_without_store():
    from nlp.tag.batch import tag_many

    articles = [{"text": "Sergey Shoigu visited Astana on 5 May 2023.", "published": "2023-05-06", "source": "a"},
                {"text": "   ", "source": "empty"},
                {"text": "Экспорт микросхем в Казахстан вырос в 2022 году.", "source": "c"}]
    out = list(tag_many(iter(articles), None, workers=1, batch_size=2))
    assert [o.get("error") is not None for o in out] == [False, True, False]
    assert out[0]["lang"] == "en" and out[2]["lang"] == "ru"
    assert any(e["text"] == "Sergey Shoigu" for e in out[0]["entities"])
    assert out[1]["error"] == "empty article" and out[1]["source"] == "empty"


def test_cli_reads_json_lines_from_stdin():
    from typer.testing import CliRunner

    from nlp.cli import app

    lines = "\n".join(json.dumps({"text": t}) for t in ("Astana and Moscow signed a deal.", "Second text here."))
    result = CliRunner().invoke(app, ["tag-batch", "-", "--no-store", "--workers", "1"], input=lines)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert len(records) == 2 and all("entities" in r for r in records)


def test_workers_come_from_a_fork_server_that_preloads_the_models():
    import multiprocessing
    import sys

    from nlp.tag.batch import _worker_context

    if "forkserver" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork server on this system (workers are spawned)")
    context = _worker_context()
    assert context.get_start_method() == "forkserver"
    assert "nlp.tag.batch_preload" not in sys.modules  # loaded by the server, not by the caller


@pytest.mark.slow
def test_two_workers_give_the_same_records_as_one():
    from nlp.tag.batch import tag_many

    articles = [{"text": "Exports of integrated circuits (HS 8542) from Kazakhstan to Russia rose in 2023, "
                         "Sergey Shoigu said in Moscow on 5 May 2024.", "published": "2024-06-01", "source": "a"},
                {"text": "", "source": "empty"},
                {"text": "Сбербанк и Газпромбанк попали под санкции ЕС 24 февраля 2023 года.", "source": "b"},
                {"text": "The European Union listed Sovcomflot in its twelfth package.", "published": "2024-01-02"}]
    one = list(tag_many(iter(articles), None, workers=1, batch_size=1))
    two = list(tag_many(iter(articles), None, workers=2, batch_size=1))
    assert json.dumps(two, sort_keys=True) == json.dumps(one, sort_keys=True)
    assert [r.get("error") is not None for r in two] == [False, True, False, False]
