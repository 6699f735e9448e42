"""A small module for the code snippet examples."""

import sys


def greet(name: str) -> str:
    # #region message
    greeting = f"Hello, {name}!"
    return greeting
    # #endregion


if __name__ == "__main__":
    print(greet(sys.argv[1] if len(sys.argv) > 1 else "world"))
