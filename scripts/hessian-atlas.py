#!/usr/bin/env python3
"""The conjectures section of doc/hessian-atlas.md, from the rows of
`genrank sweep --family network` (JSON Lines).

Usage: python3 scripts/hessian-atlas.py RESULTS.jsonl >> doc/hessian-atlas.md

For each regime where seed 001 gives no formula (the rows whose
"prediction" is "none"), it tests candidate closed forms against every
certified rank and prints, for each, how many cases it fits.  A candidate
that fits every case is stated as a conjecture with its evidence; the
others are listed with a counterexample.  Standard library only.
"""
import json
import sys
from collections import defaultdict


def hidden(row):
    return row["widths"][1:-1]


def q_linear(row):
    """q = min(r, M_1, ..., M_(L-1), K), r the rank of the inputs."""
    return min([row["input_rank"], row["K"]] + hidden(row))


def cand_hl_nobias(row):
    """S7.3's H_L formula with q in place of K."""
    q, L, M, r, K = q_linear(row), row["depth"], sum(hidden(row)), row["input_rank"], row["K"]
    return 2 * q * M - L * q * q + q * (r + K)


def s_bias(row):
    """s' = min(r + 1, K), r the rank of the centred inputs."""
    return min(row["centred_rank"] + 1, row["K"])


def q_bias(row):
    """q'' = min(s', M_1, ..., M_(L-1))."""
    return min([s_bias(row)] + hidden(row))


def cand_hf_bias(row):
    """S7.3's H_f formula (bias) with q'' for q' and s'."""
    q, L, M = q_bias(row), row["depth"], sum(hidden(row))
    return 2 * q * M + 2 * q * q - L * q * q + (L - 2) * q


def cand_hf_bias_s(row):
    """S7.3's H_f formula (bias) with q'' for q', s' kept."""
    q, s, L, M = q_bias(row), s_bias(row), row["depth"], sum(hidden(row))
    return 2 * q * M + 2 * q * s - L * q * q + (L - 2) * q


def cand_hl_bias(row):
    """S7.3's H_L formula (bias) with q'' for q'."""
    q, L, M = q_bias(row), row["depth"], sum(hidden(row))
    r, K = row["centred_rank"], row["K"]
    return 2 * q * M + q * (r + K) - L * q * q + L * q


REGIMES = [
    ("linear, no bias, H_L, q < K", "hessian-loss", False, [
        ("rk H_L = 2qM - Lq^2 + q(r + K), q = min(r, M_1, ..., M_(L-1), K), "
         "M = M_1 + ... + M_(L-1): S7.3's formula with q in place of K", cand_hl_nobias)]),
    ("linear, bias, a bottleneck (some M_l < s' = min(r + 1, K)), H_f", "hessian-functional",
     True, [
         ("2q''M + 2q''^2 - Lq''^2 + (L - 2)q'', q'' = min(s', M_1, ..., M_(L-1)): S7.3's "
          "formula with q'' for q' and s'", cand_hf_bias),
         ("2q''M + 2q''s' - Lq''^2 + (L - 2)q'': q'' for q' only", cand_hf_bias_s)]),
    ("linear, bias, a bottleneck, H_L", "hessian-loss", True, [
        ("2q''M + q''(r + K) - Lq''^2 + Lq'': S7.3's formula with q'' for q'",
         cand_hl_bias)]),
]


def arch(row):
    return "-".join(str(w) for w in row["widths"])


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: hessian-atlas.py RESULTS.jsonl\n")
        return 2
    rows = []
    with open(argv[1]) as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    none = [r for r in rows if r.get("family") == "network" and r.get("prediction") == "none"
            and r.get("activation") == "linear"]
    out = ["", "## Where seed 001 has no formula", ""]
    out.append("Every candidate below was tested against every case of the sweep in its "
               "regime (the certified rank at a random integer point, a lower bound on the "
               "generic rank). A candidate that fits every case is stated as a conjecture: "
               "the evidence is the number of architectures, not a proof, and a certified "
               "rank above a candidate would refute it.")
    for title, obj, bias, cands in REGIMES:
        sel = [r for r in none if r["object"] == obj and bool(r["bias"]) == bias]
        out += ["", "### " + title, ""]
        if not sel:
            out.append("The sweep has no case in this regime.")
            continue
        depths = sorted({r["depth"] for r in sel})
        out.append("%d cases (depth %s, d %d–%d, K %d–%d)." % (
            len(sel), ", ".join(str(x) for x in depths), min(r["d"] for r in sel),
            max(r["d"] for r in sel), min(r["K"] for r in sel), max(r["K"] for r in sel)))
        out.append("")
        for text, fn in cands:
            fit = [r for r in sel if fn(r) == r["rank"]]
            above = [r for r in sel if r["rank"] > fn(r)]
            if len(fit) == len(sel):
                exact = sum(1 for r in sel if r["status"] == "exact")
                rs = sorted({(r["input_rank"] if not bias else r["centred_rank"], r["d"])
                             for r in sel})
                full = all(r == d for r, d in rs)
                out.append("- **Conjecture.** %s. Fits all %d cases: in %d the certified rank "
                           "meets a bound proved for every point, so equals the generic rank; "
                           "in the other %d it is a certified lower bound equal to the "
                           "candidate, with no higher rank seen in up to 3 points (no "
                           "probability bound).%s" % (
                               text, len(sel), exact, len(sel) - exact,
                               " Every case has inputs of full rank r = d (n = 2d + 1), so "
                               "the candidate's dependence on r < d is not tested here."
                               if full else ""))
            else:
                bad = next(r for r in sel if fn(r) != r["rank"])
                out.append("- Candidate: %s. Fits %d of %d cases (%d certified above it, "
                           "which refutes it); e.g. %s: certified %d, candidate %d." % (
                               text, len(fit), len(sel), len(above), arch(bad), bad["rank"],
                               fn(bad)))
        if bias:
            # what the ranks look like at depth 3, the widest d and K
            d, K = max(r["d"] for r in sel), max(r["K"] for r in sel)
            tab = {tuple(hidden(r)): r["rank"] for r in sel
                   if r["depth"] == 3 and r["d"] == d and r["K"] == K}
            if tab:
                ws = sorted({w[0] for w in tab} | {w[1] for w in tab})
                out += ["", "Certified ranks at depth 3, d = %d, K = %d (rows M_1, columns M_2; "
                        "'·' no bottleneck, where S7.3's formula applies):" % (d, K), ""]
                out.append("| M_1 \\ M_2 | " + " | ".join(str(w) for w in ws) + " |")
                out.append("|---" * (len(ws) + 1) + "|")
                for a in ws:
                    out.append("| %d | " % a + " | ".join(
                        str(tab[(a, b)]) if (a, b) in tab else "·" for b in ws) + " |")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
