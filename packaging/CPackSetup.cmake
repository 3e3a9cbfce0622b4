# CPack: a .deb with both executables, the .desktop file and the icon.
install(FILES ${CMAKE_SOURCE_DIR}/packaging/cassava-studio.desktop
        DESTINATION share/applications)
install(FILES ${CMAKE_SOURCE_DIR}/resources/icons/cassava-studio.svg
        DESTINATION share/icons/hicolor/scalable/apps)

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "cassava-studio")
set(CPACK_PACKAGE_VENDOR "Cassava Studio")
set(CPACK_PACKAGE_CONTACT "Cassava Studio developers <dev@cassava-studio.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
# Runtime libraries (Qt, LibTorch, OpenCV, QCustomPlot, libcurl4 and libssl3 for the weight
# downloads) come from Debian's packages; dpkg-shlibdeps lists them in Depends from the executables.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_STRIP_FILES ON)
include(CPack)
