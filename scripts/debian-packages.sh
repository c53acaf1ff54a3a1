# Sourced by scripts/install and scripts/test: install the Debian packages a probe finds missing.
# Probes look for what a package provides (a command, an apertium mode), not at dpkg, so a
# tool installed some other way counts as present.

missing_packages=()

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

# install_missing CALLER: install what the probes found missing, as root through apt-get;
# otherwise name the packages and fail, so nothing runs half-equipped.
install_missing() {
  [ ${#missing_packages[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "$1: installing Debian packages: ${missing_packages[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_packages[@]}" >/dev/null
  else
    echo "$1: missing Debian packages: ${missing_packages[*]} (install them with apt-get)" >&2
    exit 2
  fi
}
