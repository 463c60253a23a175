// k-means, silhouette, Ward and DBSCAN against scikit-learn 1.2.1 on iris (golden values), and recovery of
// planted segments.
#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "analysis/dbscan.hpp"
#include "analysis/kmeans.hpp"
#include "analysis/silhouette.hpp"
#include "analysis/ward.hpp"
#include "tests/analysis/golden_values.hpp"

using namespace expanse;
using namespace expanse::test;

namespace {

Eigen::MatrixXd iris() {
  static const Eigen::MatrixXd X = columns(read_csv(analysis_data("iris.csv")), 0, 4);
  return X;
}

// Adjusted Rand index of two labelings (Hubert & Arabie 1985).
double adjusted_rand(const std::vector<int>& a, const std::vector<int>& b) {
  std::map<std::pair<int, int>, double> joint;
  std::map<int, double> rows, cols;
  for (std::size_t i = 0; i < a.size(); ++i) {
    joint[{a[i], b[i]}] += 1;
    rows[a[i]] += 1;
    cols[b[i]] += 1;
  }
  auto pairs = [](double n) { return n * (n - 1) / 2; };
  double index = 0, row_sum = 0, col_sum = 0;
  for (const auto& [_, n] : joint) index += pairs(n);
  for (const auto& [_, n] : rows) row_sum += pairs(n);
  for (const auto& [_, n] : cols) col_sum += pairs(n);
  const double expected = row_sum * col_sum / pairs(static_cast<double>(a.size()));
  return (index - expected) / (0.5 * (row_sum + col_sum) - expected);
}

}  // namespace

TEST_CASE("k-means reaches scikit-learn's optimum on iris", "[analysis][kmeans]") {
  Rng rng(7);
  for (int k : {2, 3, 4}) {
    const KMeansResult r = kmeans(iris(), {k, 20, 1000, 1e-10}, rng);
    INFO("k = " << k);
    CHECK(r.inertia == Approx(golden("iris_kmeans_inertia_k" + std::to_string(k))).epsilon(1e-9));
    CHECK(silhouette_score(iris(), r.labels) == Approx(golden("iris_silhouette_k" + std::to_string(k))).epsilon(1e-9));
  }
}

TEST_CASE("k-means labels on iris equal scikit-learn's up to a permutation", "[analysis][kmeans]") {
  Rng rng(3);
  const KMeansResult r = kmeans(iris(), {3, 20, 1000, 1e-10}, rng);
  std::map<int, int> mapping;
  std::set<int> images;
  for (std::size_t i = 0; i < r.labels.size(); ++i) {
    const int theirs = static_cast<int>(golden("iris_kmeans_label_" + std::to_string(i)));
    const auto [it, inserted] = mapping.emplace(r.labels[i], theirs);
    REQUIRE(it->second == theirs);
    images.insert(theirs);
  }
  CHECK(images.size() == 3);
}

TEST_CASE("k-means recovers planted segments and k is chosen by silhouette", "[analysis][kmeans]") {
  Rng rng(11);
  const int per_cluster = 60, k = 4;
  Eigen::MatrixXd X(per_cluster * k, 5);
  std::vector<int> truth;
  for (int c = 0; c < k; ++c)
    for (int i = 0; i < per_cluster; ++i) {
      for (int d = 0; d < 5; ++d)
        X(c * per_cluster + i, d) = 4.0 * ((c >> (d % 2)) & 1) + (d == 4 ? 3.0 * c : 0.0) + rng.normal();
      truth.push_back(c);
    }
  const KSelection chosen = choose_k_by_silhouette(X, 2, 7, {}, rng);
  CHECK(chosen.k == k);
  CHECK(chosen.silhouettes.size() == 6);
  CHECK(adjusted_rand(chosen.clustering.labels, truth) >= 0.9);
}

TEST_CASE("k-means is reproducible from its seed", "[analysis][kmeans]") {
  Rng a(5), b(5);
  CHECK(kmeans(iris(), {3, 3}, a).labels == kmeans(iris(), {3, 3}, b).labels);
}

TEST_CASE("k-means refuses impossible requests with clear errors", "[analysis][kmeans]") {
  Rng rng(1);
  Eigen::MatrixXd two = Eigen::MatrixXd::Random(2, 3);
  CHECK_THROWS_WITH(kmeans(two, {3}, rng), Catch::Contains("k = 3 needs between 1 and 2"));
  Eigen::MatrixXd bad = Eigen::MatrixXd::Zero(5, 2);
  bad(1, 1) = std::nan("");
  CHECK_THROWS_WITH(kmeans(bad, {2}, rng), Catch::Contains("NaN"));
  CHECK_THROWS_AS(choose_k_by_silhouette(two, 2, 3, {}, rng), std::invalid_argument);
}

TEST_CASE("Ward clustering of iris equals scikit-learn's up to a permutation", "[analysis][ward]") {
  const std::vector<int> labels = ward_clustering(iris(), 3);
  std::vector<int> theirs;
  for (std::size_t i = 0; i < labels.size(); ++i)
    theirs.push_back(static_cast<int>(golden("iris_ward_label_" + std::to_string(i))));
  CHECK(adjusted_rand(labels, theirs) == Approx(1.0));
  CHECK_THROWS_AS(ward_clustering(iris(), 0), std::invalid_argument);
}

TEST_CASE("DBSCAN of iris equals scikit-learn's, noise included", "[analysis][dbscan]") {
  const std::vector<int> labels = dbscan(iris(), 0.5, 5);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    INFO("point " << i);
    CHECK(labels[i] == static_cast<int>(golden("iris_dbscan_label_" + std::to_string(i))));
  }
  CHECK_THROWS_AS(dbscan(iris(), 0.0, 5), std::invalid_argument);
}
