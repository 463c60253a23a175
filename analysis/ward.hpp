#pragma once
// Agglomerative clustering with Ward's linkage (the merge that least increases the within-cluster
// sum of squares), by the nearest-neighbour chain: O(n²) time and memory.
#include <Eigen/Dense>
#include <vector>

namespace expanse {

// Labels in [0, clusters), numbered by first appearance. Throws std::invalid_argument when
// clusters is not in [1, number of points] or the data are not finite.
std::vector<int> ward_clustering(const Eigen::MatrixXd& X, int clusters);

}  // namespace expanse
