# The lead's fault kinds at the packet level (reject, link-down, firewall, freeze, crash, reboot)
# and with real ssh/sshd (faults_ssh_test).
add_executable(faults_test ${CMAKE_CURRENT_LIST_DIR}/faults_test.cpp)
target_link_libraries(faults_test PRIVATE dp_run dp_faults dp_lab dp_proc GTest::gtest_main)
gtest_discover_tests(faults_test PROPERTIES LABELS integration DISCOVERY_TIMEOUT 30)

add_executable(faults_ssh_test ${CMAKE_CURRENT_LIST_DIR}/faults_ssh_test.cpp)
target_link_libraries(faults_ssh_test PRIVATE dp_run dp_scenario GTest::gtest_main)
# One process for the whole binary: SetUpTestSuite runs all its scenarios at once (as a user's
# matrix would) and every TEST reads one result. Discovered per test, ctest would start 14
# processes that each ran the whole matrix again (14 × 38 s of the suite's time).
add_test(NAME FaultsWithSsh COMMAND faults_ssh_test)
set_tests_properties(FaultsWithSsh PROPERTIES LABELS integration SKIP_REGULAR_EXPRESSION "\\[  SKIPPED \\]")
