# Builds the .deb with CPack and checks its file list: both executables, the .desktop file, the icon.
execute_process(COMMAND cpack -G DEB -B ${BINARY_DIR}/package-test
                WORKING_DIRECTORY ${BINARY_DIR} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cpack failed (${rc}):\n${out}\n${err}")
endif()
file(GLOB debs ${BINARY_DIR}/package-test/*.deb)
list(LENGTH debs n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected one .deb in ${BINARY_DIR}/package-test, found: ${debs}")
endif()
execute_process(COMMAND dpkg-deb --contents ${debs} OUTPUT_VARIABLE listing RESULT_VARIABLE rc)
execute_process(COMMAND dpkg-deb --field ${debs} Package Depends OUTPUT_VARIABLE fields)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "dpkg-deb --contents failed on ${debs}")
endif()
foreach(expected
    "./usr/bin/cassava\n"
    "./usr/bin/cassava-studio\n"
    "./usr/share/applications/cassava-studio.desktop\n"
    "./usr/share/icons/hicolor/scalable/apps/cassava-studio.svg\n")
  string(FIND "${listing}" "${expected}" at)
  if(at EQUAL -1)
    string(STRIP "${expected}" shown)
    message(FATAL_ERROR "${debs} lacks ${shown}; it holds:\n${listing}")
  endif()
endforeach()
foreach(dep "libqt6widgets6" "libtorch" "libcurl4")
  string(FIND "${fields}" "${dep}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${debs} does not depend on ${dep}; its fields:\n${fields}")
  endif()
endforeach()
message(STATUS "package ${debs} holds the executables, the .desktop file and the icon")
