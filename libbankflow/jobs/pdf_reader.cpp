// Reading a PDF upload in a child process under limits (convert.hpp, jobs.hpp pdf_limits).
//
// The parent forks; the child either execs pdf_limits::reader_program (a fresh program: no lock
// another thread of the parent held at the fork can block it) or, without one, reads in the
// fork itself. Either way the child sets its own memory and CPU limits, dies with its parent
// (PR_SET_PDEATHSIG), and answers on file descriptor 3 with {"job": {...}} or {"error": {...}}.
// An exec'd child gets on its stdin what must never be in argv or the environment: the data keys
// (data_key_ring::to_text, one line, empty without keys), then the PDF's password.
// The parent waits at most pdf_reader_deadline(), then kills it.

#include "jobs/convert.hpp"

#include <bankflow/parse.hpp>

#include <boost/json.hpp>

#include <charconv>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace bankflow {
namespace detail {
namespace {

namespace fs = std::filesystem;

constexpr int answer_fd = 3;  // the child's answer; its stdin carries the data keys and the password

// The child's answer: {"job": {...}} or {"error": {...}}.
std::string outcome_message(const result<job>& r) {
  boost::json::object o;
  if (r) {
    boost::json::object j;
    j["bank"] = r->bank;
    j["bank_name"] = r->bank_name;
    j["format"] = r->format;
    j["confidence"] = r->confidence;
    j["transactions"] = r->transactions;
    j["skipped_rows"] = r->skipped_rows;
    j["period_start"] = r->period_start;
    j["period_end"] = r->period_end;
    o["job"] = std::move(j);
  } else {
    const error& e = r.error();
    o["error"] = {{"code", static_cast<int>(e.code)}, {"message", e.message}, {"file", e.file},
                  {"line", e.line},  {"field", e.field},  {"row_error", e.row_error}};
  }
  return boost::json::serialize(o);
}

result<job> outcome_of(std::string_view message) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(message, ec);
  const auto* o = v.if_object();
  if (ec || o == nullptr) return make_error(errc::damaged_container, "the PDF reader stopped without an answer");
  try {
    if (const auto* e = o->if_contains("error")) {
      const auto& eo = e->as_object();
      error out = make_error(static_cast<errc>(eo.at("code").to_number<int>()), std::string(eo.at("message").as_string()),
                             eo.at("line").to_number<std::size_t>(), std::string(eo.at("field").as_string()));
      out.file = std::string(eo.at("file").as_string());
      out.row_error = eo.at("row_error").as_bool();
      return out;
    }
    const auto& j = o->at("job").as_object();
    job out;
    auto text = [&](const char* k) { return std::string(j.at(k).as_string()); };
    out.bank = text("bank");
    out.bank_name = text("bank_name");
    out.format = text("format");
    out.period_start = text("period_start");
    out.period_end = text("period_end");
    out.confidence = j.at("confidence").to_number<double>();
    out.transactions = j.at("transactions").to_number<std::int64_t>();
    out.skipped_rows = j.at("skipped_rows").to_number<std::int64_t>();
    return out;
  } catch (const std::exception&) {
    return make_error(errc::damaged_container, "the PDF reader's answer is not understood");
  }
}

void write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

// An allocation that fails at the memory limit ends the child with this answer, written without
// allocating.
constexpr std::string_view oom_answer =
    R"({"error":{"code":6,"message":"reading this PDF needs more memory than the server's limit","file":"","line":0,"field":"","row_error":false}})";

void on_out_of_memory() {
  write_all(answer_fd, oom_answer);
  ::_exit(0);
}

// The address space of this process now (VmSize), in bytes; 0 when /proc cannot say.
std::size_t address_space_now() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long pages = 0;
  const int got = std::fscanf(f, "%lu", &pages);
  std::fclose(f);
  if (got != 1) return 0;
  return static_cast<std::size_t>(pages) * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

// In the child: the memory budget on top of what it has now (its code, a sanitizer's shadow),
// the CPU limit, and the answer for an allocation refused at the limit.
void limit_self(std::size_t max_memory, unsigned cpu_seconds) {
  const std::size_t budget = address_space_now() + max_memory;
  const rlimit memory{budget, budget};
  const rlimit cpu{cpu_seconds, cpu_seconds + 1};
  ::setrlimit(RLIMIT_AS, &memory);
  ::setrlimit(RLIMIT_CPU, &cpu);
  std::set_new_handler(on_out_of_memory);
}

// In the child: reads the upload, converts it, and returns the answer.
std::string read_and_answer(const fs::path& upload, const parse_options& options, const result_files& out) {
  try {
    auto bytes = read_data_file(upload, out.keys.get());
    if (!bytes) return outcome_message(bytes.error());
    return outcome_message(convert_upload(*bytes, options, out));
  } catch (...) {  // std::bad_alloc at the memory limit
    return outcome_message(make_error(errc::limit_exceeded, "reading this PDF needs more memory than the limit"));
  }
}

[[noreturn]] void test_faults(const pdf_limits& limits) {
  if (limits.crash_for_tests) std::abort();
  while (true) ::pause();
}

// Async-signal-safe set-up of a forked child: dies with its parent, keeps only 0-2 and its
// answer pipe (as fd 3), the input pipe (keys and password) as stdin when there is one.
void isolate_descriptors(pid_t parent, int answer_write, int input_read) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(1);  // the parent died before the line above
  if (input_read >= 0) ::dup2(input_read, STDIN_FILENO);
  if (answer_write == answer_fd) ::fcntl(answer_fd, F_SETFD, 0);  // dup2 onto itself keeps CLOEXEC
  else ::dup2(answer_write, answer_fd);
  // the server's sockets and database stay with the server
  ::syscall(SYS_close_range, answer_fd + 1, ~0U, 0U);
}

std::vector<std::string> reader_arguments(const pdf_limits& limits, const fs::path& upload,
                                          const parse_options& options, const result_files& out,
                                          const fs::path& rules) {
  const char* fault = limits.crash_for_tests ? "crash" : limits.hang_for_tests ? "hang" : "none";
  return {limits.reader_program,
          std::string(pdf_reader_flag),
          upload.string(),
          out.csv.string(),
          out.excel_br.string(),
          out.json.string(),
          out.xlsx.string(),
          std::string(options.file_name),
          options.skip_bad_rows ? "1" : "0",
          std::to_string(options.max_pages),
          std::to_string(limits.max_memory),
          std::to_string(limits.cpu_seconds),
          fault,
          rules.string()};
}

// Reads the child's whole answer, or stops at the deadline (false).
bool read_answer(int fd, std::string& message, std::chrono::steady_clock::time_point deadline) {
  char buf[4096];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(std::min<std::int64_t>(left.count(), 60'000)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  // loop re-checks the deadline
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) message.append(buf, static_cast<std::size_t>(n));
    else if (n < 0 && errno == EINTR) continue;
    else return true;  // EOF (or an error: the exit status tells)
  }
}

result<job> verdict(int status, bool timed_out, const std::string& message, const pdf_limits& limits) {
  if (timed_out)
    return make_error(errc::limit_exceeded, "reading this PDF took longer than the limit of " +
                                                std::to_string(pdf_reader_deadline(limits).count()) + " s: it was stopped");
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    if (sig == SIGXCPU || sig == SIGKILL)
      return make_error(errc::limit_exceeded, "reading this PDF took longer than the limit of " +
                                                  std::to_string(limits.cpu_seconds) + " s of CPU time: it was stopped");
    return make_error(errc::damaged_container,
                      "the PDF reader stopped on this file (signal " + std::to_string(sig) +
                          "): the PDF is damaged or hostile, or needs more than the memory limit of " +
                          std::to_string(limits.max_memory >> 20) +
                          " MiB; download it again from the bank, or export OFX or CSV");
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
    return make_error(errc::io_error, "cannot start the PDF reader program");  // transient: retried
  if (message.empty())
    return make_error(errc::limit_exceeded, "reading this PDF needs more memory than the limit of " +
                                                std::to_string(limits.max_memory >> 20) + " MiB");
  return outcome_of(message);
}

struct pipe_pair {
  int read = -1, write = -1;
  bool open() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return false;
    read = fds[0];
    write = fds[1];
    return true;
  }
  static void close_fd(int& fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
  }
  ~pipe_pair() {
    close_fd(read);
    close_fd(write);
  }
};

// What an exec'd child reads on its stdin: the data keys' text on one line, then the password.
std::string child_input(const result_files& out, const parse_options& options) {
  std::string text = out.keys ? out.keys->to_text() : std::string();
  text += '\n';
  text += options.password;
  return text;
}

// In the child: all of its stdin.
std::string read_stdin() {
  std::string input;
  char buf[1024];
  for (ssize_t n; (n = ::read(STDIN_FILENO, buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    input.append(buf, static_cast<std::size_t>(n));
  }
  return input;
}

template <class T>
bool number_arg(const char* text, T& out) {
  const std::string_view s(text);
  const auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  return r.ec == std::errc{} && r.ptr == s.data() + s.size();
}

}  // namespace

result<job> convert_isolated(const fs::path& upload, const parse_options& options, const result_files& out,
                             const pdf_limits& limits, const fs::path& rules) {
  const bool exec = !limits.reader_program.empty();
  // everything the child needs is made before the fork: after it, only async-signal-safe calls
  const std::vector<std::string> args = exec ? reader_arguments(limits, upload, options, out, rules) : std::vector<std::string>{};
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pipe_pair answer, input;
  if (!answer.open() || (exec && !input.open()))
    return make_error(errc::io_error, "cannot create a pipe for the PDF reader");
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return make_error(errc::io_error, "cannot start the PDF reader process");
  if (pid == 0) {
    isolate_descriptors(parent, answer.write, input.read);
    if (exec) {
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    limit_self(limits.max_memory, limits.cpu_seconds);
    if (limits.crash_for_tests || limits.hang_for_tests) test_faults(limits);
    write_all(answer_fd, read_and_answer(upload, options, out));
    ::_exit(0);
  }
  pipe_pair::close_fd(answer.write);
  pipe_pair::close_fd(input.read);
  if (exec) {
    write_all(input.write, child_input(out, options));  // a pipe, never argv or the environment
    pipe_pair::close_fd(input.write);
  }
  std::string message;
  const bool finished = read_answer(answer.read, message, std::chrono::steady_clock::now() + pdf_reader_deadline(limits));
  if (!finished) ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return verdict(status, !finished, message, limits);
}

}  // namespace detail

std::chrono::seconds pdf_reader_deadline(const pdf_limits& limits) noexcept {
  return std::chrono::seconds(2 * static_cast<std::int64_t>(limits.cpu_seconds) + 10);
}

std::optional<int> run_pdf_reader(int argc, char** argv) {
  if (argc < 2 || std::string_view(argv[1]) != pdf_reader_flag) return std::nullopt;
  if (argc != 14) {
    std::fprintf(stderr, "%s: the PDF reader child takes 12 arguments after %s\n", argv[0], argv[1]);
    return 2;
  }
  pdf_limits limits;
  parse_options options;
  using detail::number_arg;
  if (!number_arg(argv[9], options.max_pages) || !number_arg(argv[10], limits.max_memory) ||
      !number_arg(argv[11], limits.cpu_seconds)) {
    std::fprintf(stderr, "%s: bad PDF reader limits\n", argv[0]);
    return 2;
  }
  detail::limit_self(limits.max_memory, limits.cpu_seconds);
  limits.crash_for_tests = std::string_view(argv[12]) == "crash";
  limits.hang_for_tests = std::string_view(argv[12]) == "hang";
  if (limits.crash_for_tests || limits.hang_for_tests) detail::test_faults(limits);
  const std::string input = detail::read_stdin();
  const std::size_t newline = std::min(input.find('\n'), input.size());
  options.password = std::string_view(input).substr(std::min(newline + 1, input.size()));
  options.file_name = argv[7];
  options.skip_bad_rows = std::string_view(argv[8]) == "1";
  detail::result_files out{argv[3], argv[4], argv[5], argv[6]};
  if (newline > 0) {
    auto keys = data_key_ring::parse(std::string_view(input).substr(0, newline));
    if (!keys) {
      detail::write_all(detail::answer_fd, detail::outcome_message(keys.error()));
      return 0;
    }
    out.keys = std::make_shared<const data_key_ring>(std::move(*keys));
  }
  std::optional<rules_file> rules;  // the job's category rules, read here with the keys
  if (*argv[13] != '\0') {
    auto loaded = detail::read_job_rules(argv[13], out.keys.get());
    if (!loaded) {
      detail::write_all(detail::answer_fd, detail::outcome_message(loaded.error()));
      return 0;
    }
    rules = std::move(*loaded);
    options.category_rules = &rules->rules;
  }
  detail::write_all(detail::answer_fd, detail::read_and_answer(argv[2], options, out));
  return 0;
}

}  // namespace bankflow
