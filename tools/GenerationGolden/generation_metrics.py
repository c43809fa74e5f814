#!/usr/bin/env python3
"""Golden values for FID, precision/recall and density/coverage, computed independently of Scratch.

Writes tests/golden/generation_metrics.json (schema: tools/README.md). Needs only numpy and scipy
(Debian: apt-get install python3-numpy python3-scipy). Deterministic: every input is a formula.

FID is computed as the reference code does it (pytorch-fid's calculate_frechet_distance:
scipy.linalg.sqrtm of the non-symmetric product Σ1·Σ2, with its ε·I retry), and checked against a
second route (the eigenvalues of Σ1·Σ2); precision/recall follow NVlabs' ManifoldEstimator (≤),
density/coverage clovaai's prdc (<), both with scipy's cdist and numpy's partition.
"""
import json
import math
import sys

import numpy as np
import scipy.linalg
from scipy.spatial.distance import cdist


def hash01(i, j, salt):
    # The classic shader hash: frac(sin(12.9898 i + 78.233 j + salt) · 43758.5453), in [0, 1).
    v = math.sin(12.9898 * i + 78.233 * j + salt) * 43758.5453
    return v - math.floor(v)


SETS = {
    # name: (description, real formula, real shape, fake formula, fake shape)
    "smooth": ("real[i,j] = sin(0.7i + 1.3j + 0.2); fake[i,j] = 0.9·sin(0.7i + 1.1j) + 0.1 (both covariances of rank 2)",
               lambda i, j: math.sin(0.7 * i + 1.3 * j + 0.2), (40, 5),
               lambda i, j: 0.9 * math.sin(0.7 * i + 1.1 * j) + 0.1, (30, 5)),
    "hash": ("real[i,j] = h(i, j, 0); fake[i,j] = 1.3·h(i, j, 1) + 0.2, h(i,j,s) = frac(sin(12.9898i + 78.233j + s)·43758.5453)",
             lambda i, j: hash01(i, j, 0.0), (60, 4),
             lambda i, j: 1.3 * hash01(i, j, 1.0) + 0.2, (50, 4)),
    "wide": ("real[i,j] = sin(0.3ij + i + 0.5j) (12 vectors of 8: singular covariance); fake[i,j] = cos(0.21(i+1)(j+2)) (10 of 8)",
             lambda i, j: math.sin(0.3 * i * j + i + 0.5 * j), (12, 8),
             lambda i, j: math.cos(0.21 * (i + 1) * (j + 2)), (10, 8)),
}


def build(f, shape):
    return np.array([[f(i, j) for j in range(shape[1])] for i in range(shape[0])], dtype=np.float64)


def fid_reference(a, b, eps=1e-6):
    # pytorch-fid 0.3.0, calculate_frechet_distance, verbatim in substance.
    mu1, mu2 = a.mean(axis=0), b.mean(axis=0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    diff = mu1 - mu2
    covmean, _ = scipy.linalg.sqrtm(s1.dot(s2), disp=False)
    if not np.isfinite(covmean).all():
        offset = np.eye(s1.shape[0]) * eps
        covmean = scipy.linalg.sqrtm((s1 + offset).dot(s2 + offset))
    if np.iscomplexobj(covmean):
        covmean = covmean.real
    return float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean))


def fid_eigen(a, b):
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    diff = a.mean(axis=0) - b.mean(axis=0)
    lam = np.linalg.eigvals(s1 @ s2)
    return float(diff @ diff + np.trace(s1) + np.trace(s2) - 2 * np.sqrt(np.clip(lam.real, 0, None)).sum())


def fid_nuclear(a, b):
    # A third route, with no square root of an eigenvalue: with X, Y the centred sets scaled by
    # 1/√(N−1), 1/√(M−1), Σ1 = XᵀX and Σ2 = YᵀY, the eigenvalues of Σ1·Σ2 are the squared singular
    # values of Y·Xᵀ, so tr((Σ1^½ Σ2 Σ1^½)^½) is the nuclear norm of Y·Xᵀ. Exact in the rank-deficient
    # sets where sqrtm's answer moves by √ε (about 1e-8).
    x = (a - a.mean(axis=0)) / math.sqrt(len(a) - 1)
    y = (b - b.mean(axis=0)) / math.sqrt(len(b) - 1)
    diff = a.mean(axis=0) - b.mean(axis=0)
    nuclear = np.linalg.svd(y @ x.T, compute_uv=False).sum()
    return float(diff @ diff + np.trace(x.T @ x) + np.trace(y.T @ y) - 2 * nuclear)


def kth_radii(x, k):
    d = cdist(x, x, "euclidean")
    return np.partition(d, k, axis=1)[:, k]  # column 0 is the point itself


def manifold(real, fake, k=3, density_k=5):
    # Each paper's own k: precision/recall k = 3 (Kynkäänniemi et al. 2019), density/coverage k = 5 (Naeem et al. 2020, prdc).
    rr, fr = kth_radii(real, k), kth_radii(fake, k)
    d = cdist(real, fake, "euclidean")  # (N, M)
    precision = (d <= rr[:, None]).any(axis=0).mean()
    recall = (d <= fr[None, :]).any(axis=1).mean()
    dr = kth_radii(real, density_k)
    density = (1.0 / density_k) * (d < dr[:, None]).sum(axis=0).mean()
    coverage = (d.min(axis=1) < dr).mean()
    return dict(precision=float(precision), recall=float(recall), density=float(density), coverage=float(coverage))


def tensor(x):
    return {"shape": list(x.shape), "data": [float(v) for v in x.reshape(-1)]}


def main(path):
    tensors, scalars, lines = {}, {}, []
    for name, (desc, fr, rshape, ff, fshape) in SETS.items():
        real, fake = build(fr, rshape), build(ff, fshape)
        tensors[f"{name}.real"], tensors[f"{name}.fake"] = tensor(real), tensor(fake)
        fid, fid2, fid3 = fid_reference(real, fake), fid_eigen(real, fake), fid_nuclear(real, fake)
        print(f"{name}: fid {fid!r}, eigen route {fid2!r}, nuclear-norm route {fid3!r}", file=sys.stderr)
        scalars[f"{name}.fid"] = fid
        scalars[f"{name}.fid_eigen"] = fid2
        scalars[f"{name}.fid_nuclear"] = fid3
        for key, value in manifold(real, fake).items():
            scalars[f"{name}.{key}"] = value
        lines.append(f"{name}: {desc}")
    scalars["k"] = 3
    scalars["density_k"] = 5
    doc = {
        "description": "FID (pytorch-fid's scipy sqrtm route, key .fid; eigenvalues of S1·S2, key .fid_eigen; nuclear norm of Y·Xᵀ, key .fid_nuclear; np.cov, N−1), "
                       "precision/recall (k = 3, ≤, NVlabs) and density/coverage (k = 5, <, prdc: each paper's own k) of feature sets, "
                       "real (N, D) against fake (M, D), Euclidean distances, radius = distance to the k-th nearest other vector. "
                       "Sets: " + "; ".join(lines),
        "tensors": tensors,
        "scalars": scalars,
    }
    with open(path, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/golden/generation_metrics.json")
