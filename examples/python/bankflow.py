"""bankflow from Python through ctypes and libbankflow_c (bankflow.h).

A small Pythonic layer: handles are context managers, failures raise BankflowError carrying the
bf error code and name, text comes back as str. The library is found through the
BANKFLOW_C_LIBRARY environment variable, else ctypes.util.find_library("bankflow_c").
"""
import ctypes
import ctypes.util
import os
from ctypes import POINTER, Structure, byref, c_char_p, c_double, c_int, c_int64, c_size_t, c_uint, c_uint32, c_void_p


def _load():
    path = os.environ.get("BANKFLOW_C_LIBRARY") or ctypes.util.find_library("bankflow_c")
    if not path:
        raise OSError("libbankflow_c not found: set BANKFLOW_C_LIBRARY")
    return ctypes.CDLL(path)


_lib = _load()


class _Buf(Structure):
    _fields_ = [("ptr", c_void_p), ("size", c_size_t)]


class _ParseOptions(Structure):
    _fields_ = [("version", c_uint), ("format", c_char_p), ("bank", c_char_p), ("file_name", c_char_p)]


class _CsvOptions(Structure):
    _fields_ = [("version", c_uint), ("style", c_int)]


class _Balance(Structure):
    _fields_ = [("version", c_uint), ("debits_posted", c_int64), ("credits_posted", c_int64),
                ("debits_pending", c_int64), ("credits_pending", c_int64), ("balance", c_int64),
                ("available", c_int64)]


class _TransferRequest(Structure):
    _fields_ = [("version", c_uint), ("id", c_char_p), ("kind", c_int), ("debit_account", c_char_p),
                ("credit_account", c_char_p), ("amount", c_int64), ("pending_id", c_char_p),
                ("timeout_ms", c_int64), ("metadata", c_char_p), ("reference", c_char_p)]


def _sig(name, restype, *argtypes):
    f = getattr(_lib, name)
    f.restype = restype
    f.argtypes = list(argtypes)
    return f


_version = _sig("bf_version", c_char_p)
_error_last = _sig("bf_error_last", c_char_p)
_error_name = _sig("bf_error_name", c_char_p, c_int)
_buf_dispose = _sig("bf_buf_dispose", None, POINTER(_Buf))
_parse = _sig("bf_parse", c_int, POINTER(c_void_p), c_char_p, c_size_t, POINTER(_ParseOptions))
_parse_file = _sig("bf_parse_file", c_int, POINTER(c_void_p), c_char_p, POINTER(_ParseOptions))
_statement_free = _sig("bf_statement_free", None, c_void_p)
_statement_bank = _sig("bf_statement_bank", c_char_p, c_void_p)
_statement_format = _sig("bf_statement_format", c_char_p, c_void_p)
_tx_count = _sig("bf_statement_transaction_count", c_size_t, c_void_p)
_tx_date = _sig("bf_statement_tx_date", c_char_p, c_void_p, c_size_t)
_tx_description = _sig("bf_statement_tx_description", c_char_p, c_void_p, c_size_t)
_tx_amount = _sig("bf_statement_tx_amount", c_int, POINTER(c_int64), c_void_p, c_size_t)
_to_csv = _sig("bf_statement_to_csv", c_int, POINTER(_Buf), c_void_p, POINTER(_CsvOptions))
_to_json = _sig("bf_statement_to_json", c_int, POINTER(_Buf), c_void_p)
_to_xlsx = _sig("bf_statement_to_xlsx", c_int, POINTER(_Buf), c_void_p)
_ledger_open = _sig("bf_ledger_open", c_int, POINTER(c_void_p), c_char_p, c_void_p)
_ledger_free = _sig("bf_ledger_free", None, c_void_p)
_create_account = _sig("bf_ledger_create_account", c_int, POINTER(c_int), c_void_p, c_char_p, c_char_p,
                       c_uint32, c_char_p)
_ledger_balance = _sig("bf_ledger_balance", c_int, POINTER(_Balance), c_void_p, c_char_p)
_ledger_transfer = _sig("bf_ledger_transfer", c_int, POINTER(c_int), c_void_p, POINTER(_TransferRequest))

NO_OVERDRAFT = 1
EXCEL_BR = 1


class BankflowError(Exception):
    """A bf call failed: .code is the negative BF_E... code, .name its stable name."""

    def __init__(self, code):
        self.code = code
        self.name = _error_name(code).decode()
        super().__init__(_error_last().decode("utf-8", "replace"))  # ends with "[name]"


def _check(rc):
    if rc < 0:
        raise BankflowError(rc)
    return rc


def _bytes(fn, *args):
    buf = _Buf()
    _check(fn(byref(buf), *args))
    try:
        return ctypes.string_at(buf.ptr, buf.size)
    finally:
        _buf_dispose(byref(buf))


def _text(fn, *args):
    return _bytes(fn, *args).decode("utf-8")


def _b(s):
    return None if s is None else s.encode("utf-8")


def version():
    return _version().decode()


class Statement:
    """A parsed statement. Use as a context manager, or call close()."""

    def __init__(self, handle):
        self._h = handle

    @classmethod
    def parse(cls, data, format=None, bank=None, file_name=None):
        opts = _ParseOptions(1, _b(format), _b(bank), _b(file_name))
        h = c_void_p()
        _check(_parse(byref(h), data, len(data), byref(opts)))
        return cls(h)

    @classmethod
    def open(cls, path, format=None, bank=None):
        opts = _ParseOptions(1, _b(format), _b(bank), None)
        h = c_void_p()
        _check(_parse_file(byref(h), os.fsencode(path), byref(opts)))
        return cls(h)

    def close(self):
        if self._h:
            _statement_free(self._h)
            self._h = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def bank(self):
        return _statement_bank(self._h).decode()

    @property
    def format(self):
        return _statement_format(self._h).decode()

    def transactions(self):
        """(date, description, amount in centavos) for each transaction."""
        out = []
        for i in range(_tx_count(self._h)):
            amount = c_int64()
            _check(_tx_amount(byref(amount), self._h, i))
            out.append((_tx_date(self._h, i).decode(), _tx_description(self._h, i).decode(), amount.value))
        return out

    def to_csv(self, excel_br=False):
        return _text(_to_csv, self._h, byref(_CsvOptions(1, EXCEL_BR if excel_br else 0)))

    def to_json(self):
        return _text(_to_json, self._h)

    def to_xlsx(self):
        """The Excel workbook: the bytes of an .xlsx file."""
        return _bytes(_to_xlsx, self._h)


class Ledger:
    """A double-entry ledger opened by URL ("sqlite:///path.db", "postgresql://...")."""

    def __init__(self, url):
        self._h = c_void_p()
        _check(_ledger_open(byref(self._h), _b(url), None))

    def close(self):
        if self._h:
            _ledger_free(self._h)
            self._h = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def create_account(self, id, currency="BRL", no_overdraft=False, owner=None):
        existed = c_int()
        _check(_create_account(byref(existed), self._h, _b(id), _b(currency),
                               NO_OVERDRAFT if no_overdraft else 0, _b(owner)))
        return bool(existed.value)

    def transfer(self, id, debit, credit, amount, reference=None):
        req = _TransferRequest(1, _b(id), 0, _b(debit), _b(credit), amount, None, 0, None, _b(reference))
        existed = c_int()
        _check(_ledger_transfer(byref(existed), self._h, byref(req)))
        return bool(existed.value)

    def balance(self, account):
        b = _Balance(1)
        _check(_ledger_balance(byref(b), self._h, _b(account)))
        return b.balance
