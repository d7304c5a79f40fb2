/*
 * bankflow.h - the C ABI of bankflow (plain C99).
 *
 * Conventions (libgit2 style, see STYLE.md "C ABI"):
 *  - Every symbol starts with bf_ / BF_. Handles are opaque: created by bf_x_new / bf_x_open /
 *    bf_parse..., released by bf_x_free, which accepts NULL.
 *  - Every fallible call returns 0 or a negative BF_E... code and writes its results through the
 *    out-parameters that come FIRST in its argument list. On failure the out-parameters are left
 *    empty (NULL handle, empty bf_buf) and bf_error_last() describes what went wrong.
 *  - Text coming back is either BORROWED (a const char * owned by a handle, valid until that
 *    handle is freed; never free it) or OWNED (a bf_buf the caller releases with
 *    bf_buf_dispose). Each function says which.
 *  - Option structs begin with `unsigned int version` and are initialised with their _INIT
 *    macro; they only ever grow at the end.
 *  - Text is UTF-8. No C++ exception ever crosses this boundary.
 */
#ifndef BANKFLOW_H
#define BANKFLOW_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#  if defined(BF_STATIC)
#    define BF_EXTERN extern
#  elif defined(BF_BUILDING)
#    define BF_EXTERN extern __declspec(dllexport)
#  else
#    define BF_EXTERN extern __declspec(dllimport)
#  endif
#elif defined(__GNUC__) && __GNUC__ >= 4
#  define BF_EXTERN extern __attribute__((visibility("default")))
#else
#  define BF_EXTERN extern
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------------------------------------
 * Version
 * ------------------------------------------------------------------------------------------- */

#define BF_VERSION_MAJOR 0
#define BF_VERSION_MINOR 1
#define BF_VERSION_PATCH 0

/** The library's version, "0.1.0". Static storage; never NULL. */
BF_EXTERN const char *bf_version(void);

/* ---------------------------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------------------------- */

/**
 * Return codes. 0 is success; every error is negative. BF_EINVALID, BF_ENOMEM and BF_EINTERNAL
 * are raised by the binding itself; every other code is -(100 + n) where n is the stable
 * bankflow::errc value, so codes are never renumbered either.
 */
typedef enum bf_error_code {
  BF_OK = 0,
  BF_EINVALID = -1,   /* a NULL or invalid argument, an unknown option version (also errc::invalid_argument) */
  BF_ENOMEM = -2,     /* out of memory */
  BF_EINTERNAL = -3,  /* an unexpected failure inside the library (a bug) */

  BF_EEMPTY_INPUT = -101,
  BF_EBINARY_INPUT = -102,
  BF_EUNSUPPORTED_CONTAINER = -103,
  BF_EENCRYPTED = -104,
  BF_EDAMAGED_CONTAINER = -105,
  BF_ELIMIT_EXCEEDED = -106,
  BF_ENO_WORKSHEET = -107,
  BF_ESCANNED_PDF = -108,
  BF_ENOT_A_STATEMENT = -109,
  BF_EBAD_AMOUNT = -110,
  BF_EAMOUNT_OVERFLOW = -111,
  BF_EAMOUNT_PRECISION = -112,
  BF_EAMBIGUOUS_AMOUNT = -113,
  BF_EBAD_DATE = -114,
  BF_ECSV_UNTERMINATED_QUOTE = -120,
  BF_ECSV_BAD_HEADER = -121,
  BF_ECSV_BAD_ROW = -122,
  BF_EOFX_NOT_OFX = -130,
  BF_EOFX_TRUNCATED = -131,
  BF_EOFX_NO_STATEMENT = -132,
  BF_EOFX_BAD_ELEMENT = -133,
  BF_EUNKNOWN_FORMAT = -140,
  BF_EAMBIGUOUS_FORMAT = -141,
  BF_EUNKNOWN_BANK = -142,
  BF_EIO = -150,
  BF_EMISSING_HEADER = -160,
  BF_EMALFORMED_HEADER = -161,
  BF_EMALFORMED_SECRET = -162,
  BF_EBAD_TIMESTAMP = -163,
  BF_ETIMESTAMP_TOO_OLD = -164,
  BF_ETIMESTAMP_IN_FUTURE = -165,
  BF_ENO_MATCHING_SIGNATURE = -166,
  BF_EREPLAYED = -167,
  BF_ESESSION_INVALID = -170,
  BF_ESESSION_EXPIRED = -171,
  BF_ESESSION_REVOKED = -172,
  BF_ECSRF_INVALID = -173,
  BF_ERATE_LIMITED = -174,
  BF_ENOTFOUND = -175,
  BF_ESTORAGE = -180,
  BF_EINSUFFICIENT_STORAGE = -181,
  BF_EID_CONFLICT = -190,
  BF_EINSUFFICIENT_FUNDS = -191,
  BF_ECURRENCY_MISMATCH = -192,
  BF_EPENDING_RESOLVED = -193,
  BF_EPENDING_EXPIRED = -194,
  BF_EEXCEEDS_PENDING = -195,
  BF_ELINKED_FAILED = -196,
  BF_EOVER_OPERATION_LIMIT = -197,
  BF_EDAILY_LIMIT_REACHED = -198,
  BF_ENOT_READY = -200,
  BF_EIDEMPOTENCY_KEY_REQUIRED = -201,
  BF_EIDEMPOTENCY_MISMATCH = -202,
  BF_EIDEMPOTENCY_IN_PROGRESS = -203,
  BF_EPAYLOAD_TOO_LARGE = -204,
  BF_EINVALID_CREDENTIALS = -205,
  BF_EWEAK_PASSWORD = -206,
  BF_EALREADY_EXISTS = -207,
  BF_ELOGIN_REQUIRED = -208,
  BF_EPERMISSION_DENIED = -209,
  BF_EWALLET_NOT_EMPTY = -210
} bf_error_code;

/**
 * The message of the last call that failed on this thread ("" when none has failed). Never NULL.
 * BORROWED: thread-local storage, valid until the next failing bf_ call on this thread.
 */
BF_EXTERN const char *bf_error_last(void);

/**
 * The short stable name of a code: "ok", "invalid", "nomem", "internal", or bankflow's own name
 * ("bad_amount", "no_matching_signature", ...); "unknown" for any other value. Static; never NULL.
 */
BF_EXTERN const char *bf_error_name(int code);

/* ---------------------------------------------------------------------------------------------
 * Owned text
 * ------------------------------------------------------------------------------------------- */

/**
 * Text returned to the caller: `size` bytes at `ptr`, followed by a NUL that is not counted.
 * Functions taking a `bf_buf *out` overwrite it without freeing what it held (it is reset to
 * BF_BUF_INIT on failure): dispose a buffer before passing it again.
 */
typedef struct bf_buf {
  char *ptr;
  size_t size;
} bf_buf;

#define BF_BUF_INIT {NULL, 0}

/** Releases a buffer's memory and resets it to BF_BUF_INIT. Accepts NULL and an empty buffer. */
BF_EXTERN void bf_buf_dispose(bf_buf *buf);

/** Formats minor units as a decimal string: -123456 -> "-1234.56". OWNED: dispose `out`. */
BF_EXTERN int bf_format_amount(bf_buf *out, int64_t minor);

/* ---------------------------------------------------------------------------------------------
 * Parsing
 * ------------------------------------------------------------------------------------------- */

/** A parsed, normalized statement. */
typedef struct bf_statement bf_statement;

/**
 * A user's category rules (README "Categories and rules"; the JSON of `bankflow convert --rules`):
 * the file's rules, then the shipped ones unless it says "defaults": false. First match wins.
 */
typedef struct bf_rules bf_rules;

/**
 * Reads a rules document of `size` bytes at `json` (copied). On success *out is rules to release
 * with bf_rules_free. Errors: BF_EINVALID (the message names the rule and field: an unknown
 * kind, key or sign, a missing category, not JSON, over 1 MiB or 10,000 rules).
 */
BF_EXTERN int bf_rules_parse(bf_rules **out, const char *json, size_t size);

/** Reads the rules file at `path` like bf_rules_parse. Errors: BF_EIO and bf_rules_parse's. */
BF_EXTERN int bf_rules_load(bf_rules **out, const char *path);

/** Number of rules in the file (not counting the shipped ones after them); 0 for NULL. */
BF_EXTERN size_t bf_rules_count(const bf_rules *rules);

/** Releases rules (NULL is fine). Statements parsed with them stay valid. */
BF_EXTERN void bf_rules_free(bf_rules *rules);

#define BF_PARSE_OPTIONS_VERSION 4

typedef struct bf_parse_options {
  unsigned int version;   /* BF_PARSE_OPTIONS_VERSION */
  const char *format;     /* force a format id ("ofx", "itau-extrato-csv"); NULL or "" = detect */
  const char *bank;       /* force / restrict to a bank id ("bb"); NULL or "" = detect */
  const char *file_name;  /* only for error messages; NULL = none (bf_parse_file: the path) */
  /* version 2: non-zero leaves out a row that cannot be read (bad amount or date, wrong shape,
   * an OFX transaction without DTPOSTED/TRNAMT) and lists it (bf_statement_skipped_*) instead of
   * failing; file-level errors still fail. 0 = strict. */
  int skip_bad_rows;
  /* version 3, PDFs: the document's password (NULL or "" = none; copied for the call only, never
   * stored), and the pages to read (1-based, inclusive; 0 = from the first / to the last). */
  const char *password;
  unsigned int first_page;
  unsigned int last_page;
  /* version 4: the category rules every row is matched against (bf_rules_parse); NULL = the
   * shipped ones. Used during the call only. */
  const bf_rules *rules;
} bf_parse_options;

#define BF_PARSE_OPTIONS_INIT {BF_PARSE_OPTIONS_VERSION, NULL, NULL, NULL, 0, NULL, 0, 0, NULL}

/**
 * Detects (unless forced) and parses `size` bytes at `data` (copied; the caller keeps them).
 * `options` may be NULL. On success *out is a statement to release with bf_statement_free.
 * Errors: BF_EINVALID, the input, detection, CSV and OFX codes.
 */
BF_EXTERN int bf_parse(bf_statement **out, const void *data, size_t size,
                       const bf_parse_options *options);

/** Reads the file at `path` and parses it like bf_parse. Errors: BF_EIO and bf_parse's. */
BF_EXTERN int bf_parse_file(bf_statement **out, const char *path, const bf_parse_options *options);

/** How a PDF statement or bill checks against the bank's own figures (statement.reconciliation). */
typedef enum bf_reconciliation_status {
  BF_RECONCILIATION_NONE = 0,        /* the format has no such check (not a PDF) */
  BF_RECONCILIATION_NOT_PRINTED = 1, /* the document prints no figure to check against */
  BF_RECONCILIATION_OK = 2,          /* the rows give the printed total (or closing balance) */
  BF_RECONCILIATION_MISMATCH = 3     /* they do not: the rows were left as printed; see warnings */
} bf_reconciliation_status;

/**
 * The document's check: its status, and (when printed) the printed figure and what the rows give,
 * in minor units. `printed` and `computed` may be NULL. Returns the status (0 for NULL `st`).
 */
BF_EXTERN int bf_statement_reconciliation(const bf_statement *st, int64_t *printed, int64_t *computed);

/** Releases a statement and every borrowed string taken from it. Accepts NULL. */
BF_EXTERN void bf_statement_free(bf_statement *st);

/*
 * Statement fields. Every const char * below is BORROWED from the statement: valid until
 * bf_statement_free. They return NULL only when `st` is NULL or an index is out of range.
 */

/** The bank id ("bb", "itau", "unknown"). */
BF_EXTERN const char *bf_statement_bank(const bf_statement *st);
/** The bank's display name ("Banco do Brasil"), or the name the file states for unknown banks. */
BF_EXTERN const char *bf_statement_bank_name(const bf_statement *st);
/** The bank code the file states (BANKID/FID), may be "". */
BF_EXTERN const char *bf_statement_bank_code(const bf_statement *st);
/** The format id ("ofx", "itau-extrato-csv", ...). */
BF_EXTERN const char *bf_statement_format(const bf_statement *st);
/** ISO 4217 currency ("BRL"). */
BF_EXTERN const char *bf_statement_currency(const bf_statement *st);
/** First / last date of the statement, "YYYY-MM-DD", or "" when unknown. */
BF_EXTERN const char *bf_statement_period_start(const bf_statement *st);
BF_EXTERN const char *bf_statement_period_end(const bf_statement *st);
/** Detection confidence 0..1 (1 when forced). Errors: BF_EINVALID. */
BF_EXTERN int bf_statement_confidence(double *out, const bf_statement *st);

/** Number of accounts (at least 1 for a parsed statement; 0 for NULL). */
BF_EXTERN size_t bf_statement_account_count(const bf_statement *st);
/** Account `i`'s branch (may be ""), number, and kind ("checking", "savings", "credit_card", "unknown"). */
BF_EXTERN const char *bf_statement_account_branch(const bf_statement *st, size_t i);
BF_EXTERN const char *bf_statement_account_number(const bf_statement *st, size_t i);
BF_EXTERN const char *bf_statement_account_kind(const bf_statement *st, size_t i);
/** Account `i`'s opening / closing balance in minor units. Errors: BF_ENOTFOUND when the file
 *  states none, BF_EINVALID. */
BF_EXTERN int bf_statement_account_opening_balance(int64_t *out, const bf_statement *st, size_t i);
BF_EXTERN int bf_statement_account_closing_balance(int64_t *out, const bf_statement *st, size_t i);

/** Number of transactions (0 for NULL). */
BF_EXTERN size_t bf_statement_transaction_count(const bf_statement *st);
/** Transaction `i`: date "YYYY-MM-DD", description, document number (may be ""), bank id FITID
 *  (may be ""), dedupe key (16 lower-case hex digits), the number of its account. */
BF_EXTERN const char *bf_statement_tx_date(const bf_statement *st, size_t i);
BF_EXTERN const char *bf_statement_tx_description(const bf_statement *st, size_t i);
BF_EXTERN const char *bf_statement_tx_document(const bf_statement *st, size_t i);
BF_EXTERN const char *bf_statement_tx_fitid(const bf_statement *st, size_t i);
BF_EXTERN const char *bf_statement_tx_dedupe_key(const bf_statement *st, size_t i);
BF_EXTERN const char *bf_statement_tx_account(const bf_statement *st, size_t i);
/** Transaction `i`'s signed amount in minor units (positive = money in). Errors: BF_EINVALID. */
BF_EXTERN int bf_statement_tx_amount(int64_t *out, const bf_statement *st, size_t i);
/** Transaction `i`'s running balance. Errors: BF_ENOTFOUND when the file gives none, BF_EINVALID. */
BF_EXTERN int bf_statement_tx_balance(int64_t *out, const bf_statement *st, size_t i);
/** Transaction `i`'s 1-based source line. Errors: BF_EINVALID. */
BF_EXTERN int bf_statement_tx_line(size_t *out, const bf_statement *st, size_t i);

/** Number of warnings (skipped or repaired rows; 0 for NULL). */
BF_EXTERN size_t bf_statement_warning_count(const bf_statement *st);
/** Warning `i`'s message (BORROWED). */
BF_EXTERN const char *bf_statement_warning_message(const bf_statement *st, size_t i);
/** Warning `i`'s 1-based line (0 when unknown). Errors: BF_EINVALID. */
BF_EXTERN int bf_statement_warning_line(size_t *out, const bf_statement *st, size_t i);

/** Number of rows left out by bf_parse_options.skip_bad_rows (0 for NULL), in file order. */
BF_EXTERN size_t bf_statement_skipped_count(const bf_statement *st);
/** Skipped row `i`'s 1-based line (0 when unknown). Errors: BF_EINVALID. */
BF_EXTERN int bf_statement_skipped_line(size_t *out, const bf_statement *st, size_t i);
/** Skipped row `i` (BORROWED): why, as the error code's name ("bad_amount"); the column or element
 *  (may be ""); "field: message" as in the JSON; the row's text as the file has it; the sheet and
 *  cell of a spreadsheet ("" for text files). */
BF_EXTERN const char *bf_statement_skipped_code(const bf_statement *st, size_t i);
BF_EXTERN const char *bf_statement_skipped_field(const bf_statement *st, size_t i);
BF_EXTERN const char *bf_statement_skipped_message(const bf_statement *st, size_t i);
BF_EXTERN const char *bf_statement_skipped_raw(const bf_statement *st, size_t i);
BF_EXTERN const char *bf_statement_skipped_sheet(const bf_statement *st, size_t i);
BF_EXTERN const char *bf_statement_skipped_cell(const bf_statement *st, size_t i);

/* ---------------------------------------------------------------------------------------------
 * Detection
 * ------------------------------------------------------------------------------------------- */

/** Every way to read some bytes, best first. */
typedef struct bf_detection bf_detection;

/**
 * Detects the formats of `size` bytes at `data` (only the first 64 KiB matter). On success
 * *out lists zero or more candidates; release it with bf_detection_free.
 * Errors: BF_EINVALID, BF_EEMPTY_INPUT, BF_EBINARY_INPUT, BF_EUNSUPPORTED_CONTAINER.
 */
BF_EXTERN int bf_detect(bf_detection **out, const void *data, size_t size);

/** Releases a detection. Accepts NULL. */
BF_EXTERN void bf_detection_free(bf_detection *d);

/** Number of candidates (0 for NULL). */
BF_EXTERN size_t bf_detection_count(const bf_detection *d);
/** Candidate `i`'s format id. BORROWED from `d`; NULL when `d` is NULL or `i` out of range. */
BF_EXTERN const char *bf_detection_format(const bf_detection *d, size_t i);
/** Candidate `i`'s bank id, "" when the bank is unknown. BORROWED; NULL as above. */
BF_EXTERN const char *bf_detection_bank(const bf_detection *d, size_t i);
/** The bank code the file states, may be "". BORROWED; NULL as above. */
BF_EXTERN const char *bf_detection_bank_code(const bf_detection *d, size_t i);
/** Candidate `i`'s confidence 0..1. Errors: BF_EINVALID. */
BF_EXTERN int bf_detection_confidence(double *out, const bf_detection *d, size_t i);
/** The detection as bankflow's JSON (as `bankflow detect --json`). OWNED: dispose `out`. */
BF_EXTERN int bf_detection_to_json(bf_buf *out, const bf_detection *d);

/* ---------------------------------------------------------------------------------------------
 * Export
 * ------------------------------------------------------------------------------------------- */

typedef enum bf_csv_style {
  BF_CSV_STANDARD = 0,  /* RFC 4180, UTF-8, ',' and '.' decimals, no BOM */
  BF_CSV_EXCEL_BR = 1   /* ';', decimal comma, UTF-8 BOM, CRLF: opens cleanly in Excel pt-BR */
} bf_csv_style;

#define BF_CSV_OPTIONS_VERSION 1

typedef struct bf_csv_options {
  unsigned int version;  /* BF_CSV_OPTIONS_VERSION */
  bf_csv_style style;
} bf_csv_options;

#define BF_CSV_OPTIONS_INIT {BF_CSV_OPTIONS_VERSION, BF_CSV_STANDARD}

/** The normalized CSV (what `bankflow convert` writes). `options` may be NULL (standard).
 *  OWNED: dispose `out`. Errors: BF_EINVALID. */
BF_EXTERN int bf_statement_to_csv(bf_buf *out, const bf_statement *st, const bf_csv_options *options);

/** The normalized JSON (what `bankflow convert --to json` writes). OWNED: dispose `out`. */
BF_EXTERN int bf_statement_to_json(bf_buf *out, const bf_statement *st);

/** The statement as an Excel workbook: the bytes of an .xlsx (`ptr`, `size`; binary, NUL bytes
 *  inside), the same as `bankflow convert --to xlsx`. A private temporary file is made in $TMPDIR
 *  (else /tmp) and removed. OWNED: dispose `out`. Errors: BF_EIO, BF_ELIMIT_EXCEEDED,
 *  BF_EAMOUNT_OVERFLOW. */
BF_EXTERN int bf_statement_to_xlsx(bf_buf *out, const bf_statement *st);

/** The skipped rows as CSV, header `line,sheet,cell,code,message,raw` (what `bankflow convert
 *  --skip-bad-rows -o out.csv` writes to out.skipped.csv). OWNED: dispose `out`. */
BF_EXTERN int bf_statement_skipped_to_csv(bf_buf *out, const bf_statement *st);

/* ---------------------------------------------------------------------------------------------
 * Webhooks
 * ------------------------------------------------------------------------------------------- */

typedef enum bf_webhook_scheme {
  BF_WEBHOOK_STANDARD = 0,    /* Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature */
  BF_WEBHOOK_STRIPE = 1,      /* Stripe-Signature: t=...,v1=<hex> */
  BF_WEBHOOK_GITHUB = 2,      /* X-Hub-Signature-256: sha256=<hex> */
  BF_WEBHOOK_HMAC_SHA256 = 3  /* one configurable header carrying HMAC-SHA256(secret, body) */
} bf_webhook_scheme;

typedef enum bf_signature_encoding {
  BF_ENCODING_HEX = 0,
  BF_ENCODING_BASE64 = 1
} bf_signature_encoding;

/** A received header; both strings are NUL-terminated and only read during the call. */
typedef struct bf_header {
  const char *name;
  const char *value;
} bf_header;

#define BF_WEBHOOK_OPTIONS_VERSION 1

typedef struct bf_webhook_options {
  unsigned int version;              /* BF_WEBHOOK_OPTIONS_VERSION */
  bf_webhook_scheme scheme;
  const char *const *secrets;        /* secret_count secrets, any of which may sign (rotation) */
  size_t secret_count;
  int64_t tolerance_seconds;         /* accepted clock difference, both directions (default 300) */
  const char *hmac_header;           /* BF_WEBHOOK_HMAC_SHA256: the header; NULL = "X-Signature" */
  bf_signature_encoding hmac_encoding; /* BF_WEBHOOK_HMAC_SHA256: hex or base64 */
  const char *hmac_prefix;           /* BF_WEBHOOK_HMAC_SHA256: text before the MAC; NULL = none */
  const char *hmac_id_header;        /* BF_WEBHOOK_HMAC_SHA256: delivery-id header; NULL = none */
  int64_t now;                       /* Unix seconds to judge timestamps by; 0 = the system clock */
  int reject_replays;                /* non-zero: the verifier remembers accepted event ids (in
                                        memory) and a second delivery fails with BF_EREPLAYED */
} bf_webhook_options;

#define BF_WEBHOOK_OPTIONS_INIT \
  {BF_WEBHOOK_OPTIONS_VERSION, BF_WEBHOOK_STANDARD, NULL, 0, 300, NULL, BF_ENCODING_HEX, NULL, NULL, 0, 0}

/** Verifies deliveries of one scheme against a set of secrets. Thread-safe once created. */
typedef struct bf_webhook_verifier bf_webhook_verifier;

/**
 * Creates a verifier; the options and secrets are copied. Release it with
 * bf_webhook_verifier_free. Errors: BF_EINVALID (no secret, negative tolerance, bad version),
 * BF_EMALFORMED_SECRET (empty, or bad base64 for Standard Webhooks).
 */
BF_EXTERN int bf_webhook_verifier_new(bf_webhook_verifier **out, const bf_webhook_options *options);

/** Releases a verifier. Accepts NULL. */
BF_EXTERN void bf_webhook_verifier_free(bf_webhook_verifier *v);

#define BF_WEBHOOK_EVENT_VERSION 1

/** A verified delivery. */
typedef struct bf_webhook_event {
  unsigned int version;  /* BF_WEBHOOK_EVENT_VERSION */
  bf_buf id;             /* OWNED: the event/delivery id, may be empty; bf_webhook_event_dispose */
  int has_timestamp;     /* non-zero when the scheme carries a timestamp */
  int64_t timestamp;     /* Unix seconds */
  size_t secret_index;   /* which of the secrets matched */
} bf_webhook_event;

#define BF_WEBHOOK_EVENT_INIT {BF_WEBHOOK_EVENT_VERSION, BF_BUF_INIT, 0, 0, 0}

/** Releases the event's id. Accepts NULL. */
BF_EXTERN void bf_webhook_event_dispose(bf_webhook_event *event);

/**
 * Verifies the raw body against the headers (names compare case-insensitively). `out` may be
 * NULL; otherwise it must be initialised with BF_WEBHOOK_EVENT_INIT and is filled on success.
 * Errors: BF_EINVALID, BF_EMISSING_HEADER, BF_EMALFORMED_HEADER, BF_EBAD_TIMESTAMP,
 * BF_ENO_MATCHING_SIGNATURE, BF_ETIMESTAMP_TOO_OLD, BF_ETIMESTAMP_IN_FUTURE, BF_EREPLAYED.
 */
BF_EXTERN int bf_webhook_verify(bf_webhook_event *out, const bf_webhook_verifier *v,
                                const bf_header *headers, size_t header_count,
                                const void *body, size_t body_size);

/*
 * Signing: the signature header's value for one delivery. OWNED: dispose `out`.
 * Secrets are NUL-terminated strings. Errors: BF_EINVALID, BF_EMALFORMED_SECRET.
 */

/** Standard Webhooks: "v1,<base64>" over id.timestamp.body (secret: "whsec_" + base64). */
BF_EXTERN int bf_webhook_sign_standard(bf_buf *out, const char *secret, const char *id,
                                       int64_t timestamp, const void *body, size_t body_size);
/** Stripe: "t=<timestamp>,v1=<hex>" over timestamp.body. */
BF_EXTERN int bf_webhook_sign_stripe(bf_buf *out, const char *secret, int64_t timestamp,
                                     const void *body, size_t body_size);
/** GitHub: "sha256=<hex>" over the body. */
BF_EXTERN int bf_webhook_sign_github(bf_buf *out, const char *secret, const void *body,
                                     size_t body_size);
/** The generic scheme: prefix (NULL = none) + hex or base64 of HMAC-SHA256(secret, body). */
BF_EXTERN int bf_webhook_sign_hmac(bf_buf *out, const char *secret, const void *body,
                                   size_t body_size, bf_signature_encoding encoding,
                                   const char *prefix);


/* ---------------------------------------------------------------------------------------------
 * Storage, sessions and rate limits
 * ------------------------------------------------------------------------------------------- */

/**
 * A clock: the current time as Unix milliseconds. Called by the library (possibly from several
 * threads) with the `ctx` given alongside it; it must not longjmp or unwind.
 */
typedef int64_t (*bf_clock_fn)(void *ctx);

/** A pool of connections to one SQL database (SQLite or PostgreSQL). Thread-safe. */
typedef struct bf_database bf_database;

#define BF_DATABASE_OPTIONS_VERSION 1

typedef struct bf_database_options {
  unsigned int version;     /* BF_DATABASE_OPTIONS_VERSION */
  size_t pool_size;         /* connections kept open (default 4) */
  int64_t busy_timeout_ms;  /* SQLite: how long a writer waits for the lock (default 15000) */
} bf_database_options;

#define BF_DATABASE_OPTIONS_INIT {BF_DATABASE_OPTIONS_VERSION, 4, 15000}

/**
 * Opens a database from a URL: "sqlite:///abs/path.db", "sqlite://rel/path.db",
 * "sqlite::memory:", "postgresql://user@host:port/db". `options` may be NULL.
 * Errors: BF_EINVALID (URL), BF_ESTORAGE (cannot connect).
 */
BF_EXTERN int bf_database_open(bf_database **out, const char *url, const bf_database_options *options);

/** Closes a database. Free every session store and rate limiter opened on it first. Accepts NULL. */
BF_EXTERN void bf_database_free(bf_database *db);

/** Anonymous sessions stored in a database (only SHA-256 of each token is kept). Thread-safe. */
typedef struct bf_session_store bf_session_store;

#define BF_SESSION_OPTIONS_VERSION 1

typedef struct bf_session_options {
  unsigned int version;      /* BF_SESSION_OPTIONS_VERSION */
  int64_t lifetime_seconds;  /* absolute lifetime from creation (default 86400) */
  bf_clock_fn clock;         /* NULL: the system clock */
  void *clock_ctx;
} bf_session_options;

#define BF_SESSION_OPTIONS_INIT {BF_SESSION_OPTIONS_VERSION, 86400, NULL, NULL}

/** Opens (and migrates) the session table of `db`, which must outlive the store. `options` may
 *  be NULL. Errors: BF_EINVALID (lifetime not positive), BF_ESTORAGE. */
BF_EXTERN int bf_session_store_open(bf_session_store **out, bf_database *db,
                                    const bf_session_options *options);
/** Accepts NULL. */
BF_EXTERN void bf_session_store_free(bf_session_store *store);

/** Creates a session. `token_out` (OWNED, for the client only) and `id_out` (OWNED, the public
 *  id, 32 hex digits; may be NULL) receive it. Errors: BF_EINVALID, BF_ESTORAGE. */
BF_EXTERN int bf_session_create(bf_buf *token_out, bf_buf *id_out, bf_session_store *store);

/** Validates a token and records activity; `id_out` (OWNED, may be NULL) receives the session
 *  id. Errors: BF_ESESSION_INVALID, BF_ESESSION_EXPIRED, BF_ESESSION_REVOKED, BF_ESTORAGE. */
BF_EXTERN int bf_session_validate(bf_buf *id_out, bf_session_store *store, const char *token);

/** Revokes a session by id (idempotent). Errors: BF_ENOTFOUND, BF_ESTORAGE. */
BF_EXTERN int bf_session_revoke(bf_session_store *store, const char *session_id);

/** Deletes every expired or revoked session; `count_out` (may be NULL) receives how many.
 *  Errors: BF_ESTORAGE. */
BF_EXTERN int bf_session_purge(size_t *count_out, bf_session_store *store);

/** Users and their API keys stored in a database (Argon2id password hashes, SHA-256 of key
 *  secrets): what a program embedding bankflow needs to check a login or a `Bearer` key. The
 *  account workflows (sessions, lockout, audit) are the C++ API's (bankflow::identity).
 *  Thread-safe. */
typedef struct bf_account_store bf_account_store;

#define BF_ACCOUNT_OPTIONS_VERSION 1

typedef struct bf_account_options {
  unsigned int version;  /* BF_ACCOUNT_OPTIONS_VERSION */
  uint32_t memory_kib;   /* Argon2id cost of new hashes (default 19456: OWASP's) */
  uint32_t iterations;   /* (default 2) */
  uint32_t parallelism;  /* (default 1) */
  bf_clock_fn clock;     /* NULL: the system clock */
  void *clock_ctx;
} bf_account_options;

#define BF_ACCOUNT_OPTIONS_INIT {BF_ACCOUNT_OPTIONS_VERSION, 19456, 2, 1, NULL, NULL}

/** Opens (and migrates) the account tables of `db`, which must outlive the store. `options` may
 *  be NULL. Errors: BF_EINVALID (parameters Argon2 refuses), BF_ESTORAGE. */
BF_EXTERN int bf_account_store_open(bf_account_store **out, bf_database *db, const bf_account_options *options);
/** Accepts NULL. */
BF_EXTERN void bf_account_store_free(bf_account_store *store);

/** Ok (0) when `password` may be an account's (at least 10 bytes, not a common password).
 *  Errors: BF_EWEAK_PASSWORD (bf_last_error_message says which rule), BF_EINVALID. */
BF_EXTERN int bf_password_check(const char *password);

/** Creates a user; `role` is "user", "operator" or "admin" (NULL: "user"). `user_json_out`
 *  (OWNED, may be NULL) receives {"id","email","display_name","role","created_at","disabled_at"}.
 *  Errors: BF_EINVALID (email, role), BF_EWEAK_PASSWORD, BF_EALREADY_EXISTS, BF_ESTORAGE. */
BF_EXTERN int bf_account_create_user(bf_buf *user_json_out, bf_account_store *store, const char *email,
                                     const char *password, const char *display_name, const char *role);

/** The login check: the user whose email and password these are, as JSON (see
 *  bf_account_create_user) in `user_json_out` (OWNED, may be NULL). The same error, at about
 *  the same cost, whatever is wrong (unknown email, wrong password, disabled user).
 *  Errors: BF_EINVALID_CREDENTIALS, BF_EINVALID (NULL arguments), BF_ESTORAGE. */
BF_EXTERN int bf_account_authenticate(bf_buf *user_json_out, bf_account_store *store, const char *email,
                                      const char *password);

/** A new API key of a user; `scope` is "read" or "read_write". `token_out` (OWNED) receives
 *  `bf_live_<id>_<secret>`: show it once, it is stored nowhere. Errors: BF_EINVALID (scope, a
 *  disabled user), BF_ENOTFOUND, BF_ESTORAGE. */
BF_EXTERN int bf_api_key_create(bf_buf *token_out, bf_account_store *store, const char *user_id, const char *name,
                                const char *scope);

/** Verifies a `Bearer` token (recording its use): `json_out` (OWNED, may be NULL) receives
 *  {"key":{"id","name","scope",…},"user":{…}}, `read_write_out` (may be NULL) 1 when the key may
 *  act, 0 when it may only read. Errors: BF_EINVALID_CREDENTIALS (malformed, unknown, revoked,
 *  wrong secret, disabled owner), BF_ESTORAGE. */
BF_EXTERN int bf_api_key_verify(bf_buf *json_out, int *read_write_out, bf_account_store *store, const char *token);

/** Revokes a key of a user (idempotent). Errors: BF_ENOTFOUND (no such key, or another user's),
 *  BF_ESTORAGE. */
BF_EXTERN int bf_api_key_revoke(bf_account_store *store, const char *user_id, const char *key_id);

/** Per-session rate limits (sliding windows), one limit per action. */
typedef struct bf_rate_limiter bf_rate_limiter;

/** A limiter counting in `db` (shared by every process using it; `db` must outlive the limiter)
 *  or, when `db` is NULL, in this process's memory. `clock` may be NULL (system clock).
 *  Errors: BF_ESTORAGE. */
BF_EXTERN int bf_rate_limiter_new(bf_rate_limiter **out, bf_database *db, bf_clock_fn clock,
                                  void *clock_ctx);
/** Accepts NULL. */
BF_EXTERN void bf_rate_limiter_free(bf_rate_limiter *limiter);

/** At most `limit` hits of `action` per session in any `window_seconds`-long interval. Set limits
 *  before sharing the limiter between threads. Errors: BF_EINVALID. */
BF_EXTERN int bf_rate_limiter_set_limit(bf_rate_limiter *limiter, const char *action, uint32_t limit,
                                        int64_t window_seconds);

/**
 * Counts one `action` of the session if its limit allows it: 0 when allowed, BF_ERATE_LIMITED
 * when not. `remaining_out` (hits still allowed) and `retry_after_out` (seconds until a hit
 * leaves the window, when denied) may be NULL. Errors: BF_ERATE_LIMITED, BF_EINVALID (no limit
 * set for the action), BF_ESTORAGE.
 */
BF_EXTERN int bf_rate_limiter_hit(uint32_t *remaining_out, int64_t *retry_after_out,
                                  bf_rate_limiter *limiter, const char *session_id, const char *action);

/* ---------------------------------------------------------------------------------------------
 * Ledger (double entry, int64 minor units)
 * ------------------------------------------------------------------------------------------- */

/** A ledger on its own database connection pool. Thread-safe. */
typedef struct bf_ledger bf_ledger;

#define BF_LEDGER_OPTIONS_VERSION 1

typedef struct bf_ledger_options {
  unsigned int version;  /* BF_LEDGER_OPTIONS_VERSION */
  bf_clock_fn clock;     /* decides pending timeouts; NULL: the system clock */
  void *clock_ctx;
} bf_ledger_options;

#define BF_LEDGER_OPTIONS_INIT {BF_LEDGER_OPTIONS_VERSION, NULL, NULL}

/** Opens the database at `url` (as bf_database_open) and the ledger in it (migrating it).
 *  `options` may be NULL. Errors: BF_EINVALID, BF_ESTORAGE. */
BF_EXTERN int bf_ledger_open(bf_ledger **out, const char *url, const bf_ledger_options *options);

/** Closes the ledger and its database. Accepts NULL. */
BF_EXTERN void bf_ledger_free(bf_ledger *ledger);

/** Account flag: debits (posted + pending) may never exceed posted credits. */
#define BF_ACCOUNT_NO_OVERDRAFT 1u

/** Creates an account (ids are 1-128 bytes; `currency` NULL = "BRL"; `owner` may be NULL).
 *  `existed_out` (may be NULL) is set to 1 when the same account already existed.
 *  Errors: BF_EINVALID, BF_EID_CONFLICT (same id, other fields), BF_ESTORAGE. */
BF_EXTERN int bf_ledger_create_account(int *existed_out, bf_ledger *ledger, const char *id,
                                       const char *currency, uint32_t flags, const char *owner);

#define BF_ACCOUNT_BALANCE_VERSION 1

/** An account's counters in minor units. */
typedef struct bf_account_balance {
  unsigned int version;  /* BF_ACCOUNT_BALANCE_VERSION */
  int64_t debits_posted;
  int64_t credits_posted;
  int64_t debits_pending;
  int64_t credits_pending;
  int64_t balance;       /* credits_posted - debits_posted */
  int64_t available;     /* balance - debits_pending: what may still leave the account */
} bf_account_balance;

#define BF_ACCOUNT_BALANCE_INIT {BF_ACCOUNT_BALANCE_VERSION, 0, 0, 0, 0, 0, 0}

/** Reads an account's counters (voiding its expired holds first). `out` must be initialised
 *  with BF_ACCOUNT_BALANCE_INIT. Errors: BF_ENOTFOUND, BF_EINVALID, BF_ESTORAGE. */
BF_EXTERN int bf_ledger_balance(bf_account_balance *out, bf_ledger *ledger, const char *account_id);

typedef enum bf_transfer_kind {
  BF_TRANSFER_IMMEDIATE = 0,
  BF_TRANSFER_PENDING = 1,  /* a hold: reserves the amount until posted, voided or expired */
  BF_TRANSFER_POST = 2,     /* posts a pending transfer (amount 0: all of it) */
  BF_TRANSFER_VOID = 3      /* voids a pending transfer */
} bf_transfer_kind;

typedef enum bf_transfer_state {
  BF_TRANSFER_POSTED = 0,
  BF_TRANSFER_HELD = 1,     /* a pending transfer not yet resolved */
  BF_TRANSFER_VOIDED = 2,
  BF_TRANSFER_EXPIRED = 3
} bf_transfer_state;

#define BF_TRANSFER_REQUEST_VERSION 1

/** One transfer to submit: money leaves debit_account and arrives in credit_account. */
typedef struct bf_transfer_request {
  unsigned int version;        /* BF_TRANSFER_REQUEST_VERSION */
  const char *id;              /* caller-chosen idempotency key, 1-128 bytes */
  bf_transfer_kind kind;
  const char *debit_account;   /* post/void: NULL = the pending's */
  const char *credit_account;  /* post/void: NULL = the pending's */
  int64_t amount;              /* > 0 (post: 0 = all that is pending; void: 0 or the pending amount) */
  const char *pending_id;      /* post/void: the pending transfer */
  int64_t timeout_ms;          /* pending only: 0 = never expires */
  const char *metadata;        /* opaque JSON text, may be NULL */
  const char *reference;       /* free text, may be NULL */
} bf_transfer_request;

#define BF_TRANSFER_REQUEST_INIT \
  {BF_TRANSFER_REQUEST_VERSION, NULL, BF_TRANSFER_IMMEDIATE, NULL, NULL, 0, NULL, 0, NULL, NULL}

/**
 * Submits one transfer (idempotent by id). `existed_out` (may be NULL) is set to 1 when the same
 * transfer was already submitted. Errors: BF_EINVALID, BF_ENOTFOUND, BF_EINSUFFICIENT_FUNDS,
 * BF_ECURRENCY_MISMATCH, BF_EPENDING_RESOLVED, BF_EPENDING_EXPIRED, BF_EEXCEEDS_PENDING,
 * BF_EID_CONFLICT, BF_EAMOUNT_OVERFLOW, BF_ESTORAGE.
 */
BF_EXTERN int bf_ledger_transfer(int *existed_out, bf_ledger *ledger, const bf_transfer_request *request);

/**
 * Submits `count` transfers in one database transaction. `codes_out` (may be NULL) receives one
 * code per request, in order (0 or that transfer's error). `linked` non-zero: all or nothing
 * (the others fail with BF_ELINKED_FAILED). Returns 0 when the batch ran, even if some transfers
 * failed; bf_error_last() then describes the first failure. Errors: BF_EINVALID, BF_ESTORAGE.
 */
BF_EXTERN int bf_ledger_transfer_batch(int *codes_out, bf_ledger *ledger,
                                       const bf_transfer_request *requests, size_t count, int linked);

/** A list of stored transfers (one, or a page of history). */
typedef struct bf_transfer_list bf_transfer_list;

/** The stored transfer with that id (a recorded failure comes back as its error).
 *  Errors: BF_ENOTFOUND, the recorded error, BF_ESTORAGE. */
BF_EXTERN int bf_ledger_get_transfer(bf_transfer_list **out, bf_ledger *ledger, const char *id);

/** One page of an account's history, newest first. `cursor` NULL/"" for the first page, else a
 *  bf_transfer_list_next_cursor of an earlier page; `limit` 0 = 50. Errors: BF_EINVALID (cursor). */
BF_EXTERN int bf_ledger_history(bf_transfer_list **out, bf_ledger *ledger, const char *account_id,
                                const char *cursor, size_t limit);

/** Accepts NULL. */
BF_EXTERN void bf_transfer_list_free(bf_transfer_list *list);
/** Number of transfers (0 for NULL). */
BF_EXTERN size_t bf_transfer_list_count(const bf_transfer_list *list);
/** The cursor of the next history page, "" at the end. BORROWED from the list; NULL for NULL. */
BF_EXTERN const char *bf_transfer_list_next_cursor(const bf_transfer_list *list);

#define BF_TRANSFER_INFO_VERSION 1

/** A stored transfer. Every string is BORROWED from the list it came from. */
typedef struct bf_transfer_info {
  unsigned int version;  /* BF_TRANSFER_INFO_VERSION */
  const char *id;
  bf_transfer_kind kind;
  bf_transfer_state state;
  const char *debit_account;
  const char *credit_account;
  int64_t amount;        /* effective amount (a post: what was posted) */
  const char *pending_id;
  const char *metadata;
  const char *reference;
  int64_t created_at_ms; /* Unix milliseconds */
  int64_t expires_at_ms; /* pending with a timeout; 0 otherwise */
} bf_transfer_info;

#define BF_TRANSFER_INFO_INIT \
  {BF_TRANSFER_INFO_VERSION, NULL, BF_TRANSFER_IMMEDIATE, BF_TRANSFER_POSTED, NULL, NULL, 0, NULL, NULL, NULL, 0, 0}

/** Transfer `i` of the list. `out` must be initialised with BF_TRANSFER_INFO_INIT.
 *  Errors: BF_EINVALID (NULL, index out of range). */
BF_EXTERN int bf_transfer_list_get(bf_transfer_info *out, const bf_transfer_list *list, size_t i);

/** Voids every pending transfer whose timeout has passed; `count_out` (may be NULL) receives how
 *  many. Errors: BF_ESTORAGE. */
BF_EXTERN int bf_ledger_expire_pending(size_t *count_out, bf_ledger *ledger);

/** Checks the ledger's invariants: `ok_out` is 1 when they hold; `problems_out` (OWNED, may be
 *  NULL) receives the problems found, one per line. Errors: BF_ESTORAGE. */
BF_EXTERN int bf_ledger_check(int *ok_out, bf_buf *problems_out, bf_ledger *ledger);

#define BF_IMPORT_RESULT_VERSION 1

typedef struct bf_import_result {
  unsigned int version;  /* BF_IMPORT_RESULT_VERSION */
  size_t added;
  size_t already_present;
  size_t skipped;        /* zero amounts, other accounts of the file */
  size_t failed;         /* e.g. insufficient funds on a no-overdraft account */
} bf_import_result;

#define BF_IMPORT_RESULT_INIT {BF_IMPORT_RESULT_VERSION, 0, 0, 0, 0}

/**
 * Posts the statement's primary-account transactions into `account` against `external_account`
 * (money in: external -> account), one transfer per transaction keyed by its dedupe key, so an
 * overlapping file adds only what is new. `out` (may be NULL) must be initialised with
 * BF_IMPORT_RESULT_INIT; when some transactions failed, bf_error_last() describes the first.
 * Errors: BF_EINVALID, BF_ENOTFOUND, BF_ESTORAGE.
 */
BF_EXTERN int bf_ledger_import(bf_import_result *out, bf_ledger *ledger, const bf_statement *st,
                               const char *account, const char *external_account);

#ifdef __cplusplus
}
#endif

#endif /* BANKFLOW_H */
