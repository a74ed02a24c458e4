# Kills the real deadpeer binary at random moments (SIGKILL then `deadpeer cleanup`; SIGINT and
# SIGTERM with no cleanup) and counts what is left; a live run must survive every cleanup.
# Needs root; skips with the reason otherwise. About 25 s on a 2-core machine.
# RUN_SERIAL: every `deadpeer run` (36 victims here) and every cleanup sweeps the dead runs of the
# whole machine, so running beside cleanup_test would steal the SIGKILLed run that test is
# about to clean up, and its dead lock would look like one of ours.
add_executable(kill_test ${CMAKE_CURRENT_LIST_DIR}/kill_test.cpp)
target_link_libraries(kill_test PRIVATE dp_run dp_proc dp_lab dp_faults PkgConfig::NFTABLES GTest::gtest_main)
target_compile_definitions(kill_test PRIVATE DEADPEER_BINARY="$<TARGET_FILE:deadpeer>")
add_dependencies(kill_test deadpeer)
gtest_discover_tests(kill_test PROPERTIES LABELS integration RUN_SERIAL TRUE TIMEOUT 240 DISCOVERY_TIMEOUT 30)
