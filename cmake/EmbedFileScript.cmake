# Script mode: turn INPUT into a C++ byte array behind `const char* const SYMBOL` in OUTPUT.
# Bytes, not a string literal: the files hold UTF-8 and may exceed literal length limits.
file(READ ${INPUT} hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUTPUT}.tmp
  "// Generated from ${INPUT}; do not edit.\n"
  "namespace expanse::embedded {\n"
  "namespace {\n"
  "const unsigned char bytes[] = {${bytes} 0x00};\n"
  "}\n"
  "extern const char* const ${SYMBOL};\n"
  "const char* const ${SYMBOL} = reinterpret_cast<const char*>(bytes);\n"
  "}\n")
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
