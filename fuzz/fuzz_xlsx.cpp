// A worksheet's XML (the fuzzer's bytes) inside an otherwise valid XLSX, built in memory: the
// expat handlers, the cell rendering and every Excel layout see hostile XML. (Mutating a whole
// XLSX rarely gets past the ZIP's CRCs, so the container is made here.)
#include "sheet/workbook.hpp"

#include <bankflow/bankflow.hpp>

#include <zip.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view rels =
    R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>)";
constexpr std::string_view workbook =
    R"(<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" )"
    R"(xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>)"
    R"(<sheet name="Lançamentos" sheetId="1" r:id="rId1"/></sheets></workbook>)";
constexpr std::string_view book_rels =
    R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)"
    R"(<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>)"
    R"(<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>)"
    R"(<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>)"
    R"(</Relationships>)";
constexpr std::string_view strings =
    R"(<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
    R"(<si><t>data</t></si><si><t>lançamento</t></si><si><t>valor (R$)</t></si><si><t>saldos (R$)</t></si>)"
    R"(<si><t>Logotipo Itaú</t></si><si><r><t>PIX</t></r><r><t>_x000D_ENVIADO</t></r></si></sst>)";
constexpr std::string_view styles =
    R"(<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">)"
    R"(<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>)"
    R"(<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>)";

bool add(zip_t* za, const char* name, std::string_view content) {
  zip_source_t* s = zip_source_buffer(za, content.data(), content.size(), 0);
  if (s == nullptr) return false;
  if (zip_file_add(za, name, s, ZIP_FL_OVERWRITE) < 0) {
    zip_source_free(s);
    return false;
  }
  zip_set_file_compression(za, static_cast<zip_uint64_t>(zip_name_locate(za, name, 0)), ZIP_CM_STORE, 0);
  return true;
}

std::string make_xlsx(std::string_view sheet) {
  zip_error_t err;
  zip_error_init(&err);
  zip_source_t* buf = zip_source_buffer_create(nullptr, 0, 0, &err);
  if (buf == nullptr) return {};
  zip_source_keep(buf);
  std::string out;
  if (zip_t* za = zip_open_from_source(buf, ZIP_TRUNCATE, &err)) {
    const bool ok = add(za, "_rels/.rels", rels) && add(za, "xl/workbook.xml", workbook) &&
                    add(za, "xl/_rels/workbook.xml.rels", book_rels) && add(za, "xl/sharedStrings.xml", strings) &&
                    add(za, "xl/styles.xml", styles) && add(za, "xl/worksheets/sheet1.xml", sheet);
    if (!ok || zip_close(za) != 0) zip_discard(za);
    else if (zip_source_open(buf) == 0) {
      zip_source_seek(buf, 0, SEEK_END);
      const zip_int64_t size = zip_source_tell(buf);
      zip_source_seek(buf, 0, SEEK_SET);
      if (size > 0) {
        out.resize(static_cast<std::size_t>(size));
        if (zip_source_read(buf, out.data(), static_cast<zip_uint64_t>(size)) != size) out.clear();
      }
      zip_source_close(buf);
    }
  }
  zip_source_free(buf);
  zip_error_fini(&err);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string bytes = make_xlsx(std::string_view(reinterpret_cast<const char*>(data), size));
  if (bytes.empty()) return 0;
  // the fast reader and the reference (expat) must agree on every sheet both read
  auto fast = bankflow::detail::read_xlsx(bytes, {});
  auto reference = bankflow::detail::read_xlsx(bytes, {.reference_reader = true});
  if (fast && reference) {
    if (fast->sheets.size() != reference->sheets.size()) __builtin_trap();
    for (std::size_t i = 0; i < fast->sheets.size(); ++i)
      if (fast->sheets[i].text != reference->sheets[i].text) __builtin_trap();
  }
  (void)bankflow::detect(bytes);
  for (const auto& format : bankflow::known_formats()) {
    auto st = bankflow::parse(bytes, {.format = format.id, .skip_bad_rows = true});
    if (st) (void)bankflow::to_json(*st);
    else (void)st.error().to_string();
  }
  auto st = bankflow::parse(bytes, {});
  if (st) (void)bankflow::to_csv(*st);
  return 0;
}
