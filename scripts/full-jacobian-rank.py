#!/usr/bin/env python3
"""Rank of the full Jacobian of a two-layer polynomial network, modulo p.

    h(W, b, v) = sum_k v_k psi(w_k . x_i + b_k),   psi(x) = sum_j c_j x^j,

at a random integer point (X, W, b, v), with respect to all of W, b and v
(an n x m(d+2) matrix).  The rank modulo a prime is at most the rank over
Q, so a printed rank of n proves that h is a submersion at that point and
its image has nonempty interior (doc/capacity.md, "Theorem 5.4's
polynomial clause").  Written with Python integers only, independently of
genrank.

usage: full-jacobian-rank.py COEFFS D M N [SEED]     (COEFFS like 0,0,0,1)
"""
import random
import sys

P = 2305843009213693951  # 2^61 - 1, prime


def rank_mod_p(rows):
    rows = [r[:] for r in rows]
    rank = 0
    ncols = len(rows[0]) if rows else 0
    for c in range(ncols):
        piv = next((i for i in range(rank, len(rows)) if rows[i][c]), None)
        if piv is None:
            continue
        rows[rank], rows[piv] = rows[piv], rows[rank]
        inv = pow(rows[rank][c], P - 2, P)
        rows[rank] = [x * inv % P for x in rows[rank]]
        for i in range(len(rows)):
            if i != rank and rows[i][c]:
                f = rows[i][c]
                rows[i] = [(x - f * y) % P for x, y in zip(rows[i], rows[rank])]
        rank += 1
    return rank


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    coeffs = [int(c) for c in sys.argv[1].split(",")]
    d, m, n = (int(a) for a in sys.argv[2:5])
    rng = random.Random(int(sys.argv[5]) if len(sys.argv) == 6 else 1)
    R = 1000
    X = [[rng.randint(-R, R) for _ in range(d)] for _ in range(n)]
    W = [[rng.randint(-R, R) for _ in range(d)] for _ in range(m)]
    b = [rng.randint(-R, R) for _ in range(m)]
    v = [rng.randint(1, R) for _ in range(m)]

    def psi(z):
        return sum(c * pow(z, j, P) for j, c in enumerate(coeffs)) % P

    def dpsi(z):
        return sum(j * c * pow(z, j - 1, P) for j, c in enumerate(coeffs) if j) % P

    J = []
    for x in X:
        row = []
        for k in range(m):
            z = (sum(W[k][l] * x[l] for l in range(d)) + b[k]) % P
            g = v[k] * dpsi(z) % P
            row += [g * x[l] % P for l in range(d)]  # d h / d W[:, k]
            row.append(g)                            # d h / d b_k
            row.append(psi(z))                       # d h / d v_k
        J.append(row)
    print("rank %d of n = %d (m (d + 2) = %d columns)" % (rank_mod_p(J), n, m * (d + 2)))


if __name__ == "__main__":
    main()
