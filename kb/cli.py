"""smtpkb command line (work in progress)."""
import sys, os

def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "validate":
        from .checks import validate
        root = argv[1] if len(argv) > 1 else "codes"
        problems = validate(root)
        for p in problems:
            print(p)
        print(f"{len(problems)} problem(s)", file=sys.stderr)
        return 1 if problems else 0
    return 2

if __name__ == "__main__":
    sys.exit(main())
