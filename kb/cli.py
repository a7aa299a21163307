"""smtpkb: look up, explain, search, list, validate and export SMTP reply codes.

Exit codes:
  0  success
  1  nothing found (unknown code for `show`, no hits for `search`) or validation problems
  2  usage error (bad arguments, unreadable file)
  3  the knowledge base itself is broken (run `smtpkb validate`)
  70 internal error (a bug in smtpkb)
  130 interrupted
"""

from __future__ import annotations

import json
import os
import re
import sys

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_DATA, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
EXIT_INTERNAL = 70  # sysexits EX_SOFTWARE: never 3, which says the knowledge base is broken


def _parser():
    import argparse

    p = argparse.ArgumentParser(prog="smtpkb", description="The SMTP reply code knowledge base and bounce explainer.",
                                epilog="Exit codes: 0 ok, 1 not found or invalid, 2 usage, 3 broken knowledge base.")
    class Version(argparse.Action):  # the version is read from the installed metadata only when asked for
        def __call__(self, parser, namespace, values, option_string=None):
            import kb

            print(f"smtp-kb {kb.__version__}")
            parser.exit()

    p.add_argument("--version", action=Version, nargs=0, help="show the version and exit")
    sub = p.add_subparsers(dest="command")

    def common(sp, json_flag=True):
        if json_flag:
            sp.add_argument("--json", action="store_true", help="machine-readable output")
        sp.add_argument("--lang", choices=("en", "de"), default=os.environ.get("SMTPKB_LANG", "en"), help="language of the text")
        return sp

    e = common(sub.add_parser("explain", help="explain a code, reply, DSN or log line; '-' reads one item per line from stdin"))
    e.add_argument("text", nargs="*", help="the code or reply; '-' for stdin (batch)")
    e.add_argument("--file", help="read one item per line from this file (batch)")
    e.add_argument("--summary", action="store_true", help="batch: end with counts by reason, code and provider")
    e.add_argument("--markdown", action="store_true", help="single item: the full explanation as Markdown")
    e.add_argument("--as", dest="vocabulary", choices=("ses", "sparkpost", "sendgrid", "postmark", "sisimai"),
                   help="single item: also give the verdict in this tool's vocabulary (codes/reasons.yaml crosswalk)")
    e.add_argument("--mail", nargs="+", metavar="FILE",
                   help="whole bounce mails: .eml files, mboxes, maildir folders, '-' for one mail on stdin")
    s = common(sub.add_parser("show", help="show the record of a code"))
    s.add_argument("code")
    s.add_argument("--markdown", action="store_true", help="Markdown instead of plain text")
    q = common(sub.add_parser("search", help="search codes by number or words"))
    q.add_argument("query", nargs="+")
    q.add_argument("--limit", type=int, default=20)
    ls = common(sub.add_parser("list", help="list codes"))
    ls.add_argument("--class", dest="klass", choices=("1", "2", "3", "4", "5"), help="first digit of basic codes / class of enhanced")
    ls.add_argument("--subject", choices=tuple("01234567"), help="enhanced codes of this subject (X.N.*)")
    ls.add_argument("--kind", choices=("basic", "enhanced"))
    v = sub.add_parser("validate", help="check the records: YAML, schema and cross-record rules")
    v.add_argument("path", nargs="?", help="a codes/ directory (default: the one smtpkb reads)")
    v.add_argument("--json", action="store_true")
    x = sub.add_parser("export", help="export the dataset (and its schema) for other tools")
    x.add_argument("--format", choices=("json", "jsonl", "csv", "parquet"), default="json",
                   help="parquet needs --output and smtp-kb[parquet]")
    x.add_argument("--output", "-o", help="file to write (default: stdout)")
    common(sub.add_parser("providers", help="list the provider and MTA files"))
    rp = sub.add_parser("report", help="summarise mail logs: by reason, code, provider and domain; --html, --prometheus")
    rp.add_argument("logs", nargs="*", default=["-"], help="log files (plain or gzip), JSON Lines from `explain --json`, '-' for stdin")
    rp.add_argument("--html", metavar="FILE", help="also write one self-contained HTML page with charts (needs smtp-kb[report])")
    rp.add_argument("--prometheus", metavar="FILE", help="also write counters in the Prometheus text format")
    rp.add_argument("--site-url", default=os.environ.get("SMTPKB_SITE_URL", ""), help="base URL of the documentation site for code links")
    rp.add_argument("--lang", choices=("en", "de"), default=os.environ.get("SMTPKB_LANG", "en"), help="language of the text")
    sub.add_parser("prompt", help="interactive explain prompt: paste a reply, read, repeat")
    sub.add_parser("browse", help="open the terminal browser")
    return p


class _Out:
    """stdout that colours only on a terminal and never dies on a closed pipe."""

    def __init__(self) -> None:
        self.color = sys.stdout.isatty() and not os.environ.get("NO_COLOR")

    def bold(self, s: str) -> str:
        return f"\x1b[1m{s}\x1b[0m" if self.color else s


def _err(msg: str) -> None:
    print(f"smtpkb: {msg}", file=sys.stderr)


# What a terminal would obey rather than show: C0 controls but tab and newline (so also ESC and a bare CR),
# DEL, C1 controls (8-bit CSI), line separators and bidi overrides. Our own bold on/off passes.
_UNSAFE_OUTPUT = re.compile("\x1b\\[[01]m|([\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069])")


def _show_escaped(m) -> str:
    return m.group() if m.group(1) is None else f"\\u{ord(m.group(1)):04x}"  # \uXXXX: also valid inside JSON


class _TerminalSafe:
    """A text stream that writes control characters escaped, so that neither input nor a record can move the
    cursor, clear the screen or retitle the window. JSON stays valid: json.dumps escapes C0 itself, and the rest
    can only stand inside strings, where \\uXXXX is an escape."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def write(self, s: str) -> int:
        if _UNSAFE_OUTPUT.search(s) is not None:
            s = _UNSAFE_OUTPUT.sub(_show_escaped, s)
        return self.stream.write(s)

    def __getattr__(self, name: str):
        return getattr(self.stream, name)


def main(argv: list[str] | None = None) -> int:
    """The command line. Output never fails on what it prints: unencodable characters are written escaped."""
    argv = sys.argv[1:] if argv is None else argv
    out, err = sys.stdout, sys.stderr
    for stream in (out, err):
        try:
            getattr(stream, "reconfigure", lambda **kw: None)(errors="backslashreplace")
        except (ValueError, OSError):  # already written to in another encoding: keep it
            pass
    if not argv or argv[0] == "browse":  # the terminal browser draws with escape sequences itself
        return _main(argv)
    sys.stdout, sys.stderr = _TerminalSafe(out), _TerminalSafe(err)
    try:
        return _main(argv)
    finally:
        if isinstance(sys.stdout, _TerminalSafe):  # not when a closed pipe replaced it with /dev/null
            sys.stdout.flush()
            sys.stdout = out
        sys.stderr = err


def _main(argv: list[str]) -> int:
    try:
        if not argv:
            return _browse_or_prompt()
        if argv[0] == "explain" and len(argv) > 1 and not any(a.startswith("-") for a in argv[1:]):
            # the most common call skips argparse, whose import alone is a fifth of the cold-start budget
            return _explain_plain(" ".join(argv[1:]))
        args = _parser().parse_args(argv)
        return _dispatch(args)
    except SystemExit as exc:  # argparse: --help, --version and usage errors
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        try:  # the reader went away (| head): stop quietly
            sys.stdout = open(os.devnull, "w")
        except OSError:
            pass
        return EXIT_OK
    except Exception as exc:  # the last line of defence: a message, never a traceback
        from .store import DataError

        if isinstance(exc, DataError):
            _err(str(exc))
            return EXIT_DATA
        _err(f"internal error (a bug in smtpkb, please report it): {type(exc).__name__}: {exc}")
        return EXIT_INTERNAL


def _dispatch(args) -> int:
    cmd = args.command
    if cmd == "explain":
        return _explain(args)
    if cmd == "show":
        return _show(args)
    if cmd == "search":
        return _search(args)
    if cmd == "list":
        return _list(args)
    if cmd == "validate":
        return _validate(args)
    if cmd == "export":
        return _export(args)
    if cmd == "providers":
        return _providers(args)
    if cmd == "report":
        return _report(args)
    if cmd == "prompt":
        return prompt()
    if cmd == "browse":
        return _browse_or_prompt()
    _parser().print_help()
    return EXIT_USAGE


def _explain(args) -> int:
    import kb

    from .render import crosswalk_line, explanation_markdown, explanation_text

    if args.mail:
        from .mail.run import run as run_mail

        return run_mail(args.mail, sys.stdin.buffer, sys.stdout, sys.stderr, args.json, args.summary, args.lang)
    if args.text == ["-"] and not args.file and _stdin_is_mail():
        from .mail.run import run as run_mail

        _err("stdin is a whole mail, not lines: explaining it as one message (--mail - says so; --file reads lines)")
        return run_mail(["-"], sys.stdin.buffer, sys.stdout, sys.stderr, args.json, args.summary, args.lang)
    if args.file or args.text == ["-"]:
        if args.file:
            try:
                fh = open(args.file, "rb")
            except OSError as exc:
                _err(f"cannot read {args.file}: {exc.strerror}")
                return EXIT_USAGE
        else:
            fh = sys.stdin.buffer  # type: ignore[assignment]  # both are binary files
        with fh:
            from .batch import run

            # rows hold codes, ids and addresses read from cleaned text, nothing to escape: skip the per-row check
            out = sys.stdout.stream if isinstance(sys.stdout, _TerminalSafe) else sys.stdout
            run(fh, out, as_json=args.json, summary=args.summary)
            return EXIT_OK
    if not args.text:
        _err("explain needs a code or reply, or '-' to read from stdin")
        return EXIT_USAGE
    if _is_mail_text(" ".join(args.text)):
        return _explain_mail_text(" ".join(args.text), args.json, args.summary, args.lang)
    ex = kb.explain(" ".join(args.text))
    mapped = ex.verdict.crosswalk.get(args.vocabulary) if getattr(args, "vocabulary", None) else None
    if args.json:
        out = ex.as_dict()
        if args.vocabulary:
            out["as"] = {"vocabulary": args.vocabulary, **(dict(mapped) if mapped else {"value": None})}
        print(json.dumps(out, ensure_ascii=False, indent=2))
    elif args.markdown:
        print(explanation_markdown(ex, args.lang))
    else:
        print(explanation_text(ex, args.lang))
    if args.vocabulary and not args.json:
        print(crosswalk_line(args.vocabulary, mapped, args.lang))
    return EXIT_OK if (ex.reply.basic or ex.reply.enhanced) else EXIT_NOT_FOUND


def _is_mail_text(text: str) -> bool:
    """Whether an argument holds a whole mail (someone passed "$(cat bounce.eml)")."""
    if "\n" not in text or ":" not in text.split("\n", 1)[0]:
        return False  # a reply or log line: decided without importing the mail reader
    from .mail import looks_like_message

    return looks_like_message(text)


def _explain_mail_text(text: str, as_json: bool, summary: bool, lang: str) -> int:
    import io

    from .mail.run import run as run_mail

    _err("the argument is a whole mail: explaining it as one message (smtpkb explain --mail FILE reads files)")
    return run_mail(["-"], io.BytesIO(text.encode("utf-8", "surrogateescape")), sys.stdout, sys.stderr, as_json, summary, lang)


def _stdin_is_mail() -> bool:
    """Whether stdin starts like a mail (header fields, a blank line); looked at without consuming it."""
    peek = getattr(sys.stdin.buffer, "peek", None)  # a buffered reader; tests may hand in other streams
    try:
        head = peek(16384)[:16384] if peek else b""
    except (OSError, ValueError):
        return False
    first = head.lstrip(b"\r\n").split(b"\n", 1)[0]
    if not (first.startswith(b"From ") or b":" in first.split(b" ", 1)[0]):
        return False  # the usual case, a reply or log line: decided without importing the mail reader
    from .mail import looks_like_message

    return looks_like_message(head)


def _explain_plain(text: str) -> int:
    import kb

    from .render import explanation_text

    if _is_mail_text(text):
        return _explain_mail_text(text, False, False, os.environ.get("SMTPKB_LANG", "en"))
    ex = kb.explain(text)
    print(explanation_text(ex, os.environ.get("SMTPKB_LANG", "en")))
    return EXIT_OK if (ex.reply.basic or ex.reply.enhanced) else EXIT_NOT_FOUND


def _show(args) -> int:
    import kb

    from .render import record_markdown

    rec = kb.get(args.code)
    if rec is None:
        norm = kb.normalize(args.code)
        if norm is None:
            _err(f"{args.code!r} is not a reply code (expected e.g. 421, 4.7.0, X.7.26)")
            return EXIT_USAGE
        _err(f"no record for {norm}; try: smtpkb explain {norm}")
        return EXIT_NOT_FOUND
    if args.json:
        print(json.dumps(rec.as_dict(), ensure_ascii=False, indent=2))
    elif args.markdown:
        print(record_markdown(rec, args.lang))
    else:
        print(_plain(record_markdown(rec, args.lang)))
    return EXIT_OK


def _plain(md: str) -> str:
    """Markdown made easy to read in a terminal without a renderer."""
    import re

    out = re.sub(r"(?m)^```\w*\n?", "", md.replace("**", ""))
    out = re.sub(r"(?m)^#+ ", "", out)
    out = re.sub(r"\[([^\[\]]*)\]\(([^()]*)\)", r"\1 <\2>", out)  # runs stop at the next bracket: linear
    out = re.sub(r"\\([\\`*_\[\]<>#|])", r"\1", out)
    return out.replace("`", "")


def _search(args) -> int:
    import kb

    from .ranking import TIERS

    hits = kb.search(" ".join(args.query), limit=max(1, args.limit))
    if args.json:
        print(json.dumps([{"code": h.code, "key": h.record.key, "title": h.record.title(args.lang), "tier": TIERS[h.tier],
                           "score": h.score} for h in hits], ensure_ascii=False, indent=2))
    else:
        for h in hits:
            print(f"{h.code:<8} {h.record.title(args.lang)}  [{TIERS[h.tier]}]")
    return EXIT_OK if hits else EXIT_NOT_FOUND


def _list(args) -> int:
    import kb

    out = _Out()
    rows = []
    for rec in kb.records(args.kind):
        if args.subject is not None and (rec.kind != "enhanced" or rec.key.split(".")[1] != args.subject):
            continue
        if args.klass is not None:
            if rec.kind == "basic" and rec.key[0] != args.klass:
                continue
            if rec.kind == "enhanced":
                if args.klass not in rec.retry_by_class:
                    continue
                rec = rec.via(args.klass)
        rows.append(rec)
    if args.json:
        print(json.dumps([{"code": r.code, "key": r.key, "kind": r.kind, "status": r.status, "title": r.title(args.lang)}
                          for r in rows], ensure_ascii=False, indent=2))
    else:
        for r in rows:
            print(f"{out.bold(f'{r.code:<8}')} {r.title(args.lang)}  ({r.status})")
    return EXIT_OK if rows else EXIT_NOT_FOUND


def _validate(args) -> int:
    import kb

    from .checks import pattern_timing_problems
    from .store import codes_dir

    problems = kb.validate(args.path)
    root = args.path or codes_dir()
    if not args.path and not os.path.relpath(root).startswith(".."):
        root = os.path.relpath(root)  # named as kb.validate names them
    problems += pattern_timing_problems(root)  # hostile strings take a child process: here, not per index build
    problems.sort(key=lambda p: (p.path, p.line, p.column, p.message))
    if args.json:
        print(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
    else:
        for p in problems:
            print(p)
        where = args.path or "the knowledge base"
        print(f"{len(problems)} problem(s) in {where}" if problems else f"{where}: no problems", file=sys.stderr)
    return EXIT_NOT_FOUND if problems else EXIT_OK


def _export(args) -> int:
    from .export import write, write_parquet

    if args.output and _unwritable(args.output):
        _err(f"cannot write {args.output}: {_unwritable(args.output)}")
        return EXIT_USAGE
    if args.format == "parquet":
        if not args.output:
            _err("--format parquet writes a binary file: give it with --output FILE")
            return EXIT_USAGE
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            _err("--format parquet needs pyarrow: pip install 'smtp-kb[parquet]'")
            return EXIT_USAGE
        write_parquet(args.output)
        return EXIT_OK
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as fh:
            write(fh, args.format)
    else:
        write(sys.stdout, args.format)
    return EXIT_OK


def _providers(args) -> int:
    import kb

    provs = kb.providers()
    if args.json:
        print(json.dumps([{"id": p.id, "name": p.name, "kind": p.kind, "signatures": len(p.signatures)} for p in provs], indent=2))
    else:
        for p in provs:
            print(f"{p.id:<16} {p.name}  ({p.kind}, {len(p.signatures)} signatures)")
    return EXIT_OK


def _unwritable(path: str) -> str | None:
    """Why ``path`` cannot be written as a file, or None if it can."""
    if os.path.isdir(path):
        return "it is a folder"
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return "its folder does not exist"
    if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        return "permission denied"
    return None


def _report(args) -> int:
    from . import report

    if args.html:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            _err("--html draws its charts with matplotlib: pip install 'smtp-kb[report]'")
            return EXIT_USAGE
    for path in args.logs:
        if path != "-" and not os.path.exists(path):
            _err(f"cannot read {path}: no such file or folder")
            return EXIT_USAGE
    for target in (args.html, args.prometheus):  # fail before reading a day of logs, not after
        problem = _unwritable(target) if target else None
        if problem:
            _err(f"cannot write {target}: {problem}")
            return EXIT_USAGE
    report.run(args.logs, lang=args.lang, html_path=args.html, prometheus_path=args.prometheus, site_url=args.site_url)
    return EXIT_OK


def _browse_or_prompt() -> int:
    """Start the terminal browser. The core does not import it: the browser registers itself as the entry
    point ``smtpkb.surfaces:browse``. Only a missing Textual is explained; every other error surfaces."""
    from importlib.metadata import entry_points

    found = entry_points(group="smtpkb.surfaces", name="browse")
    hint = "install it with: pip install 'smtp-kb[tui]' (or use `smtpkb prompt`)"
    if not found:
        _err(f"the terminal browser is not installed; {hint}")
        return EXIT_USAGE
    try:
        run = next(iter(found)).load()
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in ("textual", "rich"):
            raise
        _err(f"the terminal browser needs Textual, which is missing; {hint}")
        return EXIT_USAGE
    return run()


def prompt(stdin=None, stdout=None) -> int:
    """Paste a reply (several lines are fine), end it with an empty line, read the explanation, repeat."""
    import kb

    from .render import explanation_text

    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    lang = os.environ.get("SMTPKB_LANG", "en")
    stdout.write("smtpkb: paste a reply, DSN or log line, then an empty line. ':de'/':en' switch language, ':q' quits.\n")
    while True:
        stdout.write("> ")
        stdout.flush()
        lines: list[str] = []
        while True:
            line = stdin.readline()
            if not line:
                if lines:
                    break
                stdout.write("\n")
                return EXIT_OK
            if not line.strip():
                break
            lines.append(line.rstrip("\r\n"))
            if len(lines) == 1 and line.strip() in (":q", ":quit", "quit", "exit"):
                return EXIT_OK
            if len(lines) == 1 and line.strip() in (":de", ":en"):
                lang = line.strip()[1:]
                lines = []
                stdout.write(f"language: {lang}\n> ")
                stdout.flush()
        if lines:
            stdout.write(explanation_text(kb.explain("\n".join(lines)), lang) + "\n\n")
