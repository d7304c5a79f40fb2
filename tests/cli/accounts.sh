#!/usr/bin/env bash
# bankflow accounts end to end on fresh SQLite files: the first admin (password from stdin, then
# from $BANKFLOW_PASSWORD), the server's default database under --data-dir, list as a table and
# as JSON, an API key created, listed and revoked, a role change, disabling, the audit entries
# each change appends, and the refusals (exit 1 data error, exit 2 usage).
# usage: accounts.sh BANKFLOW_BINARY
set -uo pipefail
bin=$(realpath "$1")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
unset BANKFLOW_PASSWORD BANKFLOW_DATABASE_URL BANKFLOW_DATA_DIR
db="sqlite://$dir/a.db"
pw='correct horse battery'
fail() { echo "FAIL: $*"; exit 1; }
# acc ARGS…: runs `bankflow accounts --database $db ARGS…` with stdin as given; sets $out $err $rc
acc() {
  rc=0
  "$bin" accounts --database "$db" "$@" >"$dir/out" 2>"$dir/err" || rc=$?
  out=$(<"$dir/out") err=$(<"$dir/err")
  cat "$dir/out" "$dir/err" >>"$dir/transcript"
}
# expect WANTED_EXIT STDERR_PATTERN: checks the last acc
expect() {
  [[ $rc -eq $1 && $err =~ $2 ]] || fail "exit $rc (want $1), stderr: $err (want /$2/)"
}
# field JSON PYTHON_EXPRESSION_OVER_d: prints the expression's value
field() { python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(eval(sys.argv[2]))' "$1" "$2"; }

# the first admin, password on stdin (its first line; a CRLF line end is not part of it)
acc create --email ' Admin@Example.com ' --role admin --name 'Ana Admin' <<<"$pw"$'\r\nignored'
expect 0 '^$'
admin=$out
[[ $(field "$admin" 'd["email"], d["role"], d["display_name"], d["disabled_at"]') == "('admin@example.com', 'admin', 'Ana Admin', None)" ]] ||
  fail "create printed $admin"
[[ $(field "$admin" 'd["id"]') =~ ^[0-9a-f]{32}$ ]] || fail "no 32-hex id in $admin"
[[ $(field "$admin" 'd["created_at"]') =~ ^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z$ ]] || fail "created_at in $admin"
admin_id=$(field "$admin" 'd["id"]')

# a second user from $BANKFLOW_PASSWORD (stdin is not read)
rc=0
BANKFLOW_PASSWORD="$pw" "$bin" accounts create --email bia@example.com --role user --database "$db" </dev/null >"$dir/out" 2>"$dir/err" || rc=$?
out=$(<"$dir/out") err=$(<"$dir/err")
expect 0 '^$'
bia_id=$(field "$out" 'd["id"]')

# the refusals: taken email, weak password, no password, malformed email, bad role, unknown email
acc create --email ADMIN@example.com --role user <<<"another long password"
expect 1 'already_exists'
acc create --email cai@example.com --role user <<<"senha12345"
expect 1 'weak_password'
acc create --email cai@example.com --role user </dev/null
expect 2 'no password'
acc create --email not-an-email --role user <<<"$pw"
expect 1 'invalid_argument'
acc create --email cai@example.com --role root <<<"$pw"
expect 2 'root'
acc role --email nobody@example.com --role admin
expect 1 'not_found: no user "nobody@example.com"'
[[ -z $out ]] || fail "a refusal printed on stdout: $out"

# list: a table by default, JSON with --json (oldest first: both were made in the same second)
acc list
expect 0 '^$'
[[ $out =~ ^ID\ +EMAIL\ +ROLE\ +CREATED\ +STATUS\ +NAME ]] || fail "no table header: $out"
[[ $out == *"$admin_id  admin@example.com  admin"*"active  Ana Admin"* ]] || fail "admin row: $out"
[[ $out == *"bia@example.com    user "* ]] || fail "bia row: $out"
grep -q ' $' <<<"$out" && fail "trailing spaces (bia has no name): $out"
acc list --json
[[ $(field "$out" 'sorted(u["email"] for u in d)') == "['admin@example.com', 'bia@example.com']" ]] || fail "list --json: $out"

# API keys: the token alone on stdout, the key on stderr; --json gives both; revoke by id
acc key create --email bia@example.com --name script --scope read-write
expect 0 'shown only this once'
[[ $out =~ ^bf_live_([0-9a-f]{16})_[0-9a-f]{64}$ ]] || fail "key create printed $out"
key1=${BASH_REMATCH[1]}
[[ $err == *"$key1"* ]] || fail "stderr does not name key $key1: $err"
acc key create --email bia@example.com --name reader --scope read --json
expect 0 '^$'
[[ $(field "$out" 'd["token"].startswith("bf_live_" + d["key"]["id"] + "_"), d["key"]["scope"], d["key"]["name"], d["key"]["revoked_at"]') == \
   "(True, 'read', 'reader', None)" ]] || fail "key create --json printed $out"
[[ $(field "$out" 'd["key"]["user_id"]') == "$bia_id" ]] || fail "the key is not bia's: $out"
acc key create --email bia@example.com --name x --scope admin
expect 2 'admin'
acc key revoke --email bia@example.com --id "$key1"
expect 0 '^$'
[[ $(field "$out" 'd["id"], d["revoked_at"] is not None') == "('$key1', True)" ]] || fail "revoke printed $out"
acc key revoke --email admin@example.com --id "$key1"
expect 1 'not_found'
acc key list --email bia@example.com --json
[[ $(field "$out" 'sorted((k["name"], k["revoked_at"] is None) for k in d)') == "[('reader', True), ('script', False)]" ]] ||
  fail "key list --json: $out"
acc key list --email bia@example.com
[[ $out == *"$key1  read_write"*"revoked  script"* ]] || fail "key list: $out"

# role and disable, then a disabled user gets no new key
acc role --email bia@example.com --role operator
expect 0 '^$'
[[ $(field "$out" 'd["role"]') == operator ]] || fail "role printed $out"
# a login session of bia's (as the server writes one): disabling ends it
python3 - "$dir/a.db" "$bia_id" <<'EOF'
import sqlite3, sys, time
now = int(time.time() * 1000)
with sqlite3.connect(sys.argv[1]) as db:
    db.execute("INSERT INTO bankflow_sessions (id, token_hash, created_at, expires_at, last_seen_at, revoked_at, "
               "user_id, idle_expires_at) VALUES ('bia-phone', 'ab', ?, ?, ?, NULL, ?, ?)",
               (now, now + 3600000, now, sys.argv[2], now + 3600000))
EOF
acc disable --email bia@example.com
expect 0 '^$'
[[ $(field "$out" 'd["disabled_at"] is not None') == True ]] || fail "disable printed $out"
ended=$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(
    "SELECT revoked_at IS NOT NULL FROM bankflow_sessions WHERE id = ?", ("bia-phone",)).fetchone()[0])' "$dir/a.db")
[[ $ended == 1 ]] || fail "disable left bia's login session open"
acc list
[[ $out == *"bia@example.com    operator  "*"  disabled"* ]] || fail "list after disable: $out"
acc key create --email bia@example.com --name late --scope read
expect 1 'disabled'

# the audit log: one entry per change, by the system (no actor), request "cli"
audit=$(python3 - "$dir/a.db" <<'EOF'
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute(
    "SELECT action, actor, subject, detail FROM bankflow_audit WHERE request_id = 'cli' ORDER BY id").fetchall()
print(rows)
EOF
)
acc key list --email bia@example.com --json
key2=$(field "$out" '[k["id"] for k in d if k["name"] == "reader"][0]')
want="[('user_created', '', '$admin_id', 'admin'), ('user_created', '', '$bia_id', 'user'), \
('key_created', '', '$bia_id', 'cli: key $key1'), ('key_created', '', '$bia_id', 'cli: key $key2'), \
('key_revoked', '', '$bia_id', 'cli: key $key1'), ('role_changed', '', '$bia_id', 'operator'), \
('user_disabled', '', '$bia_id', '')]"
[[ $audit == "$want" ]] || fail "audit log: $audit, want $want"
grep -qF "$pw" "$dir/transcript" && fail "the password was printed"

# no --database: the server's default, sqlite:///<data-dir>/bankflow.db (--data-dir, then
# $BANKFLOW_DATA_DIR, then ./bankflow-data), the directory created when missing
(cd "$dir" && "$bin" accounts create --email d@example.com --role admin <<<"$pw" >/dev/null) || fail "create in ./bankflow-data"
[[ -f $dir/bankflow-data/bankflow.db ]] || fail "no $dir/bankflow-data/bankflow.db"
"$bin" accounts --data-dir "$dir/data" create --email d@example.com --role admin <<<"$pw" >/dev/null || fail "create in --data-dir"
BANKFLOW_DATA_DIR="$dir/data" "$bin" accounts list --json >"$dir/out" || fail "list in \$BANKFLOW_DATA_DIR"
[[ $(field "$(<"$dir/out")" '[u["email"] for u in d]') == "['d@example.com']" ]] || fail "list of the data dir: $(<"$dir/out")"
BANKFLOW_DATABASE_URL="$db" "$bin" accounts list --data-dir "$dir/data" --json >"$dir/out" || fail "list in \$BANKFLOW_DATABASE_URL"
[[ $(field "$(<"$dir/out")" 'len(d)') == 2 ]] || fail "BANKFLOW_DATABASE_URL is not preferred to --data-dir"

# on a terminal (util-linux `script` gives it a pseudo-terminal) the password is prompted for
if command -v script >/dev/null; then
  printf '%s\n' "$pw" | script -qec "\"$bin\" accounts --database sqlite://$dir/tty.db create --email t@example.com --role user" \
    /dev/null >"$dir/tty"
  grep -q '^Password: ' "$dir/tty" || fail "no password prompt on a terminal: $(<"$dir/tty")"
  grep -q '"email":"t@example.com"' "$dir/tty" || fail "no user created on a terminal: $(<"$dir/tty")"
fi
echo ok
