# Unit tests of running a suite in parts: run/Shard (which cases a shard runs), run/Merge
# (putting shards' results.json back together) report/Progress (the live line and the
# per-run lines), and run/SetupGate (how many setups run at once). No privileges, no lab.
# Included from tests/CMakeLists.txt, so paths are taken relative to this file.
add_executable(parallel_test
  ${CMAKE_CURRENT_LIST_DIR}/parallel_shard_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/parallel_merge_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/parallel_progress_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/parallel_setup_gate_test.cpp
)
target_link_libraries(parallel_test PRIVATE dp_run dp_report GTest::gtest_main)
gtest_discover_tests(parallel_test)
