"""benchlib: what the bench/*.py groups share: side-by-side rounds and the printed tables.

Owns: alternating the order of the variants each round (so drift and caches favour none) and
the plain-text table every group prints. Must not: start engines or time anything itself.
"""
import sys


def rounds_of(variants, rounds, fn):
    """variants: list of names; fn(name, round) -> value. Alternates, rotating the order each round."""
    res = {v: [] for v in variants}
    for r in range(rounds):
        k = r % len(variants)
        for v in variants[k:] + variants[:k]:
            res[v].append(fn(v, r))
    return res


def table(title, header, rows):
    print(f"\n{title}")
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    line = "  ".join(h.ljust(w) for h, w in zip(header, widths))
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))
    sys.stdout.flush()
