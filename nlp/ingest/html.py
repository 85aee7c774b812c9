"""(being written) reader module: html."""
