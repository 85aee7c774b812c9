"""(being written) reader module: trade."""
