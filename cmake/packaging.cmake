# Installs what a Unix user expects next to the binary (man page, shell completions) where
# distributions look for them, and describes the Debian package CPack builds from that layout.
# Paths are relative to the install prefix so `cmake --install --prefix DIR` and CPack (prefix
# /usr) both put every file in the right place.
include(GNUInstallDirs)

# Debian's zsh searches /usr/share/zsh/vendor-completions for packaged completions and keeps
# site-functions for the local administrator; other systems use site-functions.
if(EXISTS "/etc/debian_version")
  set(e2e3d_zsh_default "${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions")
else()
  set(e2e3d_zsh_default "${CMAKE_INSTALL_DATADIR}/zsh/site-functions")
endif()
set(E2E3D_ZSH_COMPLETION_DIR "${e2e3d_zsh_default}"
    CACHE STRING "Where the zsh completion is installed, relative to the prefix")
set(E2E3D_BASH_COMPLETION_DIR "${CMAKE_INSTALL_DATADIR}/bash-completion/completions"
    CACHE STRING "Where the bash completion is installed (bash-completion's completionsdir)")
set(E2E3D_FISH_COMPLETION_DIR "${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d"
    CACHE STRING "Where the fish completion is installed")

# bash-completion loads a completion lazily by the command's name, so the file is named after
# the binary, without extension.
install(FILES "${CMAKE_SOURCE_DIR}/completions/e2e3d-metrics.bash"
        DESTINATION "${E2E3D_BASH_COMPLETION_DIR}" RENAME e2e3d-metrics)
install(FILES "${CMAKE_SOURCE_DIR}/completions/_e2e3d-metrics"
        DESTINATION "${E2E3D_ZSH_COMPLETION_DIR}")
install(FILES "${CMAKE_SOURCE_DIR}/completions/e2e3d-metrics.fish"
        DESTINATION "${E2E3D_FISH_COMPLETION_DIR}")

# Debian policy wants man pages compressed with gzip -9n (no name, no timestamp: reproducible).
# The page is compressed at build time, as part of `all`, so install only copies files.
find_program(E2E3D_GZIP gzip)
set(e2e3d_man_source "${CMAKE_SOURCE_DIR}/man/e2e3d-metrics.1")
if(E2E3D_GZIP)
  set(e2e3d_man_page "${CMAKE_BINARY_DIR}/man/e2e3d-metrics.1.gz")
  add_custom_command(
    OUTPUT "${e2e3d_man_page}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${CMAKE_BINARY_DIR}/man"
    COMMAND "${E2E3D_GZIP}" -9nc "${e2e3d_man_source}" > "${e2e3d_man_page}"
    DEPENDS "${e2e3d_man_source}"
    COMMENT "Compressing the man page"
    VERBATIM)
else()
  set(e2e3d_man_page "${e2e3d_man_source}")
endif()
# The binary depends on it so that building only the binary (what the tests and the package
# script do) still leaves a complete install tree.
add_custom_target(e2e3d_man_page ALL DEPENDS "${e2e3d_man_page}")
add_dependencies(e2e3d-metrics e2e3d_man_page)
install(FILES "${e2e3d_man_page}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")

# The Debian package. Runtime dependencies are not written by hand: dpkg-shlibdeps (Debian
# package dpkg-dev) reads the binary's NEEDED entries and maps them to the packages that
# provide them (libcurl4, libfmt9, libyaml-cpp0.7, libre2-9, libstdc++6, libc6, ...).
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "e2e3d-metrics")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "E2E3D")
# Debian requires a Maintainer field; a release build sets the real one.
set(E2E3D_PACKAGE_MAINTAINER "E2E3D maintainers <e2e3d-metrics@localhost>"
    CACHE STRING "Maintainer field of the Debian package: Name <email>")
set(CPACK_PACKAGE_CONTACT "${E2E3D_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Diagnostics for the E2E3D reconstruction service's Prometheus metrics")
set(CPACK_PACKAGE_DESCRIPTION
    "e2e3d-metrics fetches the service's /metrics, evaluates the documented PromQL queries and\n\
alert rules locally, runs the troubleshooting checklist as one command (doctor) and works as a\n\
CI or Nagios health check. No Prometheus server is needed.")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "utils")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion, prometheus")
include(CPack)
