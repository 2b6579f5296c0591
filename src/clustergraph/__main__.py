from clustergraph.cli import run

run()
