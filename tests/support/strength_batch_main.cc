// latchkey_strength_batch FILE: the native build's strength estimate for every
// case of a password corpus (tests/vectors/strength-corpus.json) as JSON, for
// the wasm tests to compare with, field by field.
#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include "latchkey/json.h"
#include "latchkey/strength.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: latchkey_strength_batch CORPUS.json\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  latchkey::Result<latchkey::Json> corpus = latchkey::ParseJson(text.str(), {16 << 20, 8});
  if (!corpus.ok() || !corpus->is_object()) {
    std::cerr << "cannot read " << argv[1] << "\n";
    return 1;
  }
  const latchkey::StrengthOptions options{static_cast<int>((*corpus)["reference_year"].get<std::int64_t>())};
  latchkey::Json out = latchkey::Json::array();
  for (const latchkey::Json& c : (*corpus)["cases"]) {
    std::vector<std::string> inputs;
    if (c.contains("user_inputs")) {
      for (const latchkey::Json& input : c["user_inputs"]) inputs.push_back(input.get<std::string>());
    }
    latchkey::Result<latchkey::StrengthResult> result =
        latchkey::EstimateStrength(c["password"].get<std::string>(), inputs, options);
    latchkey::Json item = result.ok() ? latchkey::StrengthResultToJsonValue(*result)
                                      : latchkey::Json{{"error", latchkey::WireCode(result.code())}};
    item["id"] = c["id"];
    out.push_back(std::move(item));
  }
  std::cout << out.dump() << "\n";
  return 0;
}
