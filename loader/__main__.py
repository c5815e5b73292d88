"""`python -m loader` runs the qualgraph command line."""

from .cli import run

run()
