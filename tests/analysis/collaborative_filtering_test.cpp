// Collaborative filtering recovers planted low-rank structure: on held-out entries, kNN and ALS
// beat the mean baseline by a clear margin.
#include "analysis/collaborative_filtering.hpp"

#include <catch2/catch.hpp>

using namespace expanse;

namespace {

struct Split {
  RatingMatrix train;
  std::vector<Rating> test;
};

// Partners × region-products with effectiveness = 0.55 + rank-2 structure + noise; 35 % observed,
// a fifth of those held out.
Split planted(std::uint64_t seed) {
  Rng rng(seed);
  const int rows = 60, cols = 90;
  Eigen::MatrixXd P(rows, 2), Q(cols, 2);
  for (Eigen::Index i = 0; i < P.size(); ++i) P.data()[i] = rng.normal();
  for (Eigen::Index i = 0; i < Q.size(); ++i) Q.data()[i] = rng.normal();
  std::vector<Rating> train, test;
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) {
      if (!rng.bernoulli(0.35)) continue;
      const double value = 0.55 + 0.12 * P.row(r).dot(Q.row(c)) + 0.03 * rng.normal();
      (rng.bernoulli(0.2) ? test : train).push_back({r, c, value});
    }
  return {RatingMatrix(rows, cols, train), test};
}

}  // namespace

TEST_CASE("Collaborative filtering beats the mean baseline on held-out entries", "[analysis][cf]") {
  const Split s = planted(8);
  const double baseline = rmse(MeanModel(s.train), s.test);
  Rng rng(2);
  const double als = rmse(AlsModel(s.train, {2, 0.02, 20}, rng), s.test);
  const double user_knn = rmse(NeighbourhoodModel(s.train, 15, Similarity::kPearson), s.test);
  const double item_knn = rmse(NeighbourhoodModel(s.train, 15, Similarity::kCosine, true), s.test);
  INFO("mean " << baseline << ", ALS " << als << ", user kNN " << user_knn << ", item kNN " << item_knn);
  CHECK(als < 0.5 * baseline);
  CHECK(user_knn < 0.8 * baseline);
  CHECK(item_knn < 0.9 * baseline);
}

TEST_CASE("ALS is reproducible from its seed", "[analysis][cf]") {
  const Split s = planted(1);
  Rng a(4), b(4);
  CHECK(rmse(AlsModel(s.train, {}, a), s.test) == rmse(AlsModel(s.train, {}, b), s.test));
}

TEST_CASE("Rating matrices refuse bad input with clear errors", "[analysis][cf]") {
  CHECK_THROWS_WITH(RatingMatrix(2, 2, {{0, 2, 0.5}}), Catch::Contains("outside the 2 × 2 matrix"));
  CHECK_THROWS_WITH(RatingMatrix(2, 2, {{0, 1, 0.5}, {0, 1, 0.7}}), Catch::Contains("rated twice"));
  CHECK_THROWS_WITH(RatingMatrix(2, 2, {{0, 1, std::nan("")}}), Catch::Contains("NaN"));
  CHECK_THROWS_WITH(RatingMatrix(2, 2, {}), Catch::Contains("no observed entries"));
}
