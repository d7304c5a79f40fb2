#pragma once
// Every CSV/TXT layout, as compile-time data (see layout.hpp). One header per bank.

#include "banks/layout.hpp"

#include "banks/bb.hpp"
#include "banks/bradesco.hpp"
#include "banks/c6.hpp"
#include "banks/excel.hpp"
#include "banks/caixa.hpp"
#include "banks/inter.hpp"
#include "banks/itau.hpp"
#include "banks/nubank.hpp"
#include "banks/santander.hpp"
#include "banks/sicredi.hpp"
