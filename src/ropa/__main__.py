"""`python -m ropa` runs the command line."""

from ropa.cli import main

main()
