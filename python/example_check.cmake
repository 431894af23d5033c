# Runs examples/python/top_features.py (ctest's python_example) and checks
# that it wrote a PNG. Skipped, not failed, when the interpreter lacks
# matplotlib, which the module itself does not need.
# -DPYTHON=<interpreter> -DSCRIPT=<example> -DPNG=<output>; PYTHONPATH is set
# by the test.
execute_process(COMMAND ${PYTHON} -c "import matplotlib"
  RESULT_VARIABLE missing OUTPUT_QUIET ERROR_QUIET)
if(NOT missing EQUAL 0)
  message(STATUS "python_example skipped: ${PYTHON} lacks matplotlib "
    "(python3-matplotlib)")
  return()
endif()
file(REMOVE ${PNG})
execute_process(COMMAND ${PYTHON} ${SCRIPT} ${PNG} RESULT_VARIABLE failed)
if(NOT failed EQUAL 0)
  message(FATAL_ERROR "${SCRIPT} failed: ${failed}")
endif()
if(NOT EXISTS ${PNG})
  message(FATAL_ERROR "${SCRIPT} wrote no ${PNG}")
endif()
file(READ ${PNG} signature LIMIT 8 HEX)
if(NOT signature STREQUAL "89504e470d0a1a0a")
  message(FATAL_ERROR "${PNG} is not a PNG: it starts with ${signature}")
endif()
