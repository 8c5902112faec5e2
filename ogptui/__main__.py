from ogptui.cli import main

raise SystemExit(main())
