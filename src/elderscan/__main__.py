from elderscan.cli import main

main()
