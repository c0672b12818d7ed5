#include "auth/accounts.h"

#include <sodium.h>

#include <algorithm>
#include <semaphore>
#include <thread>

#include "auth/permissions.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/text.h"
#include "core/time.h"

namespace ctip::auth {
namespace {

constexpr const char* kUserColumns = "u.id, u.username, u.role, u.disabled, o.id, o.name, o.kind";

User user_from(const store::Row& r, size_t at = 0) {
  User u;
  u.id = r.integer(at + 0);
  u.username = r.text(at + 1);
  u.role = r.text(at + 2);
  u.disabled = r.integer(at + 3) != 0;
  u.org = {r.integer(at + 4), r.text(at + 5), r.text(at + 6)};
  return u;
}

std::string token_hash(std::string_view token) { return to_hex(sha256(token)); }

// The Argon2 slots: one per core. A waiting request holds a thread but no 64 MiB buffer.
class HashSlot {
 public:
  HashSlot() { slots().acquire(); }
  ~HashSlot() { slots().release(); }
  HashSlot(const HashSlot&) = delete;
  HashSlot& operator=(const HashSlot&) = delete;

 private:
  static std::counting_semaphore<1024>& slots() {
    static std::counting_semaphore<1024> s(password_hash_slots());
    return s;
  }
};

}  // namespace

bool is_org_kind(std::string_view kind) {
  return std::find(std::begin(kOrgKinds), std::end(kOrgKinds), kind) != std::end(kOrgKinds);
}

int password_hash_slots() {
  static const int n = static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 1u, 1024u));
  return n;
}

std::string hash_password(std::string_view password) {
  crypto_init();
  HashSlot slot;
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw Error(ErrorCode::internal, "password hashing ran out of memory");
  return out;
}

bool verify_password(std::string_view hash, std::string_view password) {
  crypto_init();
  std::string h(hash);
  HashSlot slot;
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

void validate_new_user(const NewUser& u) {
  if (u.username.size() < 3 || u.username.size() > 64)
    invalid("username", "username must be 3 to 64 characters");
  for (char ch : u.username)
    if (!(std::islower(static_cast<unsigned char>(ch)) ||
          std::isdigit(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' || ch == '-'))
      invalid("username", "username may hold only a-z, 0-9, '.', '_' and '-'");
  check_password_policy(u.password, u.username);
  if (!PermissionMatrix::builtin().is_role(u.role))
    invalid("role", "unknown role '" + u.role + "' (one of " +
                        core::joined(PermissionMatrix::builtin().roles()) + ")");
  if (u.org_name.empty() || u.org_name.size() > 200)
    invalid("org", "organisation name must be 1 to 200 characters");
  if (!is_org_kind(u.org_kind))
    invalid("org-kind", "unknown organisation kind '" + u.org_kind + "' (one of " +
                            core::joined(kOrgKinds) + ")");
}

Organisation ensure_organisation(store::Connection& c, const std::string& name,
                                 const std::string& kind) {
  if (auto r = c.query_one("SELECT id, name, kind FROM organisations WHERE name = ?", {name})) {
    Organisation o{r->integer(0), r->text(1), r->text(2)};
    if (o.kind != kind)
      invalid("org-kind", "organisation '" + name + "' exists with kind " + o.kind);
    return o;
  }
  auto r = c.query_row(
      "INSERT INTO organisations (name, kind, created_at) VALUES (?, ?, ?) RETURNING id",
      {name, kind, now_iso()});
  return {r.integer(0), name, kind};
}

std::optional<Organisation> find_organisation(store::Connection& c, const std::string& name) {
  auto r = c.query_one("SELECT id, name, kind FROM organisations WHERE name = ?", {name});
  if (!r) return std::nullopt;
  return Organisation{r->integer(0), r->text(1), r->text(2)};
}

User create_user(store::Connection& c, const NewUser& u, const std::string& password_hash) {
  validate_new_user(u);
  if (c.query_one("SELECT id FROM users WHERE username = ?", {u.username}))
    throw Error(ErrorCode::conflict, "username '" + u.username + "' is taken", "username");
  auto org = ensure_organisation(c, u.org_name, u.org_kind);
  auto r = c.query_row(
      "INSERT INTO users (username, org_id, role, password_hash, disabled, created_at) "
      "VALUES (?, ?, ?, ?, 0, ?) RETURNING id",
      {u.username, org.id, u.role, password_hash, now_iso()});
  return User{r.integer(0), u.username, u.role, false, org};
}

User create_user(store::Connection& c, const NewUser& u) {
  validate_new_user(u);  // before the hash: bad input costs no Argon2
  return create_user(c, u, hash_password(u.password));
}

void set_password_hash(store::Connection& c, int64_t user_id, const std::string& password_hash) {
  c.execute("UPDATE users SET password_hash = ? WHERE id = ?", {password_hash, user_id});
  if (c.changes() == 0) throw Error(ErrorCode::not_found, "no such user", "id");
  delete_sessions_of(c, user_id);
}

std::optional<User> find_user(store::Connection& c, int64_t id) {
  auto r = c.query_one(std::string("SELECT ") + kUserColumns +
                           " FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.id = ?",
                       {id});
  if (!r) return std::nullopt;
  return user_from(*r);
}

std::optional<User> find_user_by_name(store::Connection& c, std::string_view username) {
  auto r =
      c.query_one(std::string("SELECT ") + kUserColumns +
                      " FROM users u JOIN organisations o ON o.id = u.org_id WHERE u.username = ?",
                  {std::string(username)});
  if (!r) return std::nullopt;
  return user_from(*r);
}

std::vector<User> list_users(store::Connection& c, std::optional<int64_t> org_id) {
  std::vector<store::Row> rows;
  std::string sql = std::string("SELECT ") + kUserColumns +
                    " FROM users u JOIN organisations o ON o.id = u.org_id";
  if (org_id)
    rows = c.query(sql + " WHERE u.org_id = ? ORDER BY u.username", {*org_id});
  else
    rows = c.query(sql + " ORDER BY o.name, u.username");
  std::vector<User> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(user_from(r));
  return out;
}

void set_disabled(store::Connection& c, int64_t user_id, bool disabled) {
  c.execute("UPDATE users SET disabled = ? WHERE id = ?", {int64_t{disabled ? 1 : 0}, user_id});
  if (c.changes() == 0) throw Error(ErrorCode::not_found, "no such user", "id");
  if (disabled) delete_sessions_of(c, user_id);
}

int64_t count_users(store::Connection& c) {
  return c.query_row("SELECT count(*) FROM users").integer(0);
}

std::optional<std::pair<User, std::string>> credentials(store::Connection& c,
                                                        std::string_view username) {
  auto r = c.query_one(std::string("SELECT ") + kUserColumns +
                           ", u.password_hash FROM users u JOIN organisations o ON o.id = u.org_id "
                           "WHERE u.username = ?",
                       {std::string(username)});
  if (!r) return std::nullopt;
  return std::make_pair(user_from(*r), r->text(7));
}

Session create_session(store::Connection& c, int64_t user_id, const Clock& clock,
                       const SessionPolicy& policy) {
  const int64_t now = clock.now_ms();
  Session s{random_token(32), random_token(32), now + policy.lifetime_ms};
  const std::string hash = token_hash(s.token);
  c.execute(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_ms, expires_ms, "
      "last_seen_ms) VALUES (?, ?, ?, ?, ?, ?)",
      {hash, user_id, s.csrf_token, now, s.expires_ms, now});
  // Expired and idle sessions are swept at each login so the table stays small.
  c.execute("DELETE FROM sessions WHERE expires_ms < ? OR last_seen_ms < ?",
            {now, now - policy.idle_ms});
  // The user's newest sessions are kept, this one first; the oldest beyond the limit end.
  auto rows = c.query(
      "SELECT token_hash FROM sessions WHERE user_id = ? ORDER BY created_ms DESC, token_hash",
      {user_id});
  int64_t kept = 1;
  for (const auto& r : rows) {
    std::string other = r.text(0);
    if (other == hash) continue;
    if (kept < std::max(policy.max_per_user, 1))
      ++kept;
    else
      c.execute("DELETE FROM sessions WHERE token_hash = ?", {other});
  }
  return s;
}

namespace {

struct LiveSession {
  User user;
  std::string csrf;
  int64_t last_seen_ms = 0;
};

std::optional<LiveSession> live_session(store::Connection& c, std::string_view token,
                                        const Clock& clock, const SessionPolicy& policy) {
  if (token.size() != 64) return std::nullopt;
  auto r = c.query_one(std::string("SELECT ") + kUserColumns +
                           ", s.csrf_token, s.expires_ms, s.last_seen_ms FROM sessions s "
                           "JOIN users u ON u.id = s.user_id "
                           "JOIN organisations o ON o.id = u.org_id WHERE s.token_hash = ?",
                       {token_hash(token)});
  const int64_t now = clock.now_ms();
  if (!r || r->integer(8) < now || r->integer(9) + policy.idle_ms < now) return std::nullopt;
  User u = user_from(*r);
  if (u.disabled) return std::nullopt;
  return LiveSession{std::move(u), r->text(7), r->integer(9)};
}

}  // namespace

std::optional<std::pair<User, std::string>> find_session(store::Connection& c,
                                                         std::string_view token, const Clock& clock,
                                                         const SessionPolicy& policy) {
  auto s = live_session(c, token, clock, policy);
  if (!s) return std::nullopt;
  return std::make_pair(std::move(s->user), std::move(s->csrf));
}

std::optional<std::pair<User, std::string>> resume_session(store::Store& store,
                                                           std::string_view token,
                                                           const Clock& clock,
                                                           const SessionPolicy& policy) {
  std::optional<LiveSession> s;
  store.read([&](store::Connection& c) { s = live_session(c, token, clock, policy); });
  if (!s) return std::nullopt;
  const int64_t now = clock.now_ms();
  if (now - s->last_seen_ms >= policy.touch_every_ms) {
    // Only moves forward: of two requests racing here, the later time wins.
    store.write([&](store::Connection& c) {
      c.execute("UPDATE sessions SET last_seen_ms = ? WHERE token_hash = ? AND last_seen_ms < ?",
                {now, token_hash(token), now});
    });
  }
  return std::make_pair(std::move(s->user), std::move(s->csrf));
}

void delete_session(store::Connection& c, std::string_view token) {
  c.execute("DELETE FROM sessions WHERE token_hash = ?", {token_hash(token)});
}

void delete_sessions_of(store::Connection& c, int64_t user_id) {
  c.execute("DELETE FROM sessions WHERE user_id = ?", {user_id});
}

}  // namespace ctip::auth
