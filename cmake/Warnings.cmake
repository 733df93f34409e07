# Project-wide warning flags, applied per target so third-party headers stay quiet.
function(choreo_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Woverloaded-virtual)
  if(CHOREO_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
