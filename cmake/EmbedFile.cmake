# embed_text_file(OUTPUT_CPP SYMBOL INPUT): writes a .cpp defining
# `extern const char* const SYMBOL` with the file's bytes, so the binary carries the
# default scenario and runs with no other input.
function(embed_text_file output symbol input)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${input} -DOUTPUT=${output} -DSYMBOL=${symbol}
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedFileScript.cmake
    DEPENDS ${input} ${PROJECT_SOURCE_DIR}/cmake/EmbedFileScript.cmake
    COMMENT "Embedding ${input}")
endfunction()
