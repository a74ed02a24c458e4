# The host's network is left exactly as it was by a suite run through the real binary (links,
# addresses, routes, rules, qdiscs, nftables, sysctls; no change notification meanwhile), and
# sys::HostGuard tells the host's namespace from a lab's. Needs root; skips with the reason.
add_executable(host_snapshot_test ${CMAKE_CURRENT_LIST_DIR}/host_snapshot_test.cpp)
target_link_libraries(host_snapshot_test PRIVATE dp_run dp_lab dp_netlink dp_scenario dp_sys
                      PkgConfig::LIBNL PkgConfig::NFTABLES nlohmann_json::nlohmann_json GTest::gtest_main)
target_compile_definitions(host_snapshot_test PRIVATE DEADPEER_BINARY="$<TARGET_FILE:deadpeer>")
add_dependencies(host_snapshot_test deadpeer)
gtest_discover_tests(host_snapshot_test PROPERTIES LABELS integration TIMEOUT 180 DISCOVERY_TIMEOUT 30)
