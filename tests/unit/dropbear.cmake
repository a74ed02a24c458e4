# Unit tests of the Dropbear support: its messages in the cause classifier, the mapping of
# scenario options to dropbear/dbclient flags, the command lines, and the model's Dropbear
# details (no lab, no privileges).
# Included from tests/CMakeLists.txt, so paths are taken relative to this file.

add_executable(dropbear_test
  ${CMAKE_CURRENT_LIST_DIR}/dropbear_classifier_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dropbear_options_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/dropbear_model_test.cpp
)
target_link_libraries(dropbear_test PRIVATE dp_observe dp_proc dp_model GTest::gtest_main)
gtest_discover_tests(dropbear_test)
