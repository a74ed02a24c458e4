# Dropbear in real labs (root, namespaces, nftables, dropbear-bin): its keepalive detection
# against itself and against OpenSSH, checked against the timing model's windows. Skips with the
# reason when the lab or dropbear is unavailable.
add_executable(dropbear_lab_test ${CMAKE_CURRENT_LIST_DIR}/dropbear_test.cpp)
target_link_libraries(dropbear_lab_test PRIVATE dp_run dp_faults dp_lab dp_proc dp_model GTest::gtest_main)
gtest_discover_tests(dropbear_lab_test PROPERTIES LABELS integration DISCOVERY_TIMEOUT 30)
