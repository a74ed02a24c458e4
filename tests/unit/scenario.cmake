# Unit tests of harness/scenario (pure, no privileges) and of proc/OptionChecker (runs the
# real ssh and sshd in check mode; skips with the reason when they are not installed).
# Included from tests/CMakeLists.txt, so paths are taken relative to this file.

add_executable(scenario_test
  ${CMAKE_CURRENT_LIST_DIR}/scenario_parser_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scenario_errors_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scenario_values_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scenario_expand_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/scenario_precheck_test.cpp
)
target_link_libraries(scenario_test PRIVATE dp_scenario GTest::gtest_main)
target_compile_definitions(scenario_test PRIVATE
  DEADPEER_SCENARIO_TEST_DATA="${CMAKE_CURRENT_LIST_DIR}/data/scenario")
gtest_discover_tests(scenario_test)

# Link OptionChecker from dp_proc once that library lists it; until then compile it here.
set(option_checker_sources ${CMAKE_CURRENT_LIST_DIR}/option_checker_test.cpp)
set(option_checker_libs dp_scenario Boost::filesystem fmt::fmt Threads::Threads GTest::gtest_main)
set(option_checker_in_proc FALSE)
if(TARGET dp_proc)
  get_target_property(proc_sources dp_proc SOURCES)
  if(proc_sources MATCHES "OptionChecker\\.cpp")
    set(option_checker_in_proc TRUE)
  endif()
endif()
if(option_checker_in_proc)
  list(APPEND option_checker_libs dp_proc)
else()
  list(APPEND option_checker_sources ${PROJECT_SOURCE_DIR}/harness/proc/OptionChecker.cpp)
endif()
add_executable(option_checker_test ${option_checker_sources})
target_link_libraries(option_checker_test PRIVATE ${option_checker_libs})
gtest_discover_tests(option_checker_test)
