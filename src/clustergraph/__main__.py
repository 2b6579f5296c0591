from clustergraph.cli import main

main(prog_name="clustergraph")
