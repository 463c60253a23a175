# EXPANSE_STEP_ISA_FLAGS: the flags that compile the environment's step loop for x86-64-v3 (AVX2,
# BMI1/2, LZCNT, MOVBE: VEX three-operand forms and bit-scan instructions shorten its code by about
# a tenth; see docs/benchmarks.md). Set only when the compiler accepts them and the machine that
# configures the build has those instructions: Expanse is built on the machine that runs it (the
# setup script), so a binary copied to an older processor needs -DEXPANSE_X86_64_V3=OFF.
# Results do not change: -ffp-contract=off forbids fused multiply-adds, and the vectoriser does not
# reorder floating-point sums; a test pins random play's trajectories bit for bit.
option(EXPANSE_X86_64_V3 "Compile the env's step loop for x86-64-v3 when this machine has it" ON)
set(EXPANSE_STEP_ISA_FLAGS "")
if(EXPANSE_X86_64_V3 AND CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64)$" AND NOT CMAKE_CROSSCOMPILING)
  include(CheckCXXCompilerFlag)
  check_cxx_compiler_flag(-march=x86-64-v3 EXPANSE_COMPILER_HAS_X86_64_V3)
  if(EXPANSE_COMPILER_HAS_X86_64_V3)
    try_run(EXPANSE_CPU_LACKS_X86_64_V3 EXPANSE_CPU_CHECK_COMPILES
            SOURCE_FROM_CONTENT cpu_has_x86_64_v3.cpp
            "int main() { __builtin_cpu_init(); return __builtin_cpu_supports(\"x86-64-v3\") ? 0 : 1; }")
    if(EXPANSE_CPU_CHECK_COMPILES AND EXPANSE_CPU_LACKS_X86_64_V3 EQUAL 0)
      set(EXPANSE_STEP_ISA_FLAGS -march=x86-64-v3)
    endif()
  endif()
endif()
message(STATUS "Env step loop ISA flags: ${EXPANSE_STEP_ISA_FLAGS}")
