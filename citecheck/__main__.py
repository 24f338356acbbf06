from citecheck.entry import main

main()
