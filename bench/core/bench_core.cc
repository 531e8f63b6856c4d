// bench_core: the native build's throughput for the operations the server
// runs on every request, and the cost of one password hash.
// Usage: bench_core [seconds]   (default 1: the length of one of 7 rounds)
// Each figure is the median of 7 rounds, and the verify-versus-raw ratio is
// the median of ratios measured back to back in the same round, so that a
// noisy neighbour on a shared machine moves both sides together.
// Prints one JSON object per line; bench/README.md explains the figures.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "latchkey/encoding.h"
#include "latchkey/jwt.h"
#include "latchkey/password.h"

namespace {

using Clock = std::chrono::steady_clock;
volatile bool sink = false;  // keeps results alive so the loops are not optimised away

double OpsPerSecond(double seconds, const std::function<bool()>& op) {
  for (int i = 0; i < 100; ++i) sink = op();  // warm up
  long count = 0;
  const auto start = Clock::now();
  const auto until = start + std::chrono::duration<double>(seconds);
  while (Clock::now() < until) {
    for (int i = 0; i < 64; ++i) sink = op();
    count += 64;
  }
  return count / std::chrono::duration<double>(Clock::now() - start).count();
}

constexpr int kRounds = 7;

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

double MedianOpsPerSecond(double seconds, const std::function<bool()>& op) {
  std::vector<double> rates;
  for (int round = 0; round < kRounds; ++round) rates.push_back(OpsPerSecond(seconds, op));
  return Median(rates);
}

void Report(const char* name, double value, const char* unit) {
  std::printf("{\"build\":\"native\",\"name\":\"%s\",\"value\":%.1f,\"unit\":\"%s\"}\n", name, value, unit);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace latchkey;
  const double seconds = argc > 1 ? std::atof(argv[1]) : 1.0;
  const std::int64_t now = 1'800'000'000;

  // A realistic access token: the claims of design §2.
  Jwk ed_key = std::move(Jwk::Ed25519FromSeed(std::string(32, 'e'))).value();
  Jwk hs_key = std::move(Jwk::HmacSecret(std::string(32, 'h'))).value();
  auto builder = [&] {
    return JwtBuilder()
        .type("at+jwt")
        .issuer("http://127.0.0.1:8080")
        .subject("8c5d0a4e-4f6b-4c1e-9d35-0a3f2b7d9e11")
        .audience("latchkey")
        .issued_at(now)
        .expires_at(now + 900)
        .jwt_id("Q2hlY2sgdGhlIGp0aSBzaXpl")
        .claim("sid", "b7a1c0de-2f3e-4a5b-8c9d-0e1f2a3b4c5d")
        .claim("role", "user")
        .claim("email", "alice@example.com")
        .claim("email_verified", true);
  };
  const std::string ed_token = *builder().Sign(ed_key);
  const std::string hs_token = *builder().Sign(hs_key);

  auto verifier_for = [&](const Jwk& key, Algorithm alg) {
    VerifierOptions options;
    options.algorithms = {alg};
    options.issuer = "http://127.0.0.1:8080";
    options.audiences = {"latchkey"};
    options.type = "at+jwt";
    options.required_claims = {"sub", "sid"};
    Jwks keys;
    keys.keys.push_back(key.Clone());
    return std::move(Verifier::Create(std::move(keys), options)).value();
  };
  const Verifier ed_verifier = verifier_for(ed_key, Algorithm::kEdDSA);
  const Verifier hs_verifier = verifier_for(hs_key, Algorithm::kHS256);
  if (!ed_verifier.Verify(ed_token, now).ok() || !hs_verifier.Verify(hs_token, now).ok()) {
    std::fprintf(stderr, "bench tokens do not verify\n");
    return 1;
  }

  // The raw signature check over the same signing input, for the ratio.
  const std::string signing_input = ed_token.substr(0, ed_token.rfind('.'));
  const std::string signature = *Base64UrlDecode(ed_token.substr(ed_token.rfind('.') + 1));
  const std::string public_key(ed_key.public_key());

  std::printf("{\"build\":\"native\",\"name\":\"token_bytes\",\"value\":%zu,\"unit\":\"bytes\"}\n", ed_token.size());
  std::vector<double> raw, full, ratio;
  for (int round = 0; round < kRounds; ++round) {
    raw.push_back(OpsPerSecond(seconds / 2, [&] { return Ed25519Verify(public_key, signing_input, signature); }));
    full.push_back(OpsPerSecond(seconds / 2, [&] { return ed_verifier.Verify(ed_token, now).ok(); }));
    ratio.push_back(100.0 * full.back() / raw.back());
  }
  Report("ed25519_verify_raw", Median(raw), "ops/s");
  Report("jwt_verify_eddsa", Median(full), "ops/s");
  Report("jwt_verify_eddsa_vs_raw", Median(ratio), "%");
  Report("jwt_verify_hs256", MedianOpsPerSecond(seconds / 2, [&] { return hs_verifier.Verify(hs_token, now).ok(); }),
         "ops/s");
  Report("jwt_sign_eddsa", MedianOpsPerSecond(seconds / 2, [&] { return builder().Sign(ed_key).ok(); }), "ops/s");
  Report("jwt_sign_hs256", MedianOpsPerSecond(seconds / 2, [&] { return builder().Sign(hs_key).ok(); }), "ops/s");

  std::vector<double> times;
  for (int i = 0; i < 15; ++i) {
    const auto start = Clock::now();
    sink = HashPassword("correct horse battery staple").ok();
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  Report("argon2id_t2_m19456_p1_median", Median(times), "ms");

  // What the server's hash pool can do at best: one hashing thread per core.
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::atomic<long> hashes{0};
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (unsigned t = 0; t < cores; ++t) {
    threads.emplace_back([&] {
      while (Clock::now() - start < std::chrono::duration<double>(seconds * 3)) {
        if (HashPassword("correct horse battery staple").ok()) ++hashes;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  Report("argon2id_all_cores_throughput", hashes / std::chrono::duration<double>(Clock::now() - start).count(),
         "hashes/s");
  return 0;
}
