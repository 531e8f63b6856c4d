// The server's signing keys: the current Ed25519 key signs access tokens;
// retired keys stay in the JWKS until every token they signed has expired.
// Generates the first key when the store has none (once, however many
// instances start together: KeyStore::InstallCurrent). Reload() picks up a
// rotation made by another process (the CLI, another instance): called by
// the key watch as the change commits (app.h StartKeyWatch) and periodically.
// Thread-safe: readers get an immutable snapshot.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "keys/key_store.h"
#include "latchkey/crypto.h"
#include "latchkey/jwt.h"

namespace latchkey {

class KeyManager {
 public:
  // `verifier_options` without keys: the policy for verifying our own tokens.
  // `retention_seconds`: how long a retired public key stays published.
  // `kek`: when not empty, private keys are stored wrapped under it, and
  // plain ones found in the store are wrapped on load.
  KeyManager(KeyStore& store, RandomSource& random, VerifierOptions verifier_options, std::int64_t retention_seconds,
             SecretBytes kek = SecretBytes());

  Status Reload(std::int64_t now);
  // Replaces the verification policy (e.g. once the issuer's port is known) and reloads.
  Status Reconfigure(VerifierOptions verifier_options, std::int64_t now);
  // New current key; all others retired; keys retired long ago forgotten.
  Result<std::string> Rotate(std::int64_t now);

  struct Snapshot {
    std::shared_ptr<const Jwk> signing_key;
    std::shared_ptr<const Verifier> verifier;
    Json jwks;  // public keys, newest first
  };
  std::shared_ptr<const Snapshot> snapshot() const;
  VerifierOptions verifier_options() const;

  Result<std::string> Sign(const JwtBuilder& builder) const;

 private:
  // `depth`: how many keys this call chain has tried to create.
  Status Load(std::int64_t now, int depth);
  Status CreateFirst(std::int64_t now, int depth);
  Result<SigningKeyRecord> NewKey(std::int64_t now);

  KeyStore& store_;
  RandomSource& random_;
  VerifierOptions options_;
  std::int64_t retention_seconds_;
  SecretBytes kek_;
  std::recursive_mutex load_mutex_;  // Load -> CreateFirst -> Load
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
};

}  // namespace latchkey
