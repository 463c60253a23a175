#!/usr/bin/env python3
"""Golden values for the analysis module's tests, computed once with scikit-learn 1.2.1 (Debian's
python3-sklearn) and SciPy on scikit-learn's bundled datasets. Re-run to regenerate:

    python3 tests/data/analysis/make_golden.py

Writes iris.csv and diabetes.csv (the datasets, as scikit-learn ships them: iris from Fisher 1936 /
UCI, diabetes from Efron et al. 2004, features already scaled by scikit-learn) and golden.csv
(name,value rows read by tests/analysis/*_test.cpp).
"""
import os

import numpy as np
from scipy import stats
from sklearn import datasets
from sklearn.cluster import DBSCAN, AgglomerativeClustering, KMeans
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import PolynomialFeatures

HERE = os.path.dirname(os.path.abspath(__file__))


def write_matrix(name, X, y=None):
    columns = [f"x{i}" for i in range(X.shape[1])] + (["y"] if y is not None else [])
    data = np.column_stack([X, y]) if y is not None else X
    np.savetxt(os.path.join(HERE, name), data, delimiter=",", header=",".join(columns), comments="", fmt="%.17g")


def main():
    rows = []
    iris = datasets.load_iris().data
    write_matrix("iris.csv", iris)
    for k in (2, 3, 4):
        km = KMeans(n_clusters=k, n_init=50, random_state=0, tol=1e-10, max_iter=1000).fit(iris)
        rows.append((f"iris_kmeans_inertia_k{k}", km.inertia_))
        rows.append((f"iris_silhouette_k{k}", silhouette_score(iris, km.labels_)))
        if k == 3:
            for i, label in enumerate(km.labels_):
                rows.append((f"iris_kmeans_label_{i}", label))

    ward = AgglomerativeClustering(n_clusters=3, linkage="ward").fit(iris)
    rows += [(f"iris_ward_label_{i}", label) for i, label in enumerate(ward.labels_)]
    dbscan = DBSCAN(eps=0.5, min_samples=5).fit(iris)
    rows += [(f"iris_dbscan_label_{i}", label) for i, label in enumerate(dbscan.labels_)]

    diabetes = datasets.load_diabetes()
    X, y = diabetes.data, diabetes.target
    write_matrix("diabetes.csv", X, y)
    ols = LinearRegression().fit(X, y)
    rows.append(("diabetes_ols_intercept", ols.intercept_))
    rows += [(f"diabetes_ols_coef_{i}", c) for i, c in enumerate(ols.coef_)]
    # Standard errors and a 95 % prediction interval by the textbook formulas (independent of sklearn).
    A = np.column_stack([np.ones(len(y)), X])
    residuals = y - A @ np.concatenate([[ols.intercept_], ols.coef_])
    dof = len(y) - A.shape[1]
    sigma2 = residuals @ residuals / dof
    cov = sigma2 * np.linalg.inv(A.T @ A)
    rows += [(f"diabetes_ols_se_{i}", s) for i, s in enumerate(np.sqrt(np.diag(cov)))]
    rows.append(("diabetes_ols_r2", ols.score(X, y)))
    x0 = np.concatenate([[1.0], X[0]])
    half = stats.t.ppf(0.975, dof) * np.sqrt(sigma2 * (1 + x0 @ np.linalg.inv(A.T @ A) @ x0))
    rows.append(("diabetes_ols_pi95_low_row0", x0 @ np.concatenate([[ols.intercept_], ols.coef_]) - half))
    rows.append(("diabetes_ols_pi95_high_row0", x0 @ np.concatenate([[ols.intercept_], ols.coef_]) + half))
    for alpha in (0.1, 1.0):
        ridge = Ridge(alpha=alpha).fit(X, y)
        rows.append((f"diabetes_ridge{alpha}_intercept", ridge.intercept_))
        rows += [(f"diabetes_ridge{alpha}_coef_{i}", c) for i, c in enumerate(ridge.coef_)]
    poly = PolynomialFeatures(degree=2, include_bias=False).fit_transform(X[:5, :3])
    rows += [(f"poly2_row{r}_col{c}", poly[r, c]) for r in range(poly.shape[0]) for c in range(poly.shape[1])]
    for p, df in ((0.975, 431), (0.95, 5), (0.9, 1.5)):
        rows.append((f"t_quantile_{p}_{df}", stats.t.ppf(p, df)))

    with open(os.path.join(HERE, "golden.csv"), "w") as f:
        f.write("name,value\n")
        for name, value in rows:
            f.write(f"{name},{float(value):.17g}\n")


if __name__ == "__main__":
    main()
