#include "listener.hpp"

#include "app.hpp"
#include "client_address.hpp"
#include "log.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

namespace bankflow::server {

listener::listener(net::io_context& ioc, app& a, session_registry& registry, bool admin)
    : ioc_(ioc), app_(a), registry_(registry), admin_(admin), acceptor_(net::make_strand(ioc)), retry_(acceptor_.get_executor()) {}

result<net::ip::tcp::endpoint> listener::open(const net::ip::tcp::endpoint& endpoint) {
  beast::error_code ec;
  const auto fail = [&](std::string_view what) {
    return make_error(errc::io_error, std::string(what) + " " + endpoint.address().to_string() + ":" +
                                          std::to_string(endpoint.port()) + ": " + ec.message());
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) return fail("cannot open a socket for");
  acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  acceptor_.bind(endpoint, ec);
  if (ec) return fail("cannot bind");
  acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return fail("cannot listen on");
  auto bound = acceptor_.local_endpoint(ec);
  if (ec) return fail("no local address for");
  return bound;
}

void listener::run() {
  net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] { self->accept(); });
}

void listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ec;
    self->retry_.cancel();
    self->acceptor_.close(ec);
  });
}

void listener::accept() {
  if (!acceptor_.is_open()) return;
  acceptor_.async_accept(net::make_strand(ioc_), beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(beast::error_code ec, net::ip::tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    // out of descriptors and the like: say so, breathe, go on
    log_line("warn", "accept failed", {{"error", ec.message()}});
    retry_.expires_after(std::chrono::milliseconds(100));
    retry_.async_wait([self = shared_from_this()](beast::error_code wec) {
      if (!wec) self->accept();
    });
    return;
  }
  beast::error_code nec;
  socket.set_option(net::ip::tcp::no_delay(true), nec);
  const auto peer = socket.remote_endpoint(nec);
  if (nec) return accept();  // gone already
  // connections from a trusted proxy carry many clients: only the total cap applies to them
  const std::string address = app_.proxies.contains(peer.address()) ? std::string() : address_key(peer.address());
  auto session = std::make_shared<http_session>(std::move(socket), app_, registry_, peer.address(), admin_);
  if (registry_.add(session, address)) {
    session->run();
  } else {
    session->refuse();
  }
  accept();
}

}  // namespace bankflow::server
