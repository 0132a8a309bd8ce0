# Sourced by scripts/console, scripts/test and scripts/build: make .venv with the project installed (idempotent,
# quick when nothing changed). Set VENV_EXTRAS=dev for the test/build tools.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
EXTRAS="${VENV_EXTRAS:-}"
if [ ! -x "$ROOT/.venv/bin/python" ]; then
  echo "正在准备运行环境（第一次需要一两分钟）…" >&2
  "$PY" -m venv "$ROOT/.venv"
  "$ROOT/.venv/bin/python" -m pip install -q --upgrade pip >/dev/null
fi
STAMP="$ROOT/.venv/.installed${EXTRAS:+-$EXTRAS}"
if [ ! -f "$STAMP" ] || [ "$ROOT/pyproject.toml" -nt "$STAMP" ]; then
  LOG="$ROOT/.venv/pip-install.log"
  if ! "$ROOT/.venv/bin/python" -m pip install -e "$ROOT${EXTRAS:+[$EXTRAS]}" >"$LOG" 2>&1; then
    tail -30 "$LOG" >&2
    echo "安装依赖失败，详见 $LOG" >&2
    exit 1
  fi
  touch "$STAMP"
fi
