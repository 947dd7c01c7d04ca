# ttads_cc_library(NAME name SRCS ... DEPS ...)
#   A static library named ttads_<name> with the repository root on its
#   include path.
function(ttads_cc_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  add_library(ttads_${ARG_NAME} STATIC ${ARG_SRCS})
  target_link_libraries(ttads_${ARG_NAME} PUBLIC ${ARG_DEPS})
endfunction()

# ttads_cc_test(NAME name SRCS ... DEPS ... [LABELS ...])
#   A GoogleTest binary registered with CTest (one CTest entry per test
#   case, so `ctest -j` runs them in parallel).
function(ttads_cc_test)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  if(NOT TTADS_BUILD_TESTS)
    return()
  endif()
  add_executable(${ARG_NAME} ${ARG_SRCS})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest_main)
  set(labels "${ARG_LABELS}")
  if(NOT labels)
    set(labels "unit")
  endif()
  gtest_discover_tests(${ARG_NAME}
    DISCOVERY_TIMEOUT 60
    PROPERTIES LABELS "${labels}"
               ENVIRONMENT "TTADS_TEST_BIN_DIR=${CMAKE_BINARY_DIR}")
endfunction()
