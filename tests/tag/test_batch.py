"""tag-batch: batched tagging gives one record per article, in order, with failures as lines."""

from __future__ import annotations

import json


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
