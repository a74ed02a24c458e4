# The user-space packet path (UserPath), the `impair` fault and the keepalive filter on real
# traffic in a real lab. Needs root and /dev/net/tun; skips with the reason otherwise.
add_executable(impair_test ${CMAKE_CURRENT_LIST_DIR}/impair_test.cpp)
target_link_libraries(impair_test PRIVATE dp_run dp_faults dp_lab GTest::gtest_main)
# RUN_SERIAL: its windows are sub-millisecond, and one of its tests floods the relay for 1 s;
# neither should share the machine's cores with other tests (ci/test.sh runs ctest -j nproc).
gtest_discover_tests(impair_test PROPERTIES LABELS integration RUN_SERIAL TRUE DISCOVERY_TIMEOUT 30)

add_executable(keepalive_filter_test ${CMAKE_CURRENT_LIST_DIR}/keepalive_filter_test.cpp)
target_link_libraries(keepalive_filter_test PRIVATE dp_run dp_faults dp_lab GTest::gtest_main)
gtest_discover_tests(keepalive_filter_test PROPERTIES LABELS integration DISCOVERY_TIMEOUT 30)
