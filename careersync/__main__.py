from careersync.cli import main

main()
