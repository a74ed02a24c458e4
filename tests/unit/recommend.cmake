# Unit tests of `deadpeer recommend`: the search, ranking, packet cost, loss formula, arguments
# and generated verification scenarios (no privileges, no lab).
# Included from tests/CMakeLists.txt, so paths are taken relative to this file.
add_executable(recommend_test ${CMAKE_CURRENT_LIST_DIR}/recommend_test.cpp)
target_link_libraries(recommend_test PRIVATE dp_cli GTest::gtest_main)
gtest_discover_tests(recommend_test)
