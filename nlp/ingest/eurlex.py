"""(being written) reader module: eurlex."""
