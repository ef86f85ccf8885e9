// One sc_main for every test binary: SystemC allows one elaboration per process, so
// gtest_discover_tests runs each test in a process of its own.
#include <gtest/gtest.h>
#include <systemc>

int sc_main(int argc, char **argv) {
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
