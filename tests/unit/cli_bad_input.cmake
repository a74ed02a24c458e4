# Bad input through the real binary: every broken scenario exits 2 with file:line:column, a
# hint, and creates nothing. Needs no privileges (as root it also isolates /run/netns and
# /run/deadpeer in a private mount namespace to prove nothing was created there).
add_executable(cli_bad_input_test ${CMAKE_CURRENT_LIST_DIR}/cli_bad_input_test.cpp)
target_link_libraries(cli_bad_input_test PRIVATE dp_proc GTest::gtest_main)
target_compile_definitions(cli_bad_input_test PRIVATE DEADPEER_BINARY="$<TARGET_FILE:deadpeer>")
add_dependencies(cli_bad_input_test deadpeer)
gtest_discover_tests(cli_bad_input_test DISCOVERY_TIMEOUT 30)
