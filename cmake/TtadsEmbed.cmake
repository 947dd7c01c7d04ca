# ttads_embed(NAME <lib> HEADER <include path> NAMESPACE <ns>
#             ENTRIES <function> <file> [<function> <file> ...])
#
# A static library `ttads_<lib>` whose header (`HEADER`, relative to the
# build directory, e.g. `embedded/swagger_ui.h`) declares, in namespace
# `NAMESPACE`, one `std::string_view <function>()` per entry: the bytes of
# `<file>` as they were at build time, linked into the binary (the
# assembler's .incbin), so a binary serves them without reading files.
#
# The generated source names each file's SHA-256: ccache hashes the source,
# not the files .incbin reads, so a changed file must change the source.
function(ttads_embed)
  cmake_parse_arguments(E "" "NAME;HEADER;NAMESPACE" "ENTRIES" ${ARGN})
  set(header ${CMAKE_BINARY_DIR}/${E_HEADER})
  get_filename_component(stem ${E_HEADER} NAME_WE)
  get_filename_component(dir ${header} DIRECTORY)
  set(source ${dir}/${stem}.cc)
  set(files)
  set(args)
  list(LENGTH E_ENTRIES n)
  math(EXPR last "${n} - 1")
  foreach(i RANGE 0 ${last} 2)
    math(EXPR j "${i} + 1")
    list(GET E_ENTRIES ${i} fn)
    list(GET E_ENTRIES ${j} file)
    list(APPEND files ${file})
    list(APPEND args "${fn}=${file}")
  endforeach()
  string(REPLACE ";" "|" joined "${args}")
  add_custom_command(
    OUTPUT ${header} ${source}
    COMMAND ${CMAKE_COMMAND} -DHEADER=${header} -DSOURCE=${source}
      -DINCLUDE=${E_HEADER} -DNAMESPACE=${E_NAMESPACE} "-DENTRIES=${joined}"
      -P ${CMAKE_SOURCE_DIR}/cmake/embed_files.cmake
    DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/embed_files.cmake
    COMMENT "embed ${E_HEADER}"
    VERBATIM)
  add_library(ttads_${E_NAME} STATIC ${source})
  # .incbin reads the files when the source is assembled.
  set_source_files_properties(${source} PROPERTIES OBJECT_DEPENDS "${files}")
  target_include_directories(ttads_${E_NAME} PUBLIC ${CMAKE_BINARY_DIR})
endfunction()
