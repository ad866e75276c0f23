#!/usr/bin/env python3
"""The growth benchmark's table and plot, from bench/growth.sh's JSON lines.

    python3 bench/growth_plot.py <dir> sqlite [postgres]

Reads <dir>/growth-<backend>.jsonl and writes <dir>/growth.md (one markdown table: each
query's p50 / p99 and each ingestion route's rate at each size) and <dir>/growth.svg (query
p99 against size on log-log axes, one panel per backend, and ingestion rates). The SVG is
written by hand: no plotting dependency.
"""
import json
import math
import sys

NAMES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
INGEST = {"recording": "recording batches/s", "response": "response submissions/s",
          "identify": "identify calls/s"}
# Counts read every matching row: linear by nature, shown apart from the indexed queries.
COUNTS = ("totalCount", "(count)")
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
          "#17becf", "#bcbd22", "#7f7f7f", "#393b79", "#637939"]


def size_label(n):
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k"


def load(directory, backends):
    queries, ingest = {}, {}
    for b in backends:
        try:
            lines = open(f"{directory}/growth-{b}.jsonl").read().splitlines()
        except FileNotFoundError:
            continue
        for line in lines:
            r = json.loads(line)
            parts = r["label"].split()
            size = int(parts[1])
            if r["kind"] == "query":
                queries.setdefault(r["query"], {})[(b, size)] = r
            elif r["kind"] == "route":
                ingest.setdefault(parts[2], {})[(b, size)] = r
    return queries, ingest


def table(queries, ingest, backends):
    cols = sorted({k for q in list(queries.values()) + list(ingest.values()) for k in q},
                  key=lambda k: (backends.index(k[0]), k[1]))
    head = "| query (p50 / p99 ms) | " + " | ".join(f"{NAMES[b]} {size_label(s)}" for b, s in cols)
    head += " | p99 at the largest ÷ at the smallest size |"
    out = [head, "|" + "---|" * (len(cols) + 2)]

    def growth(by, key):
        parts = []
        for b in backends:
            sizes = sorted(s for (bb, s) in by if bb == b)
            if len(sizes) >= 2 and by[(b, sizes[0])][key] > 0:
                parts.append(f"{NAMES[b]} {by[(b, sizes[-1])][key] / by[(b, sizes[0])][key]:.1f}×")
        return ", ".join(parts)

    ordered = [q for q in queries if not any(c in q for c in COUNTS)]
    ordered += [q for q in queries if any(c in q for c in COUNTS)]
    for name in ordered:
        by = queries[name]
        cells = []
        for c in cols:
            r = by.get(c)
            bad = r and r["errors"]
            cells.append("—" if not r else f"{r['p50_ms']:.1f} / {r['p99_ms']:.1f}" + (" ERRORS" if bad else ""))
        label = f"`{name}`" + (" (reads every match)" if any(c in name for c in COUNTS) else "")
        out.append(f"| {label} | " + " | ".join(cells) + f" | {growth(by, 'p99_ms')} |")
    for route, by in ingest.items():
        cells = []
        for c in cols:
            r = by.get(c)
            cells.append("—" if not r else f"{r['per_s']:.0f}/s, p99 {r['p99_ms']:.0f}" + (" ERRORS" if r["errors"] else ""))
        out.append(f"| {INGEST.get(route, route)} (32 connections) | " + " | ".join(cells) + f" | rate {growth(by, 'per_s')} |")
    return "\n".join(out) + "\n"


def svg(queries, ingest, backends):
    pw, ph, ml, mt, mb = 330, 300, 60, 40, 50
    panels = [b for b in backends if any(k[0] == b for q in queries.values() for k in q)]
    width = ml + (pw + 40) * (len(panels) + 1) + 230
    height = mt + ph + mb + 20
    s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
         f'font-family="sans-serif" font-size="11">', '<rect width="100%" height="100%" fill="white"/>']
    sizes = sorted({k[1] for q in queries.values() for k in q}) or [10_000]
    lo_n, hi_n = math.log10(sizes[0]), math.log10(sizes[-1])
    if hi_n == lo_n:
        hi_n = lo_n + 1
    vals = [r["p99_ms"] for q in queries.values() for r in q.values() if r["p99_ms"] > 0]
    lo_y = math.floor(math.log10(min(vals))) if vals else -1
    hi_y = math.ceil(math.log10(max(vals))) if vals else 3
    if hi_y == lo_y:
        hi_y += 1

    def axes(x0, title, ylabel, yticks):
        s.append(f'<text x="{x0 + pw / 2}" y="{mt - 15}" text-anchor="middle" font-size="13" font-weight="bold">{title}</text>')
        s.append(f'<rect x="{x0}" y="{mt}" width="{pw}" height="{ph}" fill="none" stroke="#444"/>')
        for y, label in yticks:
            s.append(f'<line x1="{x0}" x2="{x0 + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>')
            s.append(f'<text x="{x0 - 5}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
        for n in sizes:
            x = px(x0, n)
            s.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{mt}" y2="{mt + ph}" stroke="#eee"/>')
            s.append(f'<text x="{x:.1f}" y="{mt + ph + 15}" text-anchor="middle">{size_label(n)}</text>')
        s.append(f'<text x="{x0 + pw / 2}" y="{mt + ph + 32}" text-anchor="middle">rows per table (log)</text>')
        s.append(f'<text transform="translate({x0 - 42},{mt + ph / 2}) rotate(-90)" text-anchor="middle">{ylabel}</text>')

    def px(x0, n):
        return x0 + 15 + (pw - 30) * (math.log10(n) - lo_n) / (hi_n - lo_n)

    def py_log(v):
        return mt + ph - ph * (math.log10(max(v, 10 ** lo_y)) - lo_y) / (hi_y - lo_y)

    names = list(queries)
    color = {n: COLORS[i % len(COLORS)] for i, n in enumerate(names)}
    for i, b in enumerate(panels):
        x0 = ml + i * (pw + 40)
        ticks = [(py_log(10 ** e), f"{10 ** e:g} ms") for e in range(lo_y, hi_y + 1)]
        axes(x0, f"{NAMES[b]}: query p99", "p99 latency (log)", ticks)
        for n in names:
            pts = sorted((k[1], r["p99_ms"]) for k, r in queries[n].items() if k[0] == b)
            dash = ' stroke-dasharray="4 3"' if any(c in n for c in COUNTS) else ""
            if len(pts) > 1:
                path = " ".join(f"{px(x0, x):.1f},{py_log(y):.1f}" for x, y in pts)
                s.append(f'<polyline points="{path}" fill="none" stroke="{color[n]}" stroke-width="2"{dash}/>')
            for x, y in pts:
                s.append(f'<circle cx="{px(x0, x):.1f}" cy="{py_log(y):.1f}" r="3" fill="{color[n]}"/>')
        # The 50 ms target of recordings(first: 20, filter) at 1M.
        y = py_log(50)
        s.append(f'<line x1="{x0}" x2="{x0 + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d62728" stroke-dasharray="2 2"/>')
        s.append(f'<text x="{x0 + pw - 3}" y="{y - 3:.1f}" text-anchor="end" fill="#d62728">50 ms</text>')

    # Ingestion panel: rate per route and backend, linear axis from zero.
    x0 = ml + len(panels) * (pw + 40)
    rates = [r["per_s"] for by in ingest.values() for r in by.values()]
    top = max(rates) * 1.1 if rates else 1
    step = 10 ** math.floor(math.log10(top))
    step = step / 2 if top / step < 4 else step
    ticks = [(mt + ph - ph * v / top, f"{v:g}") for v in [step * k for k in range(int(top / step) + 1)]]
    axes(x0, "Ingestion (32 connections)", "requests/s", ticks)
    ing_colors = {"recording": "#1f77b4", "response": "#2ca02c", "identify": "#ff7f0e"}
    legend2 = []
    for route, by in ingest.items():
        for b in backends:
            pts = sorted((k[1], r["per_s"]) for k, r in by.items() if k[0] == b)
            if not pts:
                continue
            dash = ' stroke-dasharray="5 3"' if b == "postgres" else ""
            path = " ".join(f"{px(x0, x):.1f},{mt + ph - ph * y / top:.1f}" for x, y in pts)
            s.append(f'<polyline points="{path}" fill="none" stroke="{ing_colors.get(route, "#333")}" stroke-width="2"{dash}/>')
            for x, y in pts:
                s.append(f'<circle cx="{px(x0, x):.1f}" cy="{mt + ph - ph * y / top:.1f}" r="3" fill="{ing_colors.get(route, "#333")}"/>')
            legend2.append((f"{INGEST.get(route, route)}, {NAMES[b]}", ing_colors.get(route, "#333"), dash))

    lx = x0 + pw + 20
    y = mt
    s.append(f'<text x="{lx}" y="{y}" font-weight="bold">queries (dashed: counts)</text>')
    for n in names:
        y += 15
        dash = ' stroke-dasharray="4 3"' if any(c in n for c in COUNTS) else ""
        s.append(f'<line x1="{lx}" x2="{lx + 18}" y1="{y - 4}" y2="{y - 4}" stroke="{color[n]}" stroke-width="2"{dash}/>')
        s.append(f'<text x="{lx + 22}" y="{y}">{n}</text>')
    y += 25
    s.append(f'<text x="{lx}" y="{y}" font-weight="bold">ingestion (dashed: PostgreSQL)</text>')
    for label, c, dash in legend2:
        y += 15
        s.append(f'<line x1="{lx}" x2="{lx + 18}" y1="{y - 4}" y2="{y - 4}" stroke="{c}" stroke-width="2"{dash}/>')
        s.append(f'<text x="{lx + 22}" y="{y}">{label}</text>')
    s.append("</svg>")
    return "\n".join(s) + "\n"


def main():
    directory, backends = sys.argv[1], sys.argv[2:]
    queries, ingest = load(directory, backends)
    md = table(queries, ingest, backends)
    open(f"{directory}/growth.md", "w").write(md)
    open(f"{directory}/growth.svg", "w").write(svg(queries, ingest, backends))
    print(md, end="")


if __name__ == "__main__":
    main()
