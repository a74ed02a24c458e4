# Integration tests: real namespaces, real nftables, real sshd/ssh. They need root and skip with
# the reason otherwise. RUN_SERIAL is not needed: every test builds its own uniquely named lab.
add_executable(lab_test ${CMAKE_CURRENT_LIST_DIR}/lab_test.cpp)
target_link_libraries(lab_test PRIVATE dp_run dp_faults dp_lab dp_proc GTest::gtest_main)
gtest_discover_tests(lab_test PROPERTIES LABELS integration DISCOVERY_TIMEOUT 30)

add_executable(detection_test ${CMAKE_CURRENT_LIST_DIR}/detection_test.cpp)
target_link_libraries(detection_test PRIVATE dp_run dp_scenario GTest::gtest_main)
target_compile_definitions(detection_test PRIVATE DEADPEER_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
gtest_discover_tests(detection_test PROPERTIES LABELS integration DISCOVERY_TIMEOUT 30)

add_executable(cleanup_test ${CMAKE_CURRENT_LIST_DIR}/cleanup_test.cpp)
target_link_libraries(cleanup_test PRIVATE dp_run dp_proc dp_lab GTest::gtest_main)
target_compile_definitions(cleanup_test PRIVATE DEADPEER_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                           DEADPEER_BINARY="$<TARGET_FILE:deadpeer>")
add_dependencies(cleanup_test deadpeer)
gtest_discover_tests(cleanup_test PROPERTIES LABELS integration DISCOVERY_TIMEOUT 30)
