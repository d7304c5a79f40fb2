#pragma once
// bankflow webhook verify --scheme S --secret K… --header 'Name: value'… --body-file F [--now T]
//                         [--tolerance S] [--signature-header H --encoding hex|base64 --prefix P]
// bankflow webhook sign   --scheme S --secret K… --body-file F [--id ID] [--timestamp T] […]

#include "command.hpp"

#include <string>
#include <vector>

namespace bankflow::cli {

/// What `bankflow webhook verify` was asked to do.
struct webhook_verify_options {
  std::string scheme;                ///< standard | stripe | github | hmac-sha256
  std::vector<std::string> secrets;  ///< every valid secret (rotation)
  std::vector<std::string> headers;  ///< received headers, "Name: value"
  std::string body_file;             ///< the raw body; "-" for stdin
  std::string now;                   ///< Unix seconds to verify as of; empty for the system clock
  std::string tolerance;             ///< seconds; empty for 300
  std::string signature_header;      ///< hmac-sha256: the header carrying the signature
  std::string encoding;              ///< hmac-sha256: hex (default) | base64
  std::string prefix;                ///< hmac-sha256: text before the signature, e.g. "sha256="
};

/// What `bankflow webhook sign` was asked to do.
struct webhook_sign_options {
  std::string scheme;                ///< standard | stripe | github | hmac-sha256
  std::vector<std::string> secrets;  ///< the signing secrets
  std::string body_file;             ///< the body to send; "-" for stdin
  std::string id;         ///< webhook-id / X-GitHub-Delivery; generated for standard when empty
  std::string timestamp;  ///< Unix seconds; empty for now
  std::string signature_header;      ///< hmac-sha256: the header carrying the signature
  std::string encoding;              ///< hmac-sha256: hex (default) | base64
  std::string prefix;                ///< hmac-sha256: text before the signature
};

/// Registers `webhook` with its `verify` and `sign` subcommands on app.
[[nodiscard]] command setup_webhook(CLI::App& app);

/// Checks a delivery: prints `valid` or `invalid: CODE: FIELD: MESSAGE`; the exit code.
[[nodiscard]] int run_webhook_verify(const webhook_verify_options& options);

/// Prints the headers a sender would send with the body; the exit code.
[[nodiscard]] int run_webhook_sign(const webhook_sign_options& options);

}  // namespace bankflow::cli
