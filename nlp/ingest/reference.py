"""(being written) reader module: reference."""
