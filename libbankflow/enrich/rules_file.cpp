// A user's category rules from JSON (rules.hpp): checked strictly, so a typo is an error naming
// the rule and the field, never a rule that silently matches every row.

#include <bankflow/json.hpp>
#include <bankflow/money.hpp>
#include <bankflow/rules.hpp>

#include "enrich/row.hpp"
#include "enrich/text.hpp"

#include <boost/json.hpp>

#include <array>
#include <fstream>
#include <iterator>

namespace bankflow {
namespace {

namespace json = boost::json;

// An error about the document `name` (rule 0: the document itself), in one place for every check.
struct rules_errors {
  std::string_view name;

  [[nodiscard]] error at(std::size_t rule, std::string_view field, const std::string& what) const {
    std::string message(name);
    if (rule > 0) message += ": rule " + std::to_string(rule);
    if (!field.empty()) message += ": " + std::string(field);
    return make_error(errc::invalid_argument, message + ": " + what, 0, std::string(field));
  }
};

// Every kind's name, for the message of an unknown one.
std::string kind_names() {
  std::string out;
  for (unsigned k = 1; k <= static_cast<unsigned>(transaction_kind::direct_debit); ++k)
    out.append(to_string(static_cast<transaction_kind>(k))).append(", ");
  return out + std::string(to_string(transaction_kind::other));  // `other` is 0, and last in the docs
}

result<std::string_view> text_of(const json::value& v, const rules_errors& err, std::size_t rule,
                                 std::string_view field, bool required) {
  if (!v.is_string()) return err.at(rule, field, "must be text");
  const json::string& s = v.get_string();
  if (required && s.empty()) return err.at(rule, field, "must not be empty");
  if (s.size() > 200) return err.at(rule, field, "is longer than 200 characters");
  return std::string_view(s.data(), s.size());
}

result<std::uint32_t> kinds_of(const json::value& v, const rules_errors& err, std::size_t rule) {
  std::uint32_t bits = 0;
  auto add = [&](const json::value& one) -> result<void> {
    auto name = text_of(one, err, rule, "kind", true);
    if (!name) return name.error();
    auto kind = parse_transaction_kind(*name);
    if (!kind) return err.at(rule, "kind", "unknown kind \"" + std::string(*name) + "\" (one of " + kind_names() + ")");
    bits |= kind_bit(*kind);
    return {};
  };
  if (v.is_array()) {
    if (v.get_array().empty()) return err.at(rule, "kind", "an empty list matches nothing");
    for (const auto& one : v.get_array())
      if (auto ok = add(one); !ok) return ok.error();
  } else if (auto ok = add(v); !ok) {
    return ok.error();
  }
  return bits;
}

result<amount_sign> sign_of(const json::value& v, const rules_errors& err, std::size_t rule) {
  auto word = text_of(v, err, rule, "sign", true);
  if (!word) return word.error();
  if (*word == "any") return amount_sign::any;
  if (*word == "credit") return amount_sign::credit;
  if (*word == "debit") return amount_sign::debit;
  return err.at(rule, "sign", "must be \"credit\", \"debit\" or \"any\", not \"" + std::string(*word) + "\"");
}

// One rule object, appended to `out` (which copies its text).
result<void> add_rule(const json::value& v, const rules_errors& err, std::size_t rule, rule_set& out) {
  if (!v.is_object()) return err.at(rule, {}, "must be an object with a \"category\"");
  const json::object& o = v.as_object();
  category_rule r;
  const std::string default_id = "#" + std::to_string(rule);
  r.id = default_id;
  bool has_category = false;
  for (const auto& [key, value] : o) {
    if (key == "category") {
      auto c = text_of(value, err, rule, "category", true);
      if (!c) return c.error();
      r.category = *c;
      has_category = true;
    } else if (key == "id") {
      auto id = text_of(value, err, rule, "id", true);
      if (!id) return id.error();
      r.id = *id;
    } else if (key == "merchant" || key == "description") {
      auto words = text_of(value, err, rule, key, false);
      if (!words) return words.error();
      (key == "merchant" ? r.merchant : r.description) = *words;
    } else if (key == "kind") {
      auto bits = kinds_of(value, err, rule);
      if (!bits) return bits.error();
      r.kinds = *bits;
    } else if (key == "sign") {
      auto s = sign_of(value, err, rule);
      if (!s) return s.error();
      r.sign = *s;
    } else {
      return err.at(rule, key, "unknown key (a rule has category, id, kind, merchant, description and sign)");
    }
  }
  if (!has_category) return err.at(rule, "category", "is missing: what should a matching row be?");
  out.add(r);
  return {};
}

}  // namespace

result<rules_file> parse_rules(std::string_view text, std::string_view name) {
  const rules_errors err{name};
  if (text.size() > max_rules_file_bytes) return err.at(0, {}, "is larger than 1 MiB");
  json::parse_options options;
  options.max_depth = 8;
  std::error_code ec;
  json::value doc = json::parse(json::string_view(text.data(), text.size()), ec, {}, options);
  if (ec) return err.at(0, {}, "is not JSON: " + ec.message());
  const json::array* rules = nullptr;
  bool defaults = true;
  if (doc.is_array()) {
    rules = &doc.get_array();
  } else if (doc.is_object()) {
    for (const auto& [key, value] : doc.get_object()) {
      if (key == "rules" && value.is_array()) {
        rules = &value.get_array();
      } else if (key == "defaults" && value.is_bool()) {
        defaults = value.get_bool();
      } else if (key == "rules" || key == "defaults") {
        return err.at(0, key, key == "rules" ? "must be a list of rules" : "must be true or false");
      } else {
        return err.at(0, key, "unknown key (a rules file has \"rules\" and \"defaults\")");
      }
    }
    if (rules == nullptr) return err.at(0, "rules", "is missing");
  } else {
    return err.at(0, {}, "must be a list of rules or an object with \"rules\"");
  }
  if (rules->size() > max_rules_in_file) return err.at(0, "rules", "holds more than 10,000 rules");
  rules_file out;
  for (std::size_t i = 0; i < rules->size(); ++i)
    if (auto ok = add_rule((*rules)[i], err, i + 1, out.rules); !ok) return ok.error();
  out.from_file = rules->size();
  if (defaults) out.rules.add_defaults();
  return out;
}

result<rules_file> load_rules(const std::filesystem::path& path) {
  const std::string name = path.filename().string();
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(errc::io_error, path.string() + ": cannot open the rules file");
  std::string text;
  std::array<char, 65536> chunk{};
  while (in.read(chunk.data(), chunk.size()) || in.gcount() > 0) {
    text.append(chunk.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_rules_file_bytes)
      return make_error(errc::invalid_argument, name + ": is larger than 1 MiB");
  }
  if (in.bad()) return make_error(errc::io_error, path.string() + ": cannot read the rules file");
  return parse_rules(text, name);
}

std::vector<category_match> trace_rules(const statement& st, const rules_file& rules) {
  const detail::category_matcher matcher(rules.rules.rules());  // indexed once for every row
  std::vector<category_match> out;
  out.reserve(st.transactions.size());
  detail::folded_text merchant, description;
  for (const transaction& t : st.transactions) {
    const row_details* d = st.details_of(t);
    merchant.assign(d != nullptr ? d->merchant : std::string_view());
    description.assign(t.description);
    out.push_back(matcher.match(t.kind, merchant.view(), description, t.amount));
  }
  return out;
}

std::vector<std::string_view> unused_rules(const rules_file& rules, std::span<const category_match> matches) {
  std::vector<bool> used(rules.from_file, false);
  for (const category_match& m : matches)
    if (m.rule != category_match::npos && rules.is_users(m.rule)) used[m.rule] = true;
  std::vector<std::string_view> out;
  for (std::size_t i = 0; i < rules.from_file; ++i)
    if (!used[i]) out.push_back(rules.rules.rules()[i].id);
  return out;
}

std::string rules_test_to_json(const statement& st, const rules_file& rules, std::span<const category_match> matches) {
  std::string out;
  json_writer w(out);
  w.begin_object().field("file_rules", static_cast<std::int64_t>(rules.from_file)).key("rows").begin_array();
  for (std::size_t i = 0; i < st.transactions.size() && i < matches.size(); ++i) {
    const transaction& t = st.transactions[i];
    const row_details* d = st.details_of(t);
    w.begin_object()
        .field("line", static_cast<std::int64_t>(t.line))
        .field("date", format_date(t.posted))
        .field("amount", format_amount(t.amount))
        .field("description", t.description)
        .field("kind", to_string(t.kind));
    if (d != nullptr && !d->merchant.empty()) w.field("merchant", d->merchant);
    else w.key("merchant").null();
    w.field("category", matches[i].category).key("rule");
    if (matches[i].rule == category_match::npos) {
      w.null();
    } else {
      w.begin_object()
          .field("index", static_cast<std::int64_t>(matches[i].rule))
          .field("id", rules.rules.rules()[matches[i].rule].id)
          .field("source", rules.is_users(matches[i].rule) ? "file" : "shipped")
          .end_object();
    }
    w.end_object();
  }
  w.end_array().key("unused").begin_array();
  for (std::string_view id : unused_rules(rules, matches)) w.string(id);
  w.end_array().end_object();
  return out;
}

}  // namespace bankflow
