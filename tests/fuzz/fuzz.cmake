# libFuzzer targets (DEADPEER_FUZZ=ON, clang only; preset "fuzz", run by ci/fuzz.sh).
# Included from the top-level CMakeLists.txt before the harness is added, so that every harness
# library is built with coverage instrumentation and ASan+UBSan; only the fuzz executable itself
# links libFuzzer's main.
if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "DEADPEER_FUZZ needs clang (libFuzzer): cmake --preset fuzz, or -DCMAKE_CXX_COMPILER=clang++")
endif()
if(DEADPEER_SANITIZE)
  message(FATAL_ERROR "DEADPEER_FUZZ brings its own sanitizers: leave DEADPEER_SANITIZE off")
endif()
# UB must stop the run (the default recovers and prints), or the fuzzer would never report it.
add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
add_link_options(-fsanitize=address,undefined)
# By default toml++ is the one that ships: Debian's shared library, built by gcc, without
# coverage. DEADPEER_FUZZ_TOML=ON compiles its header-only form here instead, so the fuzzer sees
# and checks the TOML parser too — but toml++ 3.3.0 reaches __builtin_unreachable for a
# non-ASCII character in a bare key or value (tests/fuzz/seeds/toml-unreachable.toml), which
# UBSan reports within seconds; see docs/robustness.md.
option(DEADPEER_FUZZ_TOML "Fuzz toml++ itself too (header-only, instrumented)" OFF)
if(DEADPEER_FUZZ_TOML)
  set_property(TARGET tomlplusplus::tomlplusplus PROPERTY INTERFACE_COMPILE_OPTIONS -DTOML_HEADER_ONLY=1)
endif()

# Targets named below are defined later (harness/); CMake resolves them at generation time.
add_executable(scenario_fuzz ${CMAKE_CURRENT_LIST_DIR}/scenario_fuzz.cpp)
target_link_libraries(scenario_fuzz PRIVATE dp_faults dp_model dp_proc dp_scenario)
target_link_options(scenario_fuzz PRIVATE -fsanitize=fuzzer)
