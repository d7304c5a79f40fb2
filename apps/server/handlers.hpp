#pragma once
// The handlers of the route table (routes.cpp), one plain function per route.

#include "routes.hpp"

namespace bankflow::server {

reply handle_health(request_context& ctx);
reply handle_ready(request_context& ctx);
reply handle_metrics(request_context& ctx);
reply handle_session(request_context& ctx);
reply handle_banks(request_context& ctx);
reply handle_upload(request_context& ctx);
reply handle_list_jobs(request_context& ctx);
reply handle_get_job(request_context& ctx);
reply handle_job_status(request_context& ctx);
reply handle_download(request_context& ctx);
reply handle_preview(request_context& ctx);
reply handle_delete_job(request_context& ctx);
reply handle_wallet(request_context& ctx);
reply handle_wallet_deposit(request_context& ctx);
reply handle_wallet_withdrawal(request_context& ctx);
reply handle_wallet_transactions(request_context& ctx);
reply handle_wallet_transaction(request_context& ctx);
reply handle_webhook(request_context& ctx);
reply handle_signup(request_context& ctx);
reply handle_login(request_context& ctx);
reply handle_logout(request_context& ctx);
reply handle_me(request_context& ctx);
reply handle_export(request_context& ctx);
reply handle_erase(request_context& ctx);
reply handle_change_password(request_context& ctx);
reply handle_list_sessions(request_context& ctx);
reply handle_end_session(request_context& ctx);
reply handle_create_api_key(request_context& ctx);
reply handle_list_api_keys(request_context& ctx);
reply handle_revoke_api_key(request_context& ctx);
reply handle_admin_users(request_context& ctx);
reply handle_admin_set_role(request_context& ctx);
reply handle_admin_disable(request_context& ctx);
reply handle_ops_audit(request_context& ctx);
reply handle_ops_queue(request_context& ctx);
reply handle_ops_dead_letters(request_context& ctx);
reply handle_ops_requeue(request_context& ctx);
reply handle_ops_discard(request_context& ctx);
reply handle_ops_deliveries(request_context& ctx);
reply handle_ops_pending(request_context& ctx);
reply handle_index(request_context& ctx);
reply handle_demo(request_context& ctx);
reply handle_login_page(request_context& ctx);     ///< /entrar: log in or sign up
reply handle_wallet_page(request_context& ctx);    ///< /carteira: the wallet and the statements
reply handle_keys_page(request_context& ctx);      ///< /chaves: the API keys
reply handle_operator_page(request_context& ctx);  ///< /operador: the audit log
reply handle_account_page(request_context& ctx);   ///< /conta: password, sessions, export, erasure
reply handle_static(request_context& ctx);

}  // namespace bankflow::server
