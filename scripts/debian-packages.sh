# Sourced by scripts/install and scripts/test: install the Debian packages a probe finds missing,
# and make the virtual environment locpipe is installed into.
# Probes look for what a package provides (a command, an apertium mode, a Python module), not
# at dpkg, so a tool installed some other way counts as present.

missing_packages=()

# The virtual environment both scripts install into; LOCPIPE_VENV moves it.  Made absolute,
# so that a script that changes folder still finds it.
VENV=${LOCPIPE_VENV:-.venv}
case $VENV in /*) ;; *) VENV=$PWD/$VENV ;; esac
# The Python the virtual environment is made from; PYTHON chooses another.
PYTHON=${PYTHON:-python3}

# need PACKAGE PROBE...: PACKAGE is missing unless the PROBE command succeeds.
need() {
  local package=$1
  shift
  "$@" >/dev/null 2>&1 || missing_packages+=("$package")
}

# has_apertium_mode PAIR: apertium is installed with the language pair's mode.
has_apertium_mode() {
  command -v apertium && apertium -l | grep -qx "[[:space:]]*$1"
}

# can_make_venv: the Python can make a virtual environment with pip in it (Debian and Ubuntu
# ship ensurepip apart, in python3-venv).
can_make_venv() {
  "$PYTHON" -c "import ensurepip, venv"
}

# install_missing CALLER: install what the probes found missing, as root through apt-get;
# otherwise name the packages and fail, so nothing runs half-equipped.
install_missing() {
  [ ${#missing_packages[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "$1: installing Debian packages: ${missing_packages[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_packages[@]}" >/dev/null
  else
    echo "$1: missing Debian packages: ${missing_packages[*]}" >&2
    echo "$1: install them first, as root: apt-get install ${missing_packages[*]}" >&2
    exit 2
  fi
}

# make_venv: the virtual environment, made once; pip inside it is what installs locpipe, so a
# system Python that refuses pip (PEP 668) is never touched.
make_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
  fi
}

# pip_install ARGS...: pip in the virtual environment, every version pinned by the lock file.
# The lock goes in the environment rather than on the command line so that it pins what pip
# installs to build locpipe (setuptools) too.
pip_install() {
  PIP_CONSTRAINT="$PWD/constraints.txt" "$VENV/bin/python" -m pip install --quiet \
    --disable-pip-version-check "$@"
}
