#include "keys/key_manager.h"

#include "latchkey/key_wrap.h"

namespace latchkey {

KeyManager::KeyManager(KeyStore& store, RandomSource& random, VerifierOptions verifier_options,
                       std::int64_t retention_seconds, SecretBytes kek)
    : store_(store),
      random_(random),
      options_(std::move(verifier_options)),
      retention_seconds_(retention_seconds),
      kek_(std::move(kek)) {}

Status KeyManager::Reload(std::int64_t now) { return Load(now); }

Status KeyManager::Reconfigure(VerifierOptions verifier_options, std::int64_t now) {
  {
    std::lock_guard lock(mutex_);
    options_ = std::move(verifier_options);
  }
  return Load(now);
}

Status KeyManager::Load(std::int64_t now) {
  LATCHKEY_RETURN_IF_ERROR(store_.DeleteRetiredBefore(now - retention_seconds_));
  Result<std::vector<SigningKeyRecord>> records = store_.ListAll();
  if (!records.ok()) return records.code();
  if (records->empty()) {
    Result<std::string> kid = Rotate(now);
    return kid.ok() ? Status::Ok() : Status(kid.code());
  }
  auto next = std::make_shared<Snapshot>();
  Jwks public_keys;
  Json keys_json = Json::array();
  // Newest first, so the JWKS leads with the key in use.
  for (auto it = records->rbegin(); it != records->rend(); ++it) {
    SecretBytes plain;
    if (IsWrappedKey(it->private_jwk)) {
      // Wrapped keys need the KEK; without it (or with another) the server must not start.
      if (kek_.empty()) return Code::kKeyDecryptFailed;
      Result<SecretBytes> opened = UnwrapKey(kek_, it->kid, it->private_jwk);
      if (!opened.ok()) return opened.code();
      plain = std::move(opened).value();
    } else {
      plain = SecretBytes(it->private_jwk);
      if (!kek_.empty()) {
        LATCHKEY_RETURN_IF_ERROR(store_.ReplacePrivateJwk(it->kid, WrapKey(kek_, it->kid, plain.view(), random_)));
      }
    }
    Result<Json> json = ParseJson(plain.view());
    if (!json.ok()) return Code::kInternal;
    Result<Jwk> key = Jwk::FromJson(*json, /*allow_private=*/true);
    if (!key.ok()) return Code::kInternal;
    if (!it->retired_at && !next->signing_key) next->signing_key = std::make_shared<const Jwk>(key->Clone());
    keys_json.push_back(key->ToJson(/*include_secret=*/false));
    Result<Jwk> public_key = Jwk::FromJson(key->ToJson(false), false);
    if (!public_key.ok()) return Code::kInternal;
    public_keys.keys.push_back(std::move(public_key).value());
  }
  if (!next->signing_key) {  // every key retired: start a new one
    Result<std::string> kid = Rotate(now);
    return kid.ok() ? Status::Ok() : Status(kid.code());
  }
  VerifierOptions options;
  {
    std::lock_guard lock(mutex_);
    options = options_;
  }
  Result<Verifier> verifier = Verifier::Create(std::move(public_keys), std::move(options));
  if (!verifier.ok()) return verifier.code();
  next->verifier = std::make_shared<const Verifier>(std::move(verifier).value());
  next->jwks = Json{{"keys", std::move(keys_json)}};
  std::lock_guard lock(mutex_);
  snapshot_ = std::move(next);
  return Status::Ok();
}

Result<std::string> KeyManager::Rotate(std::int64_t now) {
  const Jwk key = Jwk::GenerateEd25519(random_);
  Result<std::string> text = SerializeJson(key.ToJson(/*include_secret=*/true));
  if (!text.ok()) return text.code();
  std::string stored = kek_.empty() ? *text : WrapKey(kek_, key.kid(), *text, random_);
  SecureZero(*text);
  LATCHKEY_RETURN_IF_ERROR(store_.Insert(SigningKeyRecord{key.kid(), std::move(stored), now, std::nullopt}));
  LATCHKEY_RETURN_IF_ERROR(store_.RetireAllExcept(key.kid(), now));
  LATCHKEY_RETURN_IF_ERROR(Load(now));
  return key.kid();
}

std::shared_ptr<const KeyManager::Snapshot> KeyManager::snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

VerifierOptions KeyManager::verifier_options() const {
  std::lock_guard lock(mutex_);
  return options_;
}

Result<std::string> KeyManager::Sign(const JwtBuilder& builder) const {
  const std::shared_ptr<const Snapshot> current = snapshot();
  if (!current) return Code::kInternal;
  return builder.Sign(*current->signing_key);
}

}  // namespace latchkey
