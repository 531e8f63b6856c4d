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

Status KeyManager::Reload(std::int64_t now) { return Load(now, 0); }

Status KeyManager::Reconfigure(VerifierOptions verifier_options, std::int64_t now) {
  {
    std::lock_guard lock(mutex_);
    options_ = std::move(verifier_options);
  }
  return Load(now, 0);
}

Status KeyManager::Load(std::int64_t now, int depth) {
  // One load at a time: a reload that read the store before a rotation
  // committed must not publish its older view after one that read it after.
  std::lock_guard loading(load_mutex_);
  LATCHKEY_RETURN_IF_ERROR(store_.DeleteRetiredBefore(now - retention_seconds_));
  Result<std::vector<SigningKeyRecord>> records = store_.ListAll();
  if (!records.ok()) return records.code();
  if (records->empty()) return CreateFirst(now, depth);
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
  if (!next->signing_key) return CreateFirst(now, depth);  // every key retired: start a new one
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

Result<SigningKeyRecord> KeyManager::NewKey(std::int64_t now) {
  const Jwk key = Jwk::GenerateEd25519(random_);
  Result<std::string> text = SerializeJson(key.ToJson(/*include_secret=*/true));
  if (!text.ok()) return text.code();
  std::string stored = kek_.empty() ? *text : WrapKey(kek_, key.kid(), *text, random_);
  SecureZero(*text);
  return SigningKeyRecord{key.kid(), std::move(stored), now, std::nullopt};
}

Status KeyManager::CreateFirst(std::int64_t now, int depth) {
  // Another process may win the race to create it: then load theirs. Bounded,
  // in case every key keeps being retired under us.
  if (depth > 2) return Code::kInternal;
  Result<SigningKeyRecord> key = NewKey(now);
  if (!key.ok()) return key.code();
  Result<bool> created = store_.InstallCurrent(*key, /*only_if_none=*/true);
  if (!created.ok()) return created.code();
  return Load(now, depth + 1);
}

Result<std::string> KeyManager::Rotate(std::int64_t now) {
  Result<SigningKeyRecord> key = NewKey(now);
  if (!key.ok()) return key.code();
  Result<bool> installed = store_.InstallCurrent(*key, /*only_if_none=*/false);
  if (!installed.ok()) return installed.code();
  LATCHKEY_RETURN_IF_ERROR(Load(now, 0));
  return key->kid;
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
