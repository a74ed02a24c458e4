# Unit tests of the report side: run/Statistics, run/Expectations, the report formats
# (Markdown, JUnit, HTML), report/Comparison and the [expect] table of the scenario parser; and
# report_browser_test (label "browser"), which opens an HtmlReport in Debian's headless Chromium
# and skips with the reason when chromium is not installed.
# Included from tests/CMakeLists.txt, so paths are taken relative to this file.

set(reports_test_data ${CMAKE_CURRENT_LIST_DIR}/data/reports)

add_executable(reports_test
  ${CMAKE_CURRENT_LIST_DIR}/reports_statistics_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reports_expectations_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reports_markdown_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reports_junit_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reports_html_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reports_comparison_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/reports_cli_test.cpp
)
target_link_libraries(reports_test PRIVATE dp_report dp_run dp_cli GTest::gtest_main)
target_compile_definitions(reports_test PRIVATE DEADPEER_REPORTS_TEST_DATA="${reports_test_data}")
gtest_discover_tests(reports_test)

add_executable(scenario_expect_test ${CMAKE_CURRENT_LIST_DIR}/scenario_expect_test.cpp)
# Only the header observe/Cause.hpp is used (to compare vocabularies); no need to link dp_run.
target_link_libraries(scenario_expect_test PRIVATE dp_scenario GTest::gtest_main)
gtest_discover_tests(scenario_expect_test)

add_executable(report_browser_test ${CMAKE_CURRENT_LIST_DIR}/report_browser_test.cpp)
target_link_libraries(report_browser_test PRIVATE dp_report dp_run GTest::gtest_main)
target_compile_definitions(report_browser_test PRIVATE DEADPEER_REPORTS_TEST_DATA="${reports_test_data}")
gtest_discover_tests(report_browser_test PROPERTIES LABELS browser TIMEOUT 240)
