# Sourced by scripts/build-windows: make a Wine prefix for building and for the tests (TEST SCAFFOLDING — nothing here
# goes into the bundle or the installer, so this file is not one of the bundle's build inputs).
#   - Windows 10, headless (wineboot needs no display);
#   - Wine-gap shim DLLs (tests/deploy/wine_shims/) in system32;
#   - a CJK font for the dialogs: an en-US Wine prefix draws NSIS's Chinese pages (font 宋体, see NSIS's
#     Contrib/Language files/SimpChinese.nlf) and other dialog text in fonts without CJK glyphs, i.e. as boxes. A
#     clerk's Chinese Windows has SimSun / Microsoft YaHei; here WenQuanYi Micro Hei (apt fonts-wqy-microhei) is copied
#     into the prefix's Fonts and named as their substitute (FontSubstitutes) and as the fallback of the Latin UI fonts
#     (FontLink\SystemLink, which is how Windows itself links CJK glyphs to Tahoma / Segoe UI).
# Needs: $WINE, $SHIM_SRC, $SHIM_OUT set by the caller. Wine commands run with fd 9 closed (scripts/build-windows holds
# its cache lock on fd 9: a left-over wineserver must not keep it).

WQY_TTC=/usr/share/fonts/truetype/wqy/wqy-microhei.ttc

build_shims() {
  mkdir -p "$SHIM_OUT"
  if [ ! -f "$SHIM_OUT/icuuc.dll" ] || [ "$SHIM_SRC/icuuc.c" -nt "$SHIM_OUT/icuuc.dll" ]; then
    x86_64-w64-mingw32-gcc -shared -O2 -s -o "$SHIM_OUT/icuuc.dll" "$SHIM_SRC/icuuc.c"
  fi
  if [ ! -f "$SHIM_OUT/bcryptprimitives.dll" ] || [ "$SHIM_SRC/bcryptprimitives.c" -nt "$SHIM_OUT/bcryptprimitives.dll" ]; then
    x86_64-w64-mingw32-gcc -shared -O2 -s -o "$SHIM_OUT/bcryptprimitives.dll" "$SHIM_SRC/bcryptprimitives.c" -ladvapi32
  fi
}

# The registry file for the CJK font (regedit wants UTF-16 with a BOM for non-ASCII names such as 宋体).
cjk_font_reg() {
  local face="WenQuanYi Micro Hei" link='"wqy-microhei.ttc,WenQuanYi Micro Hei"'
  local sub="HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows NT\\CurrentVersion\\FontSubstitutes"
  local sys="HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows NT\\CurrentVersion\\FontLink\\SystemLink"
  local fonts="HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows NT\\CurrentVersion\\Fonts"
  {
    printf 'Windows Registry Editor Version 5.00\r\n\r\n'
    printf '[%s]\r\n"WenQuanYi Micro Hei (TrueType)"="wqy-microhei.ttc"\r\n\r\n' "$fonts"
    printf '[%s]\r\n' "$sub"
    for name in "SimSun" "宋体" "NSimSun" "新宋体" "Microsoft YaHei" "微软雅黑" "Microsoft YaHei UI" "SimHei" "黑体"; do
      printf '"%s"="%s"\r\n' "$name" "$face"
    done
    printf '\r\n[%s]\r\n' "$sys"
    for name in "Tahoma" "MS Shell Dlg" "MS Shell Dlg 2" "Segoe UI" "Microsoft Sans Serif" "Arial"; do
      # REG_MULTI_SZ in .reg syntax: hex(7) of the UTF-16LE string plus two terminating NULs
      printf '"%s"=hex(7):%s\r\n' "$name" "$(printf '%s\0\0' "${link//\"/}" | iconv -f UTF-8 -t UTF-16LE | od -An -tx1 -v | tr -s ' \n' ',' | sed 's/^,//;s/,$//')"
    done
  } | iconv -f UTF-8 -t UTF-16LE | { printf '\xff\xfe'; cat; }
}

# A Wine prefix set to Windows 10, with the shims in system32 and the CJK font. Headless.
init_prefix() {
  local prefix="$1"
  build_shims
  if [ ! -f "$prefix/.wxconsole-ready" ] || [ ! -f "$prefix/.wxconsole-cjk" ]; then
    rm -rf "$prefix"
    mkdir -p "$prefix"
    WINEPREFIX="$prefix" "$WINE" wineboot --init 9>&- 2>&1 | cat >/dev/null
    WINEPREFIX="$prefix" "$WINE" winecfg /v win10 9>&- 2>&1 | cat >/dev/null
    if [ -f "$WQY_TTC" ]; then
      cp "$WQY_TTC" "$prefix/drive_c/windows/Fonts/"
      cjk_font_reg >"$prefix/drive_c/cjk-font.reg"
      WINEPREFIX="$prefix" "$WINE" regedit /S 'C:\cjk-font.reg' 9>&- 2>&1 | cat >/dev/null
      rm -f "$prefix/drive_c/cjk-font.reg"
    fi
    WINEPREFIX="$prefix" wineserver -w 9>&-
    touch "$prefix/.wxconsole-ready" "$prefix/.wxconsole-cjk"
  fi
  # Sandbox: Wine links Desktop, Documents ... to the Unix home; make them real folders inside the prefix so that
  # installers and tests never write into this machine's home.
  find "$prefix/drive_c/users" -mindepth 2 -maxdepth 2 -type l -print0 | while IFS= read -r -d '' link; do
    rm "$link" && mkdir -p "$link"
  done
  cp "$SHIM_OUT/icuuc.dll" "$SHIM_OUT/bcryptprimitives.dll" "$prefix/drive_c/windows/system32/"
}
