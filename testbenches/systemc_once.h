// Test helper: SystemC elaborates once per process. ctest runs every test in a process of its
// own; a test binary run by hand runs them all in one, where the later SystemC tests skip.
#pragma once

#include "network.h"

#include <gtest/gtest.h>

#define REQUIRE_FRESH_SYSTEMC()                                                                    \
  do {                                                                                             \
    if (!::cssim::systemc_can_elaborate())                                                         \
      GTEST_SKIP() << "SystemC was already elaborated in this process; run this test alone";       \
  } while (0)
