"""CLI: ``sanctions link``, ``sanctions verify``, ``sanctions report``."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ..cliutil import StoreOption, fail, open_store, print_json, read_jsonl, write_jsonl


def link_command(
    doc_id: Optional[str] = typer.Argument(None, help="Document id to link (see `sanctions corpus`)."),
    all_docs: bool = typer.Option(False, "--all", help="Link every news and regulation document."),
    store: Optional[Path] = StoreOption,
    json_out: bool = typer.Option(False, "--json", help="Print each claim's result as a JSON line."),
    evidence: bool = typer.Option(True, "--evidence/--no-evidence", help="Look up evidence passages."),
) -> None:
    """Detect claims in stored documents, verify them and store claim->evidence links."""
    from . import link_document, linkable_documents

    if not doc_id and not all_docs:
        fail("give a DOC_ID or --all")
    db = open_store(store, create=False)
    doc_ids = list(linkable_documents(db)) if all_docs else [str(doc_id)]
    counts: dict[str, int] = {}
    for current in doc_ids:
        try:
            results = link_document(current, db, with_evidence=evidence)
        except KeyError as exc:
            fail(str(exc).strip("'\""))
        for result in results:
            counts[result["verdict"]] = counts.get(result["verdict"], 0) + 1
            if json_out:
                print_json(result)
    if not json_out:
        typer.echo(f"linked {len(doc_ids)} documents: {sum(counts.values())} claims "
                   + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


def verify_command(
    statement: Optional[str] = typer.Argument(None, help="The statement to check."),
    claims: Optional[str] = typer.Option(None, "--claims",
                                         help="JSON Lines of {id, claim, published, lang} ('-' = stdin)."),
    published: Optional[str] = typer.Option(None, "--published",
                                            help="Reference date YYYY-MM-DD for relative periods."),
    lang: str = typer.Option("auto", "--lang", help="auto, en or ru."),
    store: Optional[Path] = StoreOption,
    json_out: bool = typer.Option(False, "--json", help="Print the full result as JSON."),
    evidence: bool = typer.Option(True, "--evidence/--no-evidence", help="Look up evidence passages."),
) -> None:
    """Check a statement about trade against the stored figures."""
    from . import verify_statement

    if not statement and not claims:
        fail("give a STATEMENT or --claims FILE")
    if published is not None and _bad_date(published):
        fail(f"--published must be a date YYYY-MM-DD, not {published[:40]!r}")
    db = open_store(store, create=False)
    if claims:
        def results():
            for line in read_jsonl(claims):
                if not line.get("claim"):
                    yield {"id": line.get("id"), "error": "missing 'claim'"}
                    continue
                if line.get("published") and _bad_date(str(line["published"])):
                    yield {"id": line.get("id"),
                           "error": f"published must be a date YYYY-MM-DD, not {str(line['published'])[:40]!r}"}
                    continue
                out = verify_statement(line["claim"], db, published=line.get("published") or published,
                                       lang=line.get("lang") or lang, with_evidence=evidence)
                yield {"id": line.get("id"), **out}

        write_jsonl(results(), "-")
        return
    try:
        result = verify_statement(str(statement), db, published=published, lang=lang, with_evidence=evidence)
    except ValueError as exc:
        fail(str(exc))
    if json_out:
        print_json(result)
        return
    typer.echo(f"verdict: {result['verdict']}\n{result['explanation']}")
    for series in result["series"]:
        tag = "PROXY " if series["proxy"] else ""
        if series["change_pct"] is None:
            typer.echo(f"  {tag}{series['label']}: {series['note']}")
        else:
            typer.echo(f"  {tag}{series['label']}: {series['change_pct']:+}% (window {series['window']}, "
                       f"baseline {series['baseline']}; {series['note'] or ''})")


def _bad_date(text: str) -> bool:
    import datetime as dt

    try:
        dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return True
    return False


def report_command(
    doc_id: str = typer.Argument(..., help="Document id."),
    out: Path = typer.Option(..., "--out", help="FILE.html or FILE.md"),
    store: Optional[Path] = StoreOption,
    relink: bool = typer.Option(False, "--relink", help="Detect and verify the claims again first."),
) -> None:
    """Render every claim of a document with verdicts, evidence and charts."""
    from . import link_document, stored_claims
    from .report import render

    if out.suffix.lower() not in (".html", ".htm", ".md", ".markdown"):
        fail("--out must end in .html or .md")
    db = open_store(store, create=False)
    doc = db.document(doc_id)
    if doc is None:
        fail(f"no document {doc_id!r} in the store")
    claims = stored_claims(db, doc_id)
    if relink or not claims:
        claims = link_document(doc_id, db)
    path = render(doc, claims, db, out)
    typer.echo(f"wrote {path} ({len(claims)} claims)")


def register(app: typer.Typer) -> None:
    app.command("link")(link_command)
    app.command("verify")(verify_command)
    app.command("report")(report_command)
