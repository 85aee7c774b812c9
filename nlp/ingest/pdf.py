"""(being written) reader module: pdf."""
