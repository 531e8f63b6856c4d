// latchkey_vector_verdicts KIND FILE: prints the native build's verdict for
// every case of a vector file as JSON, for the cross-build comparison in
// tests/wasm/.
#include <iostream>

#include "vector_runner.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: latchkey_vector_verdicts jwt|ed25519|hmac|rfc|rsa_pkcs1|rsa_pss|ecdsa_p1363 FILE\n";
    return 2;
  }
  const latchkey::Json file = latchkey::testing::LoadVectorFile(argv[2]);
  if (file.is_null()) {
    std::cerr << "cannot read " << argv[2] << "\n";
    return 1;
  }
  latchkey::Json out = latchkey::Json::array();
  for (const auto& verdict : latchkey::testing::RunVectors(argv[1], file)) {
    out.push_back({{"id", verdict.id}, {"expected", verdict.expected}, {"actual", verdict.actual}});
  }
  std::cout << out.dump() << "\n";
  return out.empty() ? 1 : 0;
}
