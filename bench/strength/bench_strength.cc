// Native timing of EstimateStrength: per-password time, p50 and p99, for
// passwords of 8, 16, 32 and 64 code points, and the slowest adversarial
// input at the length bound. Input: the JSON bench/strength/corpus.mjs prints.
// Usage: bench_strength CORPUS.json [rounds]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "latchkey/json.h"
#include "latchkey/strength.h"

namespace {

double Micros(const std::string& password) {
  const auto start = std::chrono::steady_clock::now();
  latchkey::Result<latchkey::StrengthResult> r = latchkey::EstimateStrength(password);
  const auto end = std::chrono::steady_clock::now();
  if (!r.ok()) std::abort();
  return std::chrono::duration<double, std::micro>(end - start).count();
}

double Percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  const auto index = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[index];
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_strength CORPUS.json [rounds]\n");
    return 2;
  }
  const int rounds = argc > 2 ? std::atoi(argv[2]) : 5;
  std::ifstream in(argv[1]);
  std::stringstream text;
  text << in.rdbuf();
  const latchkey::Json corpus = latchkey::Json::parse(text.str(), nullptr, false);
  if (!corpus.is_object()) return 1;

  const auto build_start = std::chrono::steady_clock::now();
  (void)latchkey::EstimateStrength("warm up: builds the dictionary index");
  const double build_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - build_start).count();
  std::printf("native: first call (index build) %.1f ms\n", build_ms);
  std::printf("native: length  passwords  p50 us  p99 us  max us\n");
  for (const char* length : {"8", "16", "32", "64"}) {
    std::vector<double> times;
    for (int r = 0; r < rounds; ++r) {
      for (const latchkey::Json& p : corpus["lengths"][length]) times.push_back(Micros(p.get<std::string>()));
    }
    std::printf("native: %6s  %9zu  %6.1f  %6.1f  %6.1f\n", length, corpus["lengths"][length].size(),
                Percentile(times, 0.5), Percentile(times, 0.99), *std::max_element(times.begin(), times.end()));
  }
  double worst = 0;
  std::string worst_input;
  for (const latchkey::Json& p : corpus["worst"]) {
    double best_of = 1e18;
    for (int r = 0; r < rounds; ++r) best_of = std::min(best_of, Micros(p.get<std::string>()));
    if (best_of > worst) {
      worst = best_of;
      worst_input = p.get<std::string>().substr(0, 24);
    }
  }
  std::printf("native: slowest adversarial input (256 code points): %.2f ms (\"%s...\")\n", worst / 1000,
              worst_input.c_str());
  return 0;
}
