"""Independent reference values for MannWhitneyTestTests.

Written from the textbook definitions of the Wilcoxon rank-sum test (normal approximation with
midranks, tie-corrected variance and continuity correction, as R's wilcox.test(exact = FALSE,
correct = TRUE, conf.int = TRUE) documents it). It shares no code with the C# implementation and
finds the confidence limits by enumerating every pairwise difference instead of root-finding.
Run with: python3 mann_whitney_reference.py (standard library only).
"""
from statistics import NormalDist
import math

N = NormalDist()


def ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    r = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        mid = (i + j) / 2 + 1
        for k in range(i, j + 1):
            r[order[k]] = mid
        i = j + 1
    return r


def parts(x, y, d):
    combined = [v - d for v in x] + list(y)
    r = ranks(combined)
    nx, ny = len(x), len(y)
    w = sum(r[:nx]) - nx * (nx + 1) / 2
    counts = {}
    for v in combined:
        counts[v] = counts.get(v, 0) + 1
    ties = sum(t ** 3 - t for t in counts.values())
    n = nx + ny
    sigma = math.sqrt(nx * ny / 12 * ((n + 1) - ties / (n * (n - 1))))
    return w, w - nx * ny / 2, sigma


def f(x, y, d, zq, correct):
    _, dz, sigma = parts(x, y, d)
    c = (0.5 if dz > 0 else -0.5 if dz < 0 else 0.0) if correct else 0.0
    return (dz - c) / sigma - zq


def root(x, y, zq, correct, endpoint_rule=True):
    lo, hi = min(x) - max(y), max(x) - min(y)
    if endpoint_rule:
        if f(x, y, lo, zq, correct) <= 0:
            return lo
        if f(x, y, hi, zq, correct) >= 0:
            return hi
    diffs = sorted({a - b for a in x for b in y})
    # Pieces in order: each difference, then the open gap to the next one (probed at its midpoint).
    pieces = []
    for k, dk in enumerate(diffs):
        pieces.append((dk, dk, f(x, y, dk, zq, correct)))
        if k + 1 < len(diffs):
            pieces.append((dk, diffs[k + 1], f(x, y, (dk + diffs[k + 1]) / 2, zq, correct)))
    positive = [p for p in pieces if p[2] > 0]
    negative = [p for p in pieces if p[2] < 0]
    sup_pos = positive[-1][1] if positive else lo
    inf_neg = negative[0][0] if negative else hi
    return (sup_pos + inf_neg) / 2


def wilcox(x, y, conf):
    w, dz, sigma = parts(x, y, 0.0)
    c = 0.5 if dz > 0 else -0.5 if dz < 0 else 0.0
    z = (dz - c) / sigma
    p = min(1.0, 2 * min(N.cdf(z), 1 - N.cdf(z)))
    alpha = 1 - conf
    low = root(x, y, N.inv_cdf(1 - alpha / 2), True)
    high = root(x, y, N.inv_cdf(alpha / 2), True)
    est = root(x, y, 0.0, False, endpoint_rule=False)
    diffs = sorted(a - b for a in x for b in y)
    m = len(diffs)
    hl = diffs[m // 2] if m % 2 else (diffs[m // 2 - 1] + diffs[m // 2]) / 2
    return dict(W=w, z=z, p=p, low=low, high=high, estimate=est, hodges_lehmann=hl)


CASES = {
    # R ?wilcox.test, Hollander & Wolfe (1973) p. 69: placental membrane permeability.
    "hollander_wolfe": ([0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46],
                        [1.15, 0.88, 0.90, 0.74, 1.21], 0.95),
    # R datasets::airquality, Ozone in May (month 5) and August (month 8), NAs dropped; many ties.
    "airquality_may_august": ([41, 36, 12, 18, 28, 23, 19, 8, 7, 16, 11, 14, 18, 14, 34, 6, 30, 11, 1, 11, 4, 32,
                              23, 45, 115, 37],
                             [39, 9, 16, 78, 35, 66, 122, 89, 110, 44, 28, 65, 22, 59, 23, 31, 44, 21, 9, 45,
                              168, 73, 76, 118, 84, 85], 0.95),
    # Kayenta's MannWhitneySuite: experiment 10..40 against control 1..4 at 95%.
    "kayenta_suite": ([10.0, 20.0, 30.0, 40.0], [1.0, 2.0, 3.0, 4.0], 0.95),
    # Integer-valued latencies with heavy ties on both sides and across samples, at Kayenta's 98%.
    "ties_98": ([3, 4, 4, 5, 5, 5, 6, 6, 7, 9, 12, 5], [2, 3, 3, 4, 4, 4, 5, 5, 6, 3], 0.98),
}

if __name__ == "__main__":
    for name, (x, y, conf) in CASES.items():
        r = wilcox(x, y, conf)
        print(name, {k: repr(v) for k, v in r.items()})
