# Run at every build (not only at configure time) so --version names the commit actually built.
# Writes the header only when its text changes, so an unchanged revision rebuilds nothing.
execute_process(
  COMMAND git rev-parse --short=12 HEAD
  WORKING_DIRECTORY "${SOURCE_DIR}"
  OUTPUT_VARIABLE E2E3D_GIT_REVISION
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(NOT E2E3D_GIT_REVISION)
  set(E2E3D_GIT_REVISION "unknown")
endif()
execute_process(
  COMMAND git status --porcelain --untracked-files=no
  WORKING_DIRECTORY "${SOURCE_DIR}"
  OUTPUT_VARIABLE dirty
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(dirty)
  string(APPEND E2E3D_GIT_REVISION "-dirty")
endif()
configure_file("${SOURCE_DIR}/cmake/version.hpp.in" "${OUTPUT}.tmp" @ONLY)
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
