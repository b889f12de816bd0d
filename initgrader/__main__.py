from initgrader.apps.initgraderapp import main

main()
