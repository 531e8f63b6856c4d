// EstimateStrength: matching, the minimum-guesses search, score, crack times
// and feedback, packaged for callers.
#include <algorithm>
#include <cmath>

#include "latchkey/json.h"
#include "latchkey/strength.h"
#include "strength/internal.h"

namespace latchkey {
namespace {

using strength::CodePoints;
using strength::Match;
using strength::Pattern;

// zxcvbn's thresholds: 10^3, 10^6, 10^8 and 10^10 guesses, plus a small delta
// so that a password of exactly 10^n guesses falls on the weaker side.
int Score(double guesses) {
  constexpr double kDelta = 5;
  if (guesses < 1e3 + kDelta) return 0;
  if (guesses < 1e6 + kDelta) return 1;
  if (guesses < 1e8 + kDelta) return 2;
  if (guesses < 1e10 + kDelta) return 3;
  return 4;
}

std::string_view PatternName(Pattern p) {
  switch (p) {
    case Pattern::kDictionary:
      return "dictionary";
    case Pattern::kSpatial:
      return "spatial";
    case Pattern::kRepeat:
      return "repeat";
    case Pattern::kSequence:
      return "sequence";
    case Pattern::kDate:
      return "date";
    case Pattern::kRegex:
      return "regex";
    case Pattern::kSeparator:
      return "separator";
    case Pattern::kWordSequence:
      return "word_sequence";
    case Pattern::kBruteforce:
      return "bruteforce";
  }
  return "bruteforce";
}

StrengthMatch Describe(const Match& m, const strength::Dictionaries& dictionaries) {
  StrengthMatch out;
  out.pattern = std::string(PatternName(m.pattern));
  out.i = static_cast<std::size_t>(m.i);
  out.j = static_cast<std::size_t>(m.j);
  out.token = strength::EncodeUtf8(m.token);
  out.guesses = m.guesses;
  if (m.pattern == Pattern::kDictionary) {
    out.dictionary_name = std::string(strength::DictionaryName(m.dictionary));
    out.rank = m.rank;
    out.reversed = m.reversed;
    out.l33t = m.l33t;
    out.matched_word = strength::EncodeUtf8(m.matched_word);
  } else if (m.pattern == Pattern::kSpatial) {
    out.detail = dictionaries.graphs[static_cast<std::size_t>(m.graph)].name;
  } else if (m.pattern == Pattern::kSequence) {
    constexpr std::string_view kNames[] = {"lower", "upper", "digits", "unicode"};
    out.detail = std::string(kNames[m.sequence_name]);
  } else if (m.pattern == Pattern::kRegex) {
    out.detail = "recent_year";
  } else if (m.pattern == Pattern::kWordSequence) {
    out.dictionary_name = std::string(strength::DictionaryName(m.dictionary));
  }
  return out;
}

// zxcvbn-ts's user-input dictionary: lowercased, ranked by position, a
// repeated input keeping its last position.
Status BuildUserInputs(std::span<const std::string> inputs, strength::UserInputs& out) {
  std::vector<std::pair<std::string, double>> ranked;
  double rank = 0;
  for (const std::string& input : inputs) {
    if (ranked.size() >= kStrengthMaxUserInputs) break;
    std::optional<CodePoints> points = strength::DecodeUtf8(input);
    if (!points) return Code::kUtf8Invalid;
    rank += 1;
    if (points->empty() || points->size() > kStrengthMaxUserInputCodePoints) continue;
    out.max_length = std::max(out.max_length, points->size());
    std::string lower = strength::EncodeUtf8(strength::Lower(*points));
    auto it = std::find_if(ranked.begin(), ranked.end(), [&](const auto& p) { return p.first == lower; });
    if (it != ranked.end()) {
      it->second = rank;
    } else {
      ranked.emplace_back(std::move(lower), rank);
    }
  }
  out.storage.reserve(ranked.size());
  for (auto& [word, r] : ranked) {
    out.storage.push_back(std::move(word));
    out.words.Add(out.storage.back(), strength::DictionaryId::kUserInputs, 0, r);
  }
  out.words.Finish();
  return Status::Ok();
}

}  // namespace

Result<StrengthResult> EstimateStrength(std::string_view password, std::span<const std::string> user_inputs,
                                        const StrengthOptions& options) {
  std::optional<CodePoints> points = strength::DecodeUtf8(password);
  if (!points) return Code::kUtf8Invalid;
  if (points->size() > kStrengthMaxCodePoints) points->resize(kStrengthMaxCodePoints);
  strength::UserInputs inputs;
  LATCHKEY_RETURN_IF_ERROR(BuildUserInputs(user_inputs, inputs));

  const strength::Dictionaries& dictionaries = strength::GetDictionaries();
  const strength::Context context{dictionaries, inputs, options.reference_year};
  std::vector<Match> matches = strength::Omnimatch(*points, context);
  strength::Decomposition best = strength::MostGuessableSequence(*points, matches, context);

  StrengthResult result;
  result.length = points->size();
  result.guesses = best.guesses;
  result.guesses_log10 = best.guesses == 0 ? 0 : std::log10(best.guesses);
  result.score = Score(best.guesses);
  result.crack_times.online_throttled = best.guesses / (100.0 / 3600);
  result.crack_times.online_unthrottled = best.guesses / 10;
  result.crack_times.offline_slow_hash = best.guesses / 1e4;
  result.crack_times.offline_fast_hash = best.guesses / 1e10;
  for (const Match& m : best.sequence) result.sequence.push_back(Describe(m, dictionaries));

  const strength::FeedbackCodes codes = strength::GetFeedback(result.score, best.sequence);
  if (!codes.warning.empty()) {
    result.feedback.has_warning = true;
    result.feedback.warning = {std::string(codes.warning), std::string(strength::FeedbackText(codes.warning, true))};
  }
  for (std::string_view code : codes.suggestions) {
    result.feedback.suggestions.push_back({std::string(code), std::string(strength::FeedbackText(code, false))});
  }
  return result;
}

namespace {
Json FeedbackItemJson(const FeedbackItem& item) { return Json{{"code", item.code}, {"text", item.text}}; }
}  // namespace

Json StrengthResultToJsonValue(const StrengthResult& r) {
  Json sequence = Json::array();
  for (const StrengthMatch& m : r.sequence) {
    Json item = {{"pattern", m.pattern}, {"i", m.i}, {"j", m.j}, {"token", m.token}, {"guesses", m.guesses}};
    if (m.pattern == "dictionary") {
      item["dictionary_name"] = m.dictionary_name;
      item["rank"] = m.rank;
      item["reversed"] = m.reversed;
      item["l33t"] = m.l33t;
      item["matched_word"] = m.matched_word;
    } else if (m.pattern == "word_sequence") {
      item["dictionary_name"] = m.dictionary_name;
    }
    if (!m.detail.empty()) item["detail"] = m.detail;
    sequence.push_back(std::move(item));
  }
  Json suggestions = Json::array();
  for (const FeedbackItem& s : r.feedback.suggestions) suggestions.push_back(FeedbackItemJson(s));
  return Json{
      {"guesses", r.guesses},
      {"guesses_log10", r.guesses_log10},
      {"score", r.score},
      {"length", r.length},
      {"crack_times_seconds",
       {{"online_throttled", r.crack_times.online_throttled},
        {"online_unthrottled", r.crack_times.online_unthrottled},
        {"offline_slow_hash", r.crack_times.offline_slow_hash},
        {"offline_fast_hash", r.crack_times.offline_fast_hash}}},
      {"sequence", std::move(sequence)},
      {"feedback",
       {{"warning", r.feedback.has_warning ? FeedbackItemJson(r.feedback.warning) : Json(nullptr)},
        {"suggestions", std::move(suggestions)}}},
  };
}

std::string StrengthResultToJson(const StrengthResult& result) { return StrengthResultToJsonValue(result).dump(); }

}  // namespace latchkey
