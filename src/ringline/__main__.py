from ringline.cli import main

main()
