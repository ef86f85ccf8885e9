// One sc_main for every test binary: SystemC allows one elaboration per process, so
// gtest_discover_tests runs each test in a process of its own.
#include <cstdlib>
#include <gtest/gtest.h>
#include <systemc>

int sc_main(int argc, char **argv) {
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}

// SystemC prints its banner before sc_main unless told not to.
int main(int argc, char **argv) {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
  return sc_core::sc_elab_and_sim(argc, argv);
}
