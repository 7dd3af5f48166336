"""
Callaway and Sant'Anna (2021) group-time effects, their "simple" and "dynamic" aggregations and
the influence-function standard errors, written from the paper (sections 2-4, no covariates,
not-yet-treated controls, universal base period g - 1) with numpy, independently of the Java
code, for CallawaySantAnnaTest; also with a base of the last L = 2 periods before treatment (the
mean of the unit's cell means in those of them where it has data). Run: python3 cs_reference.py
(numpy 2.4.6, scipy 1.17.1).

The panel: units u0..u11, periods 1..6, cell (count, sum) pseudo-random from a fixed seed, with
some cells missing; u11 is treated in period 1 (always treated, left out).
"""
import numpy as np
from scipy import stats

rng = np.random.default_rng(20250101)
units = [f"u{i}" for i in range(12)]
G = {"u0": 3, "u1": 3, "u2": 3, "u3": 4, "u4": 4, "u5": 5, "u6": 5,
     "u7": 0, "u8": 0, "u9": 0, "u10": 0, "u11": 1}          # 0 = never treated
periods = list(range(1, 7))
missing = {("u1", 4), ("u4", 2), ("u8", 6), ("u9", 2), ("u6", 4)}
cells = {}
for i, u in enumerate(units):
    for t in periods:
        if (u, t) in missing:
            continue
        count = int(rng.integers(1, 6))
        g = G[u]
        effect = (1.0 + 0.5 * (t - g)) if (g > 0 and t >= g) else 0.0
        mean = 0.3 * i + 0.2 * t + effect + rng.normal(0, 1)
        cells[(u, t)] = (count, round(mean * count, 4))

print("// cells: unit, period, count, sum")
for (u, t), (c, s) in sorted(cells.items(), key=lambda kv: (int(kv[0][0][1:]), kv[0][1])):
    print(f'        {{"{u}", {t}, {c}, {s!r}}},')

def run(L):
    print(f"// ---- base periods L = {L}")
    est = [u for u in units if not (G[u] > 0 and G[u] <= min(periods))]   # drop always-treated
    N = len(est)
    Y = {k: v[1] / v[0] for k, v in cells.items()}
    groups = sorted({G[u] for u in est if G[u] > 0})
    pg = {g: np.mean([G[u] == g for u in est]) for g in groups}

    att, inf, key = [], [], []
    for g in groups:
        base = range(g - L, g)
        def has_base(u):
            return any((u, b) in Y for b in base)
        def y_base(u):
            v = [Y[(u, b)] for b in base if (u, b) in Y]
            return sum(v) / len(v)
        for t in periods:
            if g - L <= t < g:
                continue
            tr = np.array([G[u] == g and (u, t) in Y and has_base(u) for u in est], dtype=float)
            co = np.array([(G[u] == 0 or G[u] > max(t, g - 1)) and G[u] != g and (u, t) in Y and has_base(u)
                           for u in est], dtype=float)
            if tr.sum() == 0 or co.sum() == 0:
                continue
            d = np.array([Y[(u, t)] - y_base(u) if (u, t) in Y and has_base(u) else 0.0 for u in est])
            # The paper's panel estimator without covariates: E[dY | G=g] - E[dY | C], as sample means
            # over units with both periods; its influence function, scaled so that Var = mean(psi^2) / N.
            p_t = tr.mean(); p_c = co.mean()
            m_t = (tr * d).mean() / p_t; m_c = (co * d).mean() / p_c
            psi = tr * (d - m_t) / p_t - co * (d - m_c) / p_c
            att.append(m_t - m_c); inf.append(psi); key.append((g, t))
    att = np.array(att); inf = np.array(inf).T      # N x cells

    def aggregate(sel):
        k = [j for j, (g, t) in enumerate(key) if sel(g, t)]
        p = np.array([pg[key[j][0]] for j in k])
        w = p / p.sum()
        theta = float(w @ att[k])
        # Weights' influence: w_j = p_j / sum(p); d p_g = 1{G=g} - p_g, differentiated term by term.
        ind = np.array([[1.0 if G[u] == key[j][0] else 0.0 for j in k] for u in est])   # N x |k|
        dp = ind - p
        if1 = dp / p.sum()
        if2 = np.outer(dp.sum(axis=1), p / p.sum() ** 2)
        wif = (if1 - if2) @ att[k]
        psi = inf[:, k] @ w + wif
        se = float(np.sqrt(np.mean(psi ** 2) / N))
        return theta, se, psi

    print("// group-time: g, t, att, se")
    for j, (g, t) in enumerate(key):
        print(f"        {{{g}, {t}, {float(att[j])!r}, {float(np.sqrt(np.mean(inf[:, j] ** 2) / N))!r}}},")
    theta, se, _ = aggregate(lambda g, t: t >= g)
    print(f"// overall simple: {theta!r} se {se!r}")
    pre = []
    for e in range(-4, 4):
        if -L <= e <= -1:
            continue
        if not any(t - g == e for g, t in key):
            continue
        th, s, psi = aggregate(lambda g, t, e=e: t - g == e)
        print(f"// e = {e}: {th!r} se {s!r}")
        if e < -L:
            pre.append((th, psi))
    th = np.array([x[0] for x in pre]); P = np.array([x[1] for x in pre]).T
    V = P.T @ P / N ** 2
    W = float(th @ np.linalg.pinv(V, rcond=np.sqrt(np.finfo(float).eps), hermitian=True) @ th)
    r = int(np.linalg.matrix_rank(V))
    print(f"// pre-trend: W {W!r} df {r} p {float(stats.chi2.sf(W, r))!r}")


run(1)
run(2)
