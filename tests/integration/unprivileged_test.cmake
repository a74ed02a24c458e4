# Without privileges: `deadpeer run` exits 3 with the reason, `deadpeer doctor` lists what is
# missing, integration tests skip with the reason. As root it drops to nobody with setpriv.
add_executable(unprivileged_test ${CMAKE_CURRENT_LIST_DIR}/unprivileged_test.cpp)
target_link_libraries(unprivileged_test PRIVATE dp_run dp_proc dp_lab GTest::gtest_main)
target_compile_definitions(unprivileged_test PRIVATE DEADPEER_BINARY="$<TARGET_FILE:deadpeer>")
add_dependencies(unprivileged_test deadpeer)
gtest_discover_tests(unprivileged_test PROPERTIES LABELS integration DISCOVERY_TIMEOUT 30)
