# The spoofing faults (spoof-keepalive, spoof-rst, spoof-data) in real labs: at the packet level
# on a plain TCP connection (spoof_test), and through whole cases with real ssh/sshd
# (spoof_ssh_test). Root, namespaces, nftables and AF_PACKET; skips with the reason otherwise.
add_executable(spoof_test ${CMAKE_CURRENT_LIST_DIR}/spoof_test.cpp)
target_link_libraries(spoof_test PRIVATE dp_run dp_faults dp_lab GTest::gtest_main)
gtest_discover_tests(spoof_test PROPERTIES LABELS integration DISCOVERY_TIMEOUT 30)

add_executable(spoof_ssh_test ${CMAKE_CURRENT_LIST_DIR}/spoof_ssh_test.cpp)
target_link_libraries(spoof_ssh_test PRIVATE dp_run dp_scenario GTest::gtest_main)
gtest_discover_tests(spoof_ssh_test PROPERTIES LABELS integration DISCOVERY_TIMEOUT 30)
