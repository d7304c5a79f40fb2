// Passwords: the policy (length, common passwords), Argon2id PHC hashes, and email normalization.

#include <bankflow/accounts.hpp>

#include "crypto/crypto.hpp"

#include <argon2.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>
#include <string>
#include <string_view>

namespace bankflow {
namespace {

// Common passwords (world-wide and Brazilian), lower-case and sorted for binary search.
constexpr std::string_view common_passwords[] = {
    "000000", "00000000", "0000000000", "010203", "01020304", "0102030405", "0123456789",
    "101010", "102030", "10203040", "1020304050", "111111", "11111111", "1111111111", "112233", "11223344",
    "1122334455", "121212", "123123", "123321", "12341234", "12344321", "12345", "1234512345", "123456",
    "1234567", "12345678", "123456789", "1234567890", "1234567890a", "123456789a", "12345678a", "1234567a",
    "123456a", "123456abc", "123654", "131313", "141414", "147258", "147258369", "147852", "147852369",
    "159357", "159753", "1q2w3e", "1q2w3e4r", "1q2w3e4r5t", "1q2w3e4r5t6y", "1qaz2wsx", "1qaz2wsx3edc",
    "202020", "232323", "252525", "258456", "321654", "456789", "654321", "666666", "696969", "741852963",
    "777777", "789456", "789456123", "88888888", "963852741", "987654321", "9876543210", "999999", "a123456",
    "a12345678", "a1b2c3", "a1b2c3d4", "a1b2c3d4e5", "a1s2d3f4", "aa123456", "abacaxi", "abc123", "abc12345",
    "abc123456", "abc@123", "abcd1234", "abcdef", "abcdef123", "abcdefgh", "access", "access123", "acesso",
    "acesso123", "admin", "admin123", "admin1234", "administrator", "adriana", "aleluia", "aline",
    "alterar123", "amanda", "amanda123", "amizade", "amor", "amor123", "amoreterno", "amorzinho", "ana123",
    "arsenal", "asd123", "asd123456", "asdfasdf", "asdfgh", "asdfghjkl", "atletico", "bahia", "bahia123",
    "banana", "banco", "banco123", "bancodobrasil", "bankflow", "bankflow123", "bankflow1234", "baseball",
    "basketball", "batman", "beatriz", "beleza", "bonita", "bonito", "borboleta", "botafogo", "botafogo123",
    "bradesco", "brasil", "brasil123", "brasil2020", "brasil2021", "brasil2022", "brasil2023", "brasil2024",
    "brasil2025", "brasil2026", "brasileira", "brasileiro", "bruno", "bruno123", "cachorro", "caipirinha",
    "caixa", "caixa123", "camila", "camila123", "carlos", "carlos123", "carnaval", "carnaval123", "cartao",
    "cartao123", "ceara123", "cerveja", "changeme", "changeme123", "charlie", "chelsea", "chocolate",
    "churrasco", "computer", "conta", "conta123", "corinthians", "corinthians123", "cristina", "cruzeiro",
    "cruzeiro123", "daniel", "daniel123", "default", "deus", "deus123", "deuseamor", "deusefiel", "deusfiel",
    "deusmeama", "deusnocomando", "dinheiro", "dinheiro123", "docinho", "dragon", "eduardo", "entrar",
    "entrar123", "esperanca", "estrela", "estrela123", "extrato", "fabio", "familia", "familia123",
    "felicidade", "felicidade123", "felipe", "felipe123", "fernanda", "fernanda123", "filha", "filho",
    "flamengo", "flamengo1", "flamengo123", "flor", "flores", "fluminense", "fluminense123", "football",
    "fortaleza", "freedom", "futebol", "futebol123", "gabriel", "gabriel123", "galo123", "gatinha", "gatinho",
    "gato", "gato123", "girassol", "gloria", "gloriaadeus", "gremio", "gremio123", "guest", "guest123",
    "guilherme", "gustavo", "gustavo123", "hello", "hello123", "helloworld", "iloveyou", "iloveyou1",
    "iloveyou123", "inter123", "internacional", "internet", "irmao", "itau", "itau123", "jennifer", "jesus",
    "jesus123", "jesuscristo", "jesusteama", "joao", "joao123", "jordan23", "jose", "jose123", "juliana",
    "juliana123", "kaka10", "larissa", "leonardo", "leticia", "letmein", "letmein123", "liverpool", "login",
    "login123", "lucas", "lucas123", "mae123", "mamae", "mamae123", "manchester", "marcelo", "maria",
    "maria123", "mariana", "master", "master123", "matheus", "matheus123", "mengao", "mengao123", "meuamor",
    "meuamor123", "meufilho", "michael", "minhafilha", "minhasenha", "minhasenha123", "monkey", "morango",
    "mudar123", "mudar1234", "mudarsenha", "mustang", "neymar", "neymar10", "novasenha", "nubank",
    "nubank123", "p@ssw0rd", "p@ssword", "pagode", "pai123", "paixao", "palmeiras", "palmeiras123", "papai",
    "papai123", "pass1234", "pass12345", "passarinho", "passpass", "passw0rd", "password", "password1",
    "password12", "password123", "password1234", "patricia", "paulo", "paulo123", "pedro", "pedro123",
    "pele10", "pentacampeao", "pix123", "praia", "princesa", "princesa123", "princess", "priscila",
    "q1w2e3r4", "q1w2e3r4t5", "qazwsx", "qazwsxedc", "qwe123", "qwe123456", "qwerty", "qwerty123",
    "qwerty1234", "qwerty12345", "qwertyui", "qwertyuiop", "rafael", "rafael123", "renata", "ricardo",
    "rio2016", "riodejaneiro", "rodrigo", "ronaldinho", "ronaldo", "ronaldo9", "root", "samba", "sandra",
    "santander", "santos", "santos123", "saopaulo", "saopaulo123", "saopaulofc", "saudade", "saudades",
    "secret", "secret123", "segredo", "segredo123", "senha", "senha123", "senha1234", "senha12345",
    "senha123456", "senhadificil", "senhaforte", "senhasegura", "senhasenha", "shadow", "simone", "soccer",
    "sport123", "starwars", "suasenha", "sunshine", "superman", "teamo", "teamo123", "teamomuito", "test",
    "test123", "test1234", "teste", "teste123", "teste1234", "teste12345", "testing", "testing123", "thiago",
    "timao", "timao123", "toor", "trocar123", "trustno1", "usuario", "usuario123", "vanessa", "vasco",
    "vasco123", "vascodagama", "verao", "verdao", "verdao123", "vitoria", "vitoria1", "vitoria123", "vovo",
    "vovo123", "welcome", "welcome1", "welcome123", "whatever", "zaq12wsx", "zxc123", "zxcvbnm", "zxcvbnm123",
};
static_assert(std::is_sorted(std::begin(common_passwords), std::end(common_passwords)));

constexpr std::size_t salt_bytes = 16;
constexpr std::size_t hash_bytes = 32;

char lower_ascii(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), lower_ascii);
  return out;
}

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// A byte an address may hold: no control characters, spaces or the specials of RFC 5322.
bool email_byte(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u == 0x7f) return false;
  return std::strchr("<>()[],;:\"\\@", c) == nullptr;
}

bool valid_domain(std::string_view d) noexcept {
  if (d.find('.') == std::string_view::npos) return false;
  std::size_t start = 0;
  while (start <= d.size()) {
    const auto dot = std::min(d.find('.', start), d.size());
    const auto label = d.substr(start, dot - start);
    if (label.empty() || label.front() == '-' || label.back() == '-') return false;
    start = dot + 1;
  }
  return true;
}

bool valid_email(std::string_view e) noexcept {
  const auto at = e.find('@');
  if (e.size() > 254 || at == std::string_view::npos || e.find('@', at + 1) != std::string_view::npos) return false;
  const auto local = e.substr(0, at);
  const auto domain = e.substr(at + 1);
  if (local.empty() || local.size() > 64 || domain.empty()) return false;
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
  const auto ok = [](std::string_view part) { return std::all_of(part.begin(), part.end(), email_byte); };
  return ok(local) && ok(domain) && valid_domain(domain);
}

// `$argon2id$v=19$m=<m>,t=<t>,p=<p>$`: what every hash under these parameters begins with.
std::string phc_prefix(const password_params& p) {
  return "$argon2id$v=" + std::to_string(ARGON2_VERSION_NUMBER) + "$m=" + std::to_string(p.memory_kib) +
         ",t=" + std::to_string(p.iterations) + ",p=" + std::to_string(p.parallelism) + "$";
}

}  // namespace

result<std::string> normalize_email(std::string_view email) {
  std::string e = lower(trim(email));
  if (!valid_email(e)) return make_error(errc::invalid_argument, "not an email address");
  return e;
}

bool is_common_password(std::string_view password) noexcept {
  try {
    const std::string key = lower(password);
    return std::binary_search(std::begin(common_passwords), std::end(common_passwords), std::string_view(key));
  } catch (...) {
    return true;  // out of memory: refuse rather than accept
  }
}

result<void> check_password_policy(std::string_view password) {
  if (password.size() < min_password_length)
    return make_error(errc::weak_password,
                      "the password must have at least " + std::to_string(min_password_length) + " characters");
  if (is_common_password(password)) return make_error(errc::weak_password, "the password is too common");
  return {};
}

result<std::string> hash_password(std::string_view password, const password_params& params) {
  std::array<unsigned char, salt_bytes> salt{};
  detail::random_bytes(salt);
  std::string encoded(argon2_encodedlen(params.iterations, params.memory_kib, params.parallelism, salt_bytes,
                                        hash_bytes, Argon2_id),
                      '\0');
  const int rc = argon2id_hash_encoded(params.iterations, params.memory_kib, params.parallelism, password.data(),
                                       password.size(), salt.data(), salt.size(), hash_bytes, encoded.data(),
                                       encoded.size());
  if (rc != ARGON2_OK)
    return make_error(errc::invalid_argument, std::string("argon2id: ") + argon2_error_message(rc));
  encoded.resize(std::strlen(encoded.c_str()));
  return encoded;
}

bool verify_password(std::string_view encoded, std::string_view password) noexcept {
  try {
    const std::string phc(encoded);  // argon2 wants a NUL-terminated string
    return argon2id_verify(phc.c_str(), password.data(), password.size()) == ARGON2_OK;
  } catch (...) {
    return false;
  }
}

bool needs_rehash(std::string_view encoded, const password_params& current) noexcept {
  try {
    return !encoded.starts_with(phc_prefix(current));
  } catch (...) {
    return true;
  }
}

}  // namespace bankflow
