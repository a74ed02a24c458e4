# Unit tests of the spoofing machinery that need no lab: TcpFrame (parse/forge, checksums,
# options) and FlowTracker (sequence tracking, keepalive-probe recognition, forged answers),
# driven by synthetic frames; and the three kinds' parameters (FaultFactory::validate). Included from tests/CMakeLists.txt; paths relative to this file.

add_executable(spoof_unit_test
  ${CMAKE_CURRENT_LIST_DIR}/spoof_tcp_frame_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/spoof_flow_tracker_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/spoof_params_test.cpp
)
target_link_libraries(spoof_unit_test PRIVATE dp_faults GTest::gtest_main)
gtest_discover_tests(spoof_unit_test)
