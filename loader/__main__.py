"""`python -m qualgraph` runs the qualgraph command line."""

from qualgraph.cli import run

run()
