#!/usr/bin/env python3
"""Check the documentation's links (run by tools/docs before the DocC build).

- Every relative link and <img src> in README.md, docs/**/*.md, Benchmarks/README.md and
  fixtures/README.md must name an existing file; a #fragment on a Markdown file must be
  one of its headings (GitHub's anchors: lower case, punctuation dropped, spaces to -).
- A DocC article (Sources/*/*.docc/**/*.md) links nothing by relative path: files outside
  its catalog are named in plain text, other pages by <doc:...> or ``Symbol``.
Prints every broken link and exits 1 if there is one."""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
IMG = re.compile(r"<img[^>]*\bsrc=\"([^\"]+)\"")
FENCE = re.compile(r"^(```|~~~)")


def prose(text):
    """The file without its fenced code blocks and inline code spans."""
    out, fenced = [], False
    for line in text.splitlines():
        if FENCE.match(line.strip()):
            fenced = not fenced
            continue
        if not fenced:
            out.append(re.sub(r"`[^`]*`", "``", line))
    return "\n".join(out)


def anchors(path):
    """GitHub's anchors of a Markdown file's headings (read raw: they may hold inline code)."""
    seen, result = {}, set()
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line.strip()):
            fenced = not fenced
            continue
        m = None if fenced else re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        title = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", m.group(1))
        slug = re.sub(r"[^\w\- ]", "", title.lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        result.add(slug if n == 0 else f"{slug}-{n}")
    return result


def targets(text):
    body = prose(text)
    return [m.group(1) for m in LINK.finditer(body)] + [m.group(1) for m in IMG.finditer(text)]


def external(target):
    return re.match(r"^[a-z][a-z0-9+.-]*:", target) is not None


problems = []
pages = [ROOT / "README.md", ROOT / "Benchmarks" / "README.md", ROOT / "fixtures" / "README.md"]
pages += sorted((ROOT / "docs").rglob("*.md"))
for page in pages:
    if not page.exists():
        continue
    for target in targets(page.read_text(encoding="utf-8")):
        if external(target):
            continue
        path, _, fragment = target.partition("#")
        resolved = (page.parent / path).resolve() if path else page
        name = page.relative_to(ROOT)
        if "../shared" in target:
            problems.append(f"{name}: {target}: cites ../shared")
        if not resolved.exists():
            problems.append(f"{name}: {target}: no such file")
        elif fragment and resolved.suffix == ".md" and fragment not in anchors(resolved):
            problems.append(f"{name}: {target}: no heading #{fragment} in {resolved.relative_to(ROOT)}")

for article in sorted(ROOT.glob("Sources/*/*.docc/**/*.md")):
    for target in targets(article.read_text(encoding="utf-8")):
        if not external(target):
            problems.append(f"{article.relative_to(ROOT)}: {target}: a relative link in a DocC article")

for problem in problems:
    print(problem)
sys.exit(1 if problems else 0)
