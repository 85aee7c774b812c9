"""(being written) reader module: lists."""
