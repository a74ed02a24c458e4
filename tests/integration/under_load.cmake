# ServerAlive timing with every core saturated by another process (issue 7, "under load").
# RUN_SERIAL: it saturates both cores on purpose, which would slow every test beside it, and its
# ±20 ms bound is only meaningful when the load is the busy loops it controls plus its own cases.
add_executable(under_load_test ${CMAKE_CURRENT_LIST_DIR}/under_load_test.cpp)
target_link_libraries(under_load_test PRIVATE dp_run dp_scenario GTest::gtest_main)
target_compile_definitions(under_load_test PRIVATE DEADPEER_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
gtest_discover_tests(under_load_test PROPERTIES LABELS integration RUN_SERIAL TRUE TIMEOUT 120 DISCOVERY_TIMEOUT 30)
