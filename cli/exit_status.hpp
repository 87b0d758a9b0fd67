// The program's exit statuses, documented in README.md ("Exit status").
#pragma once

namespace cli {

enum ExitStatus : int {
  k_exit_ok = 0,             // everything done, every row scored
  k_exit_error = 1,          // bad input file or rule file, or a file that cannot be read/written
  k_exit_usage = 2,          // bad command line
  k_exit_rows_rejected = 3,  // output written, but some rows were rejected (see --rejects)
};

}  // namespace cli
