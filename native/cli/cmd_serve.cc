// latchkey serve: the auth server.
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <thread>

#include "app/app.h"
#include "cli/commands.h"
#include "cli/io.h"
#include "config/options.h"
#include "http/server.h"
#include "identity/email_collisions.h"

namespace latchkey::cli {

int RunServe(const Argv& args) {
  ServerConfig config;
  std::string error;
  bool help = false;
  if (!LoadServerConfig(args, config, error, help)) {
    std::cerr << "latchkey serve: " << error << "\n\nRun `latchkey serve --help` for the options.\n";
    return kExitUsage;
  }
  if (help) {
    std::cout << "usage: latchkey serve [options]\n\nRuns the auth server. Options (each also read from the "
                 "environment variable in brackets):\n\n"
              << ServerOptionsHelp();
    return kExitOk;
  }

  // SIGINT and SIGTERM are taken by one thread that stops the server cleanly.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  if (!config.oauth_providers_file.empty()) {
    // Checked here too, to say what is wrong before anything starts.
    std::string why;
    if (!oauth::LoadProviders(config.oauth_providers_file, &why).ok()) {
      std::fprintf(stderr, "latchkey serve: --oauth-providers %s: %s\n", config.oauth_providers_file.c_str(),
                   why.c_str());
      return kExitUsage;
    }
  }
  Result<std::unique_ptr<App>> app = OpenApp(config, NowSeconds());
  if (!app.ok()) {
    ReportOpenFailure(config.database, app.code());
    return kExitFailure;
  }
  App& a = **app;
  http::Server server(a.services(), a.logger, SystemRandom());
  Result<int> port = server.Bind();
  if (!port.ok()) {
    std::cerr << "latchkey serve: cannot listen on " << config.host << ":" << config.port << ": " << server.bind_error()
              << "\n";
    return kExitFailure;
  }
  if (config.port == 0 && config.issuer.empty()) {
    // The issuer names the port actually bound.
    a.config.issuer =
        std::string(config.tls_cert.empty() ? "http://" : "https://") + config.host + ":" + std::to_string(*port);
    VerifierOptions options = a.keys->verifier_options();
    options.issuer = a.config.issuer;
    (void)a.keys->Reconfigure(std::move(options), NowSeconds());
  }
  if (a.config.public_url.empty()) {
    a.config.public_url =
        std::string(config.tls_cert.empty() ? "http://" : "https://") + config.host + ":" + std::to_string(*port);
  }
  // Passkeys made under a wrong relying party would be lost when it is fixed: refuse to start instead.
  if (std::string why; (void)RelyingPartyFor(a.config, &why), !why.empty()) {
    std::fprintf(stderr, "latchkey serve: %s\n", why.c_str());
    return kExitUsage;
  }

  std::thread stopper([&server, &signals] {
    int signal = 0;
    sigwait(&signals, &signal);
    server.Stop();
  });
  // Another process (the CLI, another instance) may rotate keys: pick that up
  // as it commits where the database can tell (PostgreSQL), and periodically.
  StartKeyWatch(a);
  std::atomic<bool> running{true};
  std::thread reloader([&] {
    while (running) {
      for (std::int64_t i = 0; i < a.config.key_reload_interval * 10 && running; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      if (running) (void)a.keys->Reload(NowSeconds());
    }
  });

  const std::string url =
      std::string(config.tls_cert.empty() ? "http://" : "https://") + config.host + ":" + std::to_string(*port);
  a.logger.Info("listening", Json{{"url", url + "/"},
                                  {"port", *port},
                                  {"issuer", a.config.issuer},
                                  {"database", DescribeDatabase(config.database)},
                                  {"hash_threads", a.config.hash_threads}});
  // Accounts made before today's email rule that it would merge: an operator's decision, never automatic.
  if (Result<std::vector<EmailCollision>> collisions = FindEmailCollisions(a.stores->users());
      collisions.ok() && !collisions->empty()) {
    a.logger.Warn("email addresses collide under the current rule; run `latchkey migrate` for the list",
                  Json{{"count", collisions->size()}});
  }
  const bool ok = server.Run();
  running = false;
  reloader.join();
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  a.logger.Info("stopped");
  return ok ? kExitOk : kExitFailure;
}

}  // namespace latchkey::cli
