# Project-wide warning flags, applied per target so third-party headers stay quiet.
function(choreo_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Woverloaded-virtual)
  if(CHOREO_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
    # GCC 12 at -O2 and above reports `"literal" + std::string` inside libstdc++ as an overlapping
    # memcpy (GCC bug 105651, fixed in 13): still shown, never fatal, or the Release build of
    # ./dev bench and the images would fail on correct code.
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      target_compile_options(${target} PRIVATE -Wno-error=restrict)
    endif()
  endif()
endfunction()
