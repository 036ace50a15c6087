# e2e3d_area(NAME DEPENDS ...) builds src/NAME/**.cpp into the static library e2e3d_NAME.
# An area with no sources yet is an interface library, so the tree always configures.
set(E2E3D_AREA_LIBRARIES "")

function(e2e3d_area name)
  cmake_parse_arguments(AREA "" "" "DEPENDS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS "${CMAKE_SOURCE_DIR}/src/${name}/*.cpp")
  set(target e2e3d_${name})
  if(sources)
    add_library(${target} STATIC ${sources})
    target_include_directories(${target} PUBLIC "${CMAKE_SOURCE_DIR}/include"
                                                "${CMAKE_BINARY_DIR}/generated"
                                         PRIVATE "${CMAKE_SOURCE_DIR}/src")
    target_link_libraries(${target} PUBLIC ${AREA_DEPENDS} PRIVATE e2e3d_warnings)
  else()
    add_library(${target} INTERFACE)
    target_include_directories(${target} INTERFACE "${CMAKE_SOURCE_DIR}/include"
                                                   "${CMAKE_BINARY_DIR}/generated")
    target_link_libraries(${target} INTERFACE ${AREA_DEPENDS})
  endif()
  set(E2E3D_AREA_LIBRARIES ${E2E3D_AREA_LIBRARIES} ${target} PARENT_SCOPE)
endfunction()
