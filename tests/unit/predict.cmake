# Unit tests of `deadpeer predict`: the real argument interpretation and report (no privileges).
# Included from tests/CMakeLists.txt, so paths are taken relative to this file.
add_executable(predict_test ${CMAKE_CURRENT_LIST_DIR}/predict_test.cpp)
target_link_libraries(predict_test PRIVATE dp_cli GTest::gtest_main)
gtest_discover_tests(predict_test)
