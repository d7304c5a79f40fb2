#include "jobs_queue_backends.hpp"

#include <bankflow/redis.hpp>

#include "../store/test_support.hpp"
#include "store/redis.hpp"

#include <catch2/catch.hpp>

namespace bankflow::test {

queue_backends::queue_backends() {
  backends_.push_back({"memory", nullptr});
  // Every consumer of the memory backend is the same in-process queue.
  auto shared = std::shared_ptr<job_queue>();
  backends_.back().make = [shared](queue_options o) mutable -> std::unique_ptr<job_queue> {
    if (!shared) shared = std::shared_ptr<job_queue>(make_memory_job_queue(o).value());
    struct view final : job_queue {
      std::shared_ptr<job_queue> q;
      result<void> push(std::string_view id) override { return q->push(id); }
      result<std::optional<queue_item>> take(std::chrono::milliseconds w) override { return q->take(w); }
      result<void> ack(const queue_item& i) override { return q->ack(i); }
      result<bool> retry(const queue_item& i, std::string_view r) override { return q->retry(i, r); }
      result<std::size_t> depth() override { return q->depth(); }
      result<std::vector<std::pair<std::string, std::string>>> dead_letters() override { return q->dead_letters(); }
      result<std::vector<dead_letter>> list_dead_letters() override { return q->list_dead_letters(); }
      result<void> requeue_dead_letter(std::string_view id) override { return q->requeue_dead_letter(id); }
      result<void> discard_dead_letter(std::string_view id) override { return q->discard_dead_letter(id); }
    };
    auto v = std::make_unique<view>();
    v->q = shared;
    return v;
  };
  redis_url_ = redis_url();
  if (redis_url_) {
    prefix_ = "bftest:" + unique_suffix() + ":";
    backends_.push_back({"redis", [url = *redis_url_, prefix = prefix_](queue_options o) -> std::unique_ptr<job_queue> {
                           struct owning final : job_queue {
                             std::unique_ptr<redis_client> client;
                             std::unique_ptr<job_queue> q;
                             result<void> push(std::string_view id) override { return q->push(id); }
                             result<std::optional<queue_item>> take(std::chrono::milliseconds w) override {
                               return q->take(w);
                             }
                             result<void> ack(const queue_item& i) override { return q->ack(i); }
                             result<bool> retry(const queue_item& i, std::string_view r) override {
                               return q->retry(i, r);
                             }
                             result<std::size_t> depth() override { return q->depth(); }
                             result<std::vector<std::pair<std::string, std::string>>> dead_letters() override {
                               return q->dead_letters();
                             }
                             result<std::vector<dead_letter>> list_dead_letters() override {
                               return q->list_dead_letters();
                             }
                             result<void> requeue_dead_letter(std::string_view id) override {
                               return q->requeue_dead_letter(id);
                             }
                             result<void> discard_dead_letter(std::string_view id) override {
                               return q->discard_dead_letter(id);
                             }
                           };
                           auto c = redis_client::connect(url, {.key_prefix = prefix});
                           REQUIRE(c);
                           auto out = std::make_unique<owning>();
                           out->client = std::make_unique<redis_client>(std::move(*c));
                           auto q = make_redis_job_queue(*out->client, o);
                           REQUIRE(q);
                           out->q = std::move(*q);
                           return out;
                         }});
  }
}

queue_backends::~queue_backends() {
  if (redis_url_) delete_redis_keys(*redis_url_, prefix_);
}

void delete_redis_keys(const std::string& url, const std::string& prefix) {
  auto c = redis_client::connect(url);
  if (!c) return;
  auto& pool = detail::redis_access::pool(*c);
  std::string cursor = "0";
  const std::string pattern = prefix + "*";
  do {
    auto r = pool.command({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
    if (!r || r->type != detail::redis_reply::kind::array || r->elements.size() != 2) return;
    cursor = r->elements[0].str;
    for (const auto& key : r->elements[1].elements) (void)pool.command({"DEL", key.str});
  } while (cursor != "0");
}

}  // namespace bankflow::test
