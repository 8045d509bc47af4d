# Shared by bin/start and bin/test: put the tools this project needs on a fresh machine.
# Sourced, not run. Installs system packages only when they are missing and we are root.

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1

apt_install() {
  # apt_install PACKAGE... — install the Debian packages that are not installed yet.
  local missing=()
  for package in "$@"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing system packages: ${missing[*]} (install them with apt-get as root)." >&2
    return 1
  fi
  echo "Installing ${missing[*]} …"
  if [ -z "${KP_APT_UPDATED:-}" ]; then
    apt-get update -qq
    export KP_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_python() {
  # .python-version pins 3.13.0; uv finds it through pyenv (it cannot download one here).
  if ! command -v uv >/dev/null 2>&1; then
    python -m pip install --quiet --disable-pip-version-check uv
  fi
  uv sync --frozen --quiet
}
