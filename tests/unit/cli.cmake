# CLI helpers that need no privileges: case selection (run --filter / --list).
add_executable(cli_test ${CMAKE_CURRENT_LIST_DIR}/cli_selection_test.cpp)
target_link_libraries(cli_test PRIVATE dp_cli GTest::gtest_main)
gtest_discover_tests(cli_test DISCOVERY_TIMEOUT 30)
