#pragma once
// DBSCAN (Ester et al. 1996): clusters are dense regions; points in none are noise (label −1).
#include <Eigen/Dense>
#include <vector>

namespace expanse {

// A point is a core point when at least `min_samples` points (itself included) lie within `eps`
// (Euclidean). Clusters are numbered in order of discovery, scanning points by index; a border
// point joins the first cluster that reaches it — the conventions of scikit-learn.
std::vector<int> dbscan(const Eigen::MatrixXd& X, double eps, int min_samples);

}  // namespace expanse
