from elderscan.cli.root import main

main()
