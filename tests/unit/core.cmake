# Unit tests of the harness core that need no lab: the cause classifier, config templates and
# ssh/sshd rendering (real ssh-keygen; skipped with the reason when it is missing), reserved
# options, results.json, cleanup's name parsing, side hints and the text report.
# Included from tests/CMakeLists.txt, so paths are taken relative to this file.

add_executable(core_test
  ${CMAKE_CURRENT_LIST_DIR}/core_classifier_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/core_config_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/core_ssh_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/core_run_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/core_report_test.cpp
)
target_link_libraries(core_test PRIVATE dp_observe dp_proc dp_run dp_report GTest::gtest_main)
target_compile_definitions(core_test PRIVATE DEADPEER_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
gtest_discover_tests(core_test)
