// bankflow_ledger_race_helper: one process of a cross-process ledger race, started by the tests.
//
//   bankflow_ledger_race_helper URL SOURCE DEST THREADS ATTEMPTS TAG
//       submits ATTEMPTS immediate transfers of 1.00 (100 centavos) from SOURCE to DEST, spread
//       over THREADS threads, with ids "TAG-<thread>-<n>"
//
// Prints "ready" once the ledger is open and the threads wait, waits for a line on stdin, then
// releases the threads at once and prints "accepted=N rejected=N errors=N" (rejected:
// insufficient_funds), and the first unexpected error on the next line when there was one.

#include <bankflow/database.hpp>
#include <bankflow/ledger.hpp>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <latch>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 7) {
    std::cerr << "usage: bankflow_ledger_race_helper URL SOURCE DEST THREADS ATTEMPTS TAG\n";
    return 2;
  }
  const int threads = std::atoi(argv[4]);
  const int attempts = std::atoi(argv[5]);
  auto db = bankflow::database::open(argv[1], {.pool_size = static_cast<std::size_t>(threads)});
  if (!db) {
    std::cerr << db.error().to_string() << '\n';
    return 1;
  }
  auto lg = bankflow::ledger::open(*db);
  if (!lg) {
    std::cerr << lg.error().to_string() << '\n';
    return 1;
  }
  std::atomic<long> accepted{0}, rejected{0}, errors{0};
  std::mutex mutex;
  std::string first_error;
  std::latch start(1);
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i) {
    const int mine = attempts / threads + (i < attempts % threads ? 1 : 0);
    pool.emplace_back([&, i, mine] {
      start.wait();
      for (int k = 0; k < mine; ++k) {
        bankflow::transfer_request r;
        r.id = std::string(argv[6]) + "-" + std::to_string(i) + "-" + std::to_string(k);
        r.debit_account = argv[2];
        r.credit_account = argv[3];
        r.amount = 100;
        auto out = lg->submit(r);
        if (out) {
          accepted.fetch_add(1);
        } else if (out.error().code == bankflow::errc::insufficient_funds) {
          rejected.fetch_add(1);
        } else {
          errors.fetch_add(1);
          std::lock_guard lock(mutex);
          if (first_error.empty()) first_error = out.error().to_string();
        }
      }
    });
  }
  std::cout << "ready" << std::endl;
  std::string go;
  std::getline(std::cin, go);
  start.count_down();
  for (auto& t : pool) t.join();
  std::cout << "accepted=" << accepted << " rejected=" << rejected << " errors=" << errors << std::endl;
  if (!first_error.empty()) std::cout << first_error << std::endl;
  return 0;
}
