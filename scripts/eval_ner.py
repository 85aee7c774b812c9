"""Entity-level NER scores on the development sets, ours next to the bare models.

Sets (from ``nlp.settings.eval_dir()``):

* CoNLL-2003 ``conll2003/eng.testa`` (English; one document per -DOCSTART-,
  tokens joined by spaces, sentences by newlines).
* factRuEval-2016 ``factruEval2016/devset`` (Russian). A mention's extent is
  the union of its name spans (org_name for Org; name/surname/patronymic/
  nickname for Person; loc_name for Location and LocOrg); descriptor spans
  ("мэрии", "площади") are not part of names and mentions without a name span
  are skipped.
* NEREL v1.1 ``nerel/dev`` (Russian, nested; every mention of a mapped type is
  gold, so no flat tagger reaches full recall).

* ``encheck``: ``corpus/gold/ner_en_check.jsonl`` (project-written English
  sanctions and trade news sentences, one document each; each listed name is
  gold at its first whole-word occurrence; written before the English model
  was chosen or the rules tuned for it).

Label mapping to PER/ORG/LOC: ours PERSON->PER, ORG->ORG, GPE/LOC/FAC->LOC,
other labels ignored (not counted as errors); CoNLL MISC ignored; factRuEval
Person->PER, Org->ORG, Location/LocOrg->LOC; NEREL PERSON->PER,
ORGANIZATION->ORG, COUNTRY/CITY/STATE_OR_PROVINCE/DISTRICT/LOCATION->LOC.
A prediction is right when start, end and type all match exactly.

Usage: ``python scripts/eval_ner.py [--sets conll,factru,nerel,encheck] [--ablation] [--json]``.
``--ablation`` adds one row per domain layer switched on alone and one per
layer switched off, so each change is measured.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlp import settings  # noqa: E402
from nlp.extract.entities import NerOptions, find_entities_batch  # noqa: E402

TYPES = ("PER", "ORG", "LOC")
OUR_MAP = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC"}

Gold = set[tuple[int, int, str]]


def load_conll(path: Path) -> list[tuple[str, Gold]]:
    docs: list[tuple[str, Gold]] = []
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []

    def flush_doc() -> None:
        if current:
            sentences.append(list(current))
            current.clear()
        if not sentences:
            return
        parts, gold, offset = [], set(), 0
        for sentence in sentences:
            ent_start, ent_type, prev_end, tags = None, None, None, []
            for word, tag in sentence:
                start = offset
                parts.append(word)
                offset += len(word)
                tags.append((start, offset, tag))
                parts.append(" ")
                offset += 1
            parts[-1] = "\n"
            # IOB1: I-X continues a run of X; B-X starts a new one right after another X.
            for start, end, tag in tags + [(None, None, "O")]:
                kind = tag[2:] if tag != "O" else None
                new = tag.startswith("B-") or kind != ent_type
                if ent_type and (new or kind is None):
                    if ent_type in TYPES:
                        gold.add((ent_start, prev_end, ent_type))
                    ent_type = None
                if kind and (ent_type is None):
                    ent_start, ent_type = start, kind
                prev_end = end
        docs.append(("".join(parts), gold))
        sentences.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("-DOCSTART-"):
            flush_doc()
            continue
        if not line.strip():
            if current:
                sentences.append(list(current))
                current.clear()
            continue
        fields = line.split()
        current.append((fields[0], fields[-1]))
    flush_doc()
    return docs


_FACTRU_TYPES = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}
_FACTRU_NAME_SPANS = {"PER": {"name", "surname", "patronymic", "nickname"},
                      "ORG": {"org_name"}, "LOC": {"loc_name"}}


def load_factru(folder: Path) -> list[tuple[str, Gold]]:
    docs = []
    for txt in sorted(folder.glob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        spans = {}
        for line in txt.with_suffix(".spans").read_text(encoding="utf-8").splitlines():
            f = line.split("#")[0].split()
            if len(f) >= 4:
                spans[f[0]] = (f[1], int(f[2]), int(f[2]) + int(f[3]))
        gold = set()
        for line in txt.with_suffix(".objects").read_text(encoding="utf-8").splitlines():
            f = line.split("#")[0].split()
            if len(f) < 3 or f[1] not in _FACTRU_TYPES:
                continue
            kind = _FACTRU_TYPES[f[1]]
            parts = [spans[s] for s in f[2:] if s in spans and spans[s][0] in _FACTRU_NAME_SPANS[kind]]
            if parts:
                gold.add((min(p[1] for p in parts), max(p[2] for p in parts), kind))
        docs.append((text, gold))
    return docs


_NEREL_TYPES = {"PERSON": "PER", "ORGANIZATION": "ORG", "COUNTRY": "LOC", "CITY": "LOC",
                "STATE_OR_PROVINCE": "LOC", "DISTRICT": "LOC", "LOCATION": "LOC"}


def load_nerel(folder: Path) -> list[tuple[str, Gold]]:
    docs = []
    for txt in sorted(folder.glob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        gold = set()
        for line in txt.with_suffix(".ann").read_text(encoding="utf-8").splitlines():
            if not line.startswith("T"):
                continue
            _, info, _surface = (line.split("\t") + ["", ""])[:3]
            fields = info.split()
            if fields and fields[0] in _NEREL_TYPES and ";" not in info:
                gold.add((int(fields[1]), int(fields[2]), _NEREL_TYPES[fields[0]]))
        docs.append((text, gold))
    return docs


CHECK_SET = Path(__file__).resolve().parent.parent / "corpus" / "gold" / "ner_en_check.jsonl"


def load_check(path: Path) -> list[tuple[str, Gold]]:
    docs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        text, gold = record["text"], set()
        for name, kind in record["entities"]:
            m = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
            if m is None:
                raise ValueError(f"{name!r} not in {text!r}")
            gold.add((m.start(), m.end(), kind))
        docs.append((text, gold))
    return docs


# factRuEval's org_name spans leave out the legal form and the quotes
# ("ОАО «Газпром»" is org_descr + org_name "Газпром"); predictions are trimmed
# the same way there, for the bare model and ours alike.
_LEGAL_FORM_PREFIX = re.compile(r"^(?:ООО|ОАО|ЗАО|ПАО|АО|НАО|ТОО|ГУП|ФГУП|МУП|АНО|НКО)\s*")


def _factru_trim(text: str, start: int, end: int) -> tuple[int, int]:
    m = _LEGAL_FORM_PREFIX.match(text[start:end])
    if m and m.end() < end - start:
        start += m.end()
    while start < end and text[start] in "«\"“„":
        start += 1
    while end > start and text[end - 1] in "»\"”“":
        end -= 1
    return start, end


def predict(texts: list[str], lang: str, options: NerOptions, trim_org: bool = False) -> list[Gold]:
    out = []
    for text, ents in zip(texts, find_entities_batch(texts, lang, options=options)):
        spans = set()
        for e in ents:
            if e.label not in OUR_MAP:
                continue
            start, end = _factru_trim(text, e.start, e.end) if trim_org and e.label == "ORG" \
                else (e.start, e.end)
            spans.add((start, end, OUR_MAP[e.label]))
        out.append(spans)
    return out


def score(gold_docs: list[Gold], pred_docs: list[Gold]) -> dict:
    tp, fp, fn = Counter(), Counter(), Counter()
    for gold, pred in zip(gold_docs, pred_docs):
        for t in TYPES:
            g = {x for x in gold if x[2] == t}
            p = {x for x in pred if x[2] == t}
            tp[t] += len(g & p)
            fp[t] += len(p - g)
            fn[t] += len(g - p)

    def f1(a: int, b: int, c: int) -> dict:
        prec = a / (a + b) if a + b else 0.0
        rec = a / (a + c) if a + c else 0.0
        return {"p": round(prec, 4), "r": round(rec, 4),
                "f1": round(2 * prec * rec / (prec + rec), 4) if prec + rec else 0.0}

    result = {t: f1(tp[t], fp[t], fn[t]) for t in TYPES}
    result["all"] = f1(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return result


SETS = {
    "conll": ("en", lambda root: load_conll(root / "conll2003" / "eng.testa")),
    "factru": ("ru", lambda root: load_factru(root / "factruEval2016" / "devset")),
    "nerel": ("ru", lambda root: load_nerel(root / "nerel" / "dev")),
    "encheck": ("en", lambda root: load_check(CHECK_SET)),
}
LAYERS = ("line_segments", "recase_caps", "rules", "gazetteer", "consistency")


def configurations(ablation: bool) -> list[tuple[str, NerOptions]]:
    rows = [("bare model", NerOptions.bare()), ("full", NerOptions())]
    if ablation:
        for layer in LAYERS:
            rows.append((f"bare + {layer}", replace(NerOptions.bare(), **{layer: True})))
        for layer in LAYERS:
            rows.append((f"full - {layer}", replace(NerOptions(), **{layer: False})))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", default="conll,factru,nerel,encheck")
    parser.add_argument("--ablation", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    root = settings.eval_dir()
    report = {"machine": f"{platform.machine()} {platform.system()}, see docs/extract.md", "sets": {}}
    for name in args.sets.split(","):
        lang, loader = SETS[name]
        docs = loader(root)
        texts, golds = [d[0] for d in docs], [d[1] for d in docs]
        rows = {}
        for label, options in configurations(args.ablation):
            started = time.perf_counter()
            rows[label] = score(golds, predict(texts, lang, options, trim_org=name == "factru"))
            rows[label]["seconds"] = round(time.perf_counter() - started, 1)
            if not args.json:
                r = rows[label]
                print(f"{name:7s} {label:24s} " + "  ".join(
                    f"{t} {r[t]['f1']:.3f}" for t in (*TYPES, "all")) + f"  ({r['seconds']}s)",
                    flush=True)
        report["sets"][name] = {"documents": len(docs), "gold": sum(len(g) for g in golds),
                                "rows": rows}
    if args.json:
        print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
