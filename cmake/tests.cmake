# Tests mirror src/: tests/NAME/*.cpp becomes the executable test_NAME, linked to e2e3d_NAME.
# tests/cli/ drives the built binary as a user would; tests/support/ holds helpers and servers.
find_package(Catch2 REQUIRED)
include(Catch)

file(GLOB E2E3D_SUPPORT_SOURCES CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/tests/support/*.cpp")
add_library(e2e3d_test_support STATIC ${E2E3D_SUPPORT_SOURCES})
target_include_directories(e2e3d_test_support PUBLIC "${CMAKE_SOURCE_DIR}/tests"
                                                     "${CMAKE_SOURCE_DIR}/include")
target_link_libraries(e2e3d_test_support PUBLIC fmt::fmt Catch2::Catch2 CURL::libcurl
                      nlohmann_json::nlohmann_json PRIVATE e2e3d_warnings)
target_compile_definitions(e2e3d_test_support PUBLIC
  E2E3D_FIXTURES_DIR="${CMAKE_SOURCE_DIR}/tests/fixtures"
  E2E3D_SUPPORT_DIR="${CMAKE_SOURCE_DIR}/tests/support"
  E2E3D_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
  E2E3D_METRICS_BIN="$<TARGET_FILE:e2e3d-metrics>"
  E2E3D_DOCKER_STATE_DIR="${CMAKE_BINARY_DIR}/docker-test")

# The container tests (tests/container/) share one Docker daemon, set up and torn down around
# them as a CTest fixture: an existing daemon when one answers, else a private dockerd.
add_executable(test_docker_daemon "${CMAKE_SOURCE_DIR}/tests/support/docker_daemon/main.cpp")
target_link_libraries(test_docker_daemon PRIVATE e2e3d_test_support e2e3d_warnings)
add_test(NAME "container: daemon start"
         COMMAND test_docker_daemon start "${CMAKE_BINARY_DIR}/docker-test")
set_tests_properties("container: daemon start" PROPERTIES FIXTURES_SETUP container_daemon
                     TIMEOUT 120)
add_test(NAME "container: daemon stop"
         COMMAND test_docker_daemon stop "${CMAKE_BINARY_DIR}/docker-test")
set_tests_properties("container: daemon stop" PROPERTIES FIXTURES_CLEANUP container_daemon
                     TIMEOUT 60)

file(GLOB test_dirs LIST_DIRECTORIES true "${CMAKE_SOURCE_DIR}/tests/*")
foreach(dir ${test_dirs})
  get_filename_component(name "${dir}" NAME)
  if(NOT IS_DIRECTORY "${dir}" OR name STREQUAL "support" OR name STREQUAL "fixtures")
    continue()
  endif()
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${dir}/*.cpp")
  if(NOT sources)
    continue()
  endif()
  add_executable(test_${name} ${sources})
  target_include_directories(test_${name} PRIVATE "${CMAKE_SOURCE_DIR}/src")
  target_link_libraries(test_${name} PRIVATE e2e3d_test_support Catch2::Catch2WithMain
                        e2e3d_warnings nlohmann_json::nlohmann_json)
  if(TARGET e2e3d_${name})
    target_link_libraries(test_${name} PRIVATE e2e3d_${name})
  else()
    target_link_libraries(test_${name} PRIVATE ${E2E3D_AREA_LIBRARIES})
  endif()
  # Any test may drive the binary (run_tool), so it must never run against a stale one.
  add_dependencies(test_${name} e2e3d-metrics)
  if(name STREQUAL "container")
    # 77: no Docker daemon can run here; the test said so on stderr (see docker_fixture.hpp).
    catch_discover_tests(test_${name} TEST_PREFIX "${name}: " PROPERTIES TIMEOUT 180
                         FIXTURES_REQUIRED container_daemon SKIP_RETURN_CODE 77)
  else()
    catch_discover_tests(test_${name} TEST_PREFIX "${name}: " PROPERTIES TIMEOUT 120)
  endif()
endforeach()
