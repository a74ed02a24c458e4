# Unit tests of the user-space packet path's logic, no privileges: the impair stages (delay,
# jitter, loss, duplicate, reorder, rate), the release queue, the keepalive filter and the
# impair parameters, driven by synthetic frames (TcpSegment::frame) and made-up instants.
# Included from tests/CMakeLists.txt; paths relative to this file.

add_executable(impair_unit_test
  ${CMAKE_CURRENT_LIST_DIR}/impair_stages_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/impair_keepalive_filter_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/impair_params_test.cpp
)
target_link_libraries(impair_unit_test PRIVATE dp_faults GTest::gtest_main)
gtest_discover_tests(impair_unit_test)
