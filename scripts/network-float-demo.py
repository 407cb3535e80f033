#!/usr/bin/env python3
"""Float64 beside exact ranks at a trained network (doc/networks.md).

Trains a two-layer linear network F(x) = W2 W1 x (d = 3, M1 = 4, K = 2,
n = 8 inputs) by gradient descent on realizable targets until the loss is
near 1e-30, writes its weights (float64, as their shortest decimals) as a
point file, and prints for each object the rank float64 finds (singular
values by one-sided Jacobi, tolerance max(m, n) * eps * the largest, as
numpy.linalg.matrix_rank) beside the rank genrank network certifies at
that very point, read exactly from the decimals.  Python floats only (no
numpy).

usage: network-float-demo.py GENRANK [OUT_DIR]
"""
import json
import os
import random
import subprocess
import sys

D, M, K, N = 3, 4, 2, 8
EPS = 2.0 ** -52


def matmul(A, B):
    return [[sum(a * b for a, b in zip(r, c)) for c in zip(*B)] for r in A]


def transpose(A):
    return [list(c) for c in zip(*A)]


def train(seed):
    rnd = random.Random(seed)
    X = [[rnd.uniform(-1, 1) for _ in range(D)] for _ in range(N)]
    A = [[rnd.uniform(-1, 1) for _ in range(D)] for _ in range(K)]
    Y = [[sum(a * x for a, x in zip(row, xi)) for row in A] for xi in X]
    W1 = [[rnd.uniform(-1, 1) for _ in range(D)] for _ in range(M)]
    W2 = [[rnd.uniform(-1, 1) for _ in range(M)] for _ in range(K)]
    lr, loss = 0.05, 1.0
    for it in range(200000):
        H = [[sum(w * x for w, x in zip(row, xi)) for row in W1] for xi in X]      # n x M
        F = [[sum(w * h for w, h in zip(row, hi)) for row in W2] for hi in H]      # n x K
        E = [[f - y for f, y in zip(fi, yi)] for fi, yi in zip(F, Y)]
        loss = 0.5 * sum(e * e for ei in E for e in ei)
        if loss < 1e-30:
            break
        G2 = [[sum(E[i][k] * H[i][a] for i in range(N)) for a in range(M)] for k in range(K)]
        B = [[sum(E[i][k] * W2[k][a] for k in range(K)) for a in range(M)] for i in range(N)]
        G1 = [[sum(B[i][a] * X[i][c] for i in range(N)) for c in range(D)] for a in range(M)]
        W2 = [[w - lr * g for w, g in zip(r, gr)] for r, gr in zip(W2, G2)]
        W1 = [[w - lr * g for w, g in zip(r, gr)] for r, gr in zip(W1, G1)]
    return X, Y, W1, W2, loss, it


def objects_float(X, Y, W1, W2):
    """J, H_o, H_f, H_L in float64; parameters W1 row-major, then W2."""
    P = M * D + K * M
    J = []
    H = [[sum(w * x for w, x in zip(row, xi)) for row in W1] for xi in X]
    for i in range(N):
        for k in range(K):
            row = [0.0] * P
            for a in range(M):
                for c in range(D):
                    row[a * D + c] = W2[k][a] * X[i][c]
                row[M * D + k * M + a] = H[i][a]
            J.append(row)
    Ho = matmul(transpose(J), J)
    F = [[sum(w * h for w, h in zip(row, hi)) for row in W2] for hi in H]
    E = [[f - y for f, y in zip(fi, yi)] for fi, yi in zip(F, Y)]
    Om = [[sum(E[i][k] * X[i][c] for i in range(N)) for c in range(D)] for k in range(K)]
    Hf = [[0.0] * P for _ in range(P)]
    for a in range(M):           # d^2 (e . W2 W1 x) / dW1[a,c] dW2[k,a] = Om[k][c]
        for c in range(D):
            for k in range(K):
                Hf[a * D + c][M * D + k * M + a] = Om[k][c]
                Hf[M * D + k * M + a][a * D + c] = Om[k][c]
    HL = [[o + f for o, f in zip(ro, rf)] for ro, rf in zip(Ho, Hf)]
    return {"jacobian": J, "hessian-outer": Ho, "hessian-functional": Hf, "hessian-loss": HL}


def singular_values(A):
    """One-sided Jacobi on the columns of A (m x n)."""
    U = transpose(A) if len(A) < len(A[0]) else [r[:] for r in A]
    cols = transpose(U)
    n = len(cols)
    for sweep in range(100):
        off = 0.0
        for p in range(n):
            for q in range(p + 1, n):
                a = sum(x * x for x in cols[p])
                b = sum(x * x for x in cols[q])
                c = sum(x * y for x, y in zip(cols[p], cols[q]))
                if c == 0.0 or abs(c) <= 1e-300:
                    continue
                off = max(off, abs(c) / ((a * b) ** 0.5 or 1.0))
                z = (b - a) / (2.0 * c)
                t = (1.0 if z >= 0 else -1.0) / (abs(z) + (1.0 + z * z) ** 0.5)
                cs = 1.0 / (1.0 + t * t) ** 0.5
                sn = cs * t
                cols[p], cols[q] = ([cs * x - sn * y for x, y in zip(cols[p], cols[q])],
                                    [sn * x + cs * y for x, y in zip(cols[p], cols[q])])
        if off < 1e-15:
            break
    return sorted((sum(x * x for x in c) ** 0.5 for c in cols), reverse=True)


def float_rank(A):
    s = singular_values(A)
    tol = s[0] * max(len(A), len(A[0])) * EPS if s else 0.0
    return sum(1 for v in s if v > tol)


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__)
        return 2
    genrank, out = argv[1], argv[2] if len(argv) > 2 else "."
    X, Y, W1, W2, loss, it = train(1)
    point = os.path.join(out, "trained-point.json")
    with open(point, "w") as f:
        json.dump({"weights": [W1, W2], "inputs": X, "targets": Y}, f)
    fl = objects_float(X, Y, W1, W2)
    run = subprocess.run([genrank, "network", "--point", point, "--object", "all", "--json",
                          "--out", os.path.join(out, "trained.json")],
                         stdout=subprocess.PIPE, universal_newlines=True)
    if run.returncode not in (0, 3):
        return 1
    ex = json.loads(run.stdout)["objects"]
    print("two-layer linear network 3-4-2, n = 8, trained %d steps to loss %.3g" % (it, loss))
    print("%-19s %8s %10s %10s  %s" % ("object", "float64", "certified", "predicted", "status"))
    for name in ("jacobian", "hessian-outer", "hessian-functional", "hessian-loss"):
        e = ex[name]
        print("%-19s %8d %10d %10s  %s" % (name, float_rank(fl[name]), e["rank"],
                                          "-" if e["predicted"] is None else e["predicted"],
                                          e["status"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
