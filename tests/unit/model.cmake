# Unit tests of harness/model, the timing model (pure: no Linux, no privileges).
# Included from tests/CMakeLists.txt, so paths are taken relative to this file.

add_executable(model_test
  ${CMAKE_CURRENT_LIST_DIR}/model_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model_rules_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model_faults_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/model_transient_test.cpp
)
target_link_libraries(model_test PRIVATE dp_model GTest::gtest_main)
gtest_discover_tests(model_test)
