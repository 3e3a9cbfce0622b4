# cassava_set_warnings(target): -Wall -Wextra for our own code; third-party headers come in as SYSTEM.
function(cassava_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra)
endfunction()
