#include "detect.hpp"

#include "output.hpp"

#include <bankflow/export.hpp>
#include <bankflow/json.hpp>
#include <bankflow/parse.hpp>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

namespace bankflow::cli {
namespace {

// {"file": NAME, "error": {"code": CODE, "message": MESSAGE}}
std::string error_line(const std::string& name, const error& e) {
  std::string line;
  json_writer w(line, json_writer::style::spaced);
  w.begin_object().field("file", name).key("error");
  w.begin_object().field("code", to_string(e.code)).field("message", e.message).end_object();
  w.end_object();
  return line + '\n';
}

// {"file": NAME, …the members of to_json(candidates)}
std::string detection_line(const std::string& name, const std::vector<candidate>& found) {
  return "{\"file\": " + json_string(name) + ", " + to_json(found).substr(1) + '\n';
}

}  // namespace

command setup_detect(CLI::App& app) {
  auto o = std::make_shared<detect_options>();
  auto* cmd = app.add_subcommand("detect", "Name the bank and format of statement files, with a confidence");
  cmd->add_option("files", o->inputs, "Statement files or directories; - reads standard input")
      ->required();
  cmd->add_flag("--json", o->json, "One JSON object per file");
  cmd->add_option("--password", o->password, "PDFs: the document's password; never stored");
  return {cmd, [o] { return run_detect(*o); }};
}

int run_detect(const detect_options& o) {
  auto inputs = expand_inputs(o.inputs);
  if (!inputs) {
    print_error(inputs.error());
    return exit_data_error;
  }
  int status = exit_ok;
  for (const auto& input : *inputs) {
    const std::string name = display_name(input);
    auto bytes = read_input(input);
    auto found = bytes ? detect(*bytes, o.password) : result<std::vector<candidate>>(bytes.error());
    if (found && found->empty()) {
      auto e = make_error(errc::unknown_format,
                          "no known bank format matches this file; run `bankflow banks` for the list");
      found = std::move(e);
    }
    if (!found) {
      auto e = found.error();
      if (e.file.empty()) e.file = name;
      print_error(e);
      if (o.json) std::fputs(error_line(name, e).c_str(), stdout);
      status = exit_data_error;
      continue;
    }
    if (o.json) {
      std::fputs(detection_line(name, *found).c_str(), stdout);
      continue;
    }
    const candidate& best = found->front();
    std::string bank = best.bank ? std::string(best.bank->id) + " (" + std::string(best.bank->name) + ")"
                                 : "unknown bank" + (best.bank_code.empty() ? std::string()
                                                                            : " code " + best.bank_code);
    std::string kind;
    for (const auto& f : known_formats())
      if (f.id == best.format && f.kind != document_kind::any)
        kind = f.kind == document_kind::fatura ? ", fatura" : ", extrato";
    std::printf("%s: %s%s, format %.*s, confidence %.2f\n", name.c_str(), bank.c_str(), kind.c_str(),
                static_cast<int>(best.format.size()), best.format.data(), best.confidence);
    for (std::size_t i = 1; i < found->size(); ++i) {
      const candidate& c = (*found)[i];
      std::printf("  also: %.*s%s, confidence %.2f\n", static_cast<int>(c.format.size()), c.format.data(),
                  c.bank ? (" (" + std::string(c.bank->id) + ")").c_str() : "", c.confidence);
    }
  }
  return status;
}

}  // namespace bankflow::cli
