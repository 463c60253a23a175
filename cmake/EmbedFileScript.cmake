# Script mode: turn INPUT into a C++ byte array named SYMBOL in OUTPUT.
file(READ ${INPUT} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUTPUT}.tmp
  "// Generated from ${INPUT}; do not edit.\n"
  "namespace expanse::embedded {\n"
  "extern const char ${SYMBOL}[];\n"
  "const char ${SYMBOL}[] = {${bytes} 0x00};\n"
  "}\n")
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
