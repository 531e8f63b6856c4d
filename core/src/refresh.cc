#include "latchkey/refresh.h"

#include <sodium.h>

#include "latchkey/encoding.h"
#include "saturating.h"

namespace latchkey {
namespace {

constexpr std::size_t kTokenBytes = 32;
constexpr std::size_t kTokenChars = 43;  // base64url of 32 bytes, unpadded
constexpr char kSealContext[] = "latchkey.refresh.successor.v1";

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// A secretbox key only the holder of `parent` can derive: BLAKE2b keyed with a
// fixed context, so these keys never coincide with any other use of the token.
void SealKey(std::string_view parent, unsigned char (&key)[crypto_secretbox_KEYBYTES]) {
  crypto_generichash(key, sizeof key, Bytes(parent), parent.size(), Bytes(kSealContext), sizeof kSealContext - 1);
}

}  // namespace

RefreshToken NewRefreshToken(RandomSource& random) {
  std::string bytes = RandomBytes(random, kTokenBytes);
  RefreshToken out{Base64UrlEncode(bytes), ""};
  SecureZero(bytes);
  out.hash = HashRefreshToken(out.token);
  return out;
}

std::string HashRefreshToken(std::string_view token) { return Base64UrlEncode(Sha256(token)); }

bool IsWellFormedRefreshToken(std::string_view token) {
  return token.size() == kTokenChars && Base64UrlDecode(token).ok();
}

std::string SealSuccessor(std::string_view parent, std::string_view successor, RandomSource& random) {
  (void)CryptoInit();
  unsigned char key[crypto_secretbox_KEYBYTES];
  SealKey(parent, key);
  std::string out = RandomBytes(random, crypto_secretbox_NONCEBYTES);
  out.resize(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + successor.size());
  auto* data = reinterpret_cast<unsigned char*>(out.data());
  crypto_secretbox_easy(data + crypto_secretbox_NONCEBYTES, Bytes(successor), successor.size(), data, key);
  sodium_memzero(key, sizeof key);
  return Base64UrlEncode(out);
}

Result<std::string> OpenSuccessor(std::string_view parent, std::string_view sealed) {
  Result<std::string> box = Base64UrlDecode(sealed);
  if (!box.ok() || box->size() < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return Code::kRefreshTokenInvalid;
  }
  (void)CryptoInit();
  unsigned char key[crypto_secretbox_KEYBYTES];
  SealKey(parent, key);
  const auto* data = Bytes(*box);
  std::string plain(box->size() - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
  const int opened =
      crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()), data + crypto_secretbox_NONCEBYTES,
                                 box->size() - crypto_secretbox_NONCEBYTES, data, key);
  sodium_memzero(key, sizeof key);
  if (opened != 0) return Code::kRefreshTokenInvalid;
  return plain;
}

RefreshDecision DecideRefresh(const RefreshTokenState& state, std::int64_t now, const RefreshRules& rules) {
  if (state.session_revoked) return {RefreshAction::kReject, Code::kSessionRevoked};
  if (saturating::Reached(now, state.session_created_at, rules.absolute_seconds) ||
      saturating::Reached(now, state.session_last_used_at, rules.inactivity_seconds)) {
    return {RefreshAction::kReject, Code::kRefreshTokenExpired};
  }
  if (!state.token_used) return {RefreshAction::kRotate};
  // Two tabs refreshing at once both present the same token: the later one
  // gets what the first one got, for a short while only.
  if (state.successor_is_current && !saturating::Reached(now, state.token_used_at, rules.reuse_interval_seconds)) {
    return {RefreshAction::kReturnSuccessor};
  }
  return {RefreshAction::kRevokeSession, Code::kRefreshTokenReused};
}

}  // namespace latchkey
