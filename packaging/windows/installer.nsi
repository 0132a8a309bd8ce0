; NSIS script for wxconsole-setup-<version>.exe, built on Linux by scripts/build-windows:
;   makensis -INPUTCHARSET UTF8 -DVERSION=0.1.0 -DBUNDLE=dist-windows/wxconsole -DROOT=. -DOUTFILE=... installer.nsi
;
; - Chinese UI; per-user install under %LOCALAPPDATA%\Programs\wxconsole: no administrator rights needed.
; - Start-menu and desktop shortcuts; an uninstaller listed in Settings > Apps (HKCU Uninstall key).
; - Upgrade: installs over the old version (the old program folder is replaced, nothing else is touched).
; - The user's data folder %LOCALAPPDATA%\wxconsole (journal, settings, logs; see console/core/paths.py) is never
;   touched on install/upgrade, and kept on uninstall unless the user ticks "删除我的数据" (silent: /DELETEDATA).
; - The AppSecret stays in the Windows Credential Manager (the uninstaller does not touch it).
Target amd64-unicode  ; 64-bit stub: Windows 10/11 x64 only (the app itself is x64); Wine here runs 64-bit only
ManifestDPIAware true
SetCompressor /SOLID lzma

!ifndef VERSION
  !error "pass -DVERSION=x.y.z"
!endif
!define APP_ID "wxconsole"
!define APP_NAME "微信通知控制台"
!define PUBLISHER "wxconsole"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_ID}"

Name "${APP_NAME}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP_ID}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
RequestExecutionLevel user
BrandingText "${APP_NAME} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=2052 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=2052 "FileDescription" "${APP_NAME} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "${PUBLISHER}"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "Sections.nsh"

!define MUI_ICON "${ROOT}\resources\icons\wxconsole.ico"
!define MUI_UNICON "${ROOT}\resources\icons\wxconsole.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\wxconsole-gui.exe"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!define MUI_COMPONENTSPAGE_TEXT_TOP "默认只卸载程序，您的发送记录、设置和日志会保留，重新安装后可继续使用。"
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "SimpChinese"

Section "!${APP_NAME}" SecMain
  SectionIn RO
  ; Upgrade: drop the old program files first so no stale module of the old version is left behind.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${BUNDLE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${APP_NAME}"
  CreateShortCut "$SMPROGRAMS\${APP_NAME}\${APP_NAME}.lnk" "$INSTDIR\wxconsole-gui.exe" "" "$INSTDIR\wxconsole-gui.exe" 0
  CreateShortCut "$SMPROGRAMS\${APP_NAME}\卸载${APP_NAME}.lnk" "$INSTDIR\uninstall.exe"
  CreateShortCut "$DESKTOP\${APP_NAME}.lnk" "$INSTDIR\wxconsole-gui.exe" "" "$INSTDIR\wxconsole-gui.exe" 0

  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\wxconsole-gui.exe"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Section "un.!卸载程序" UnSecMain
  SectionIn RO
  Delete "$DESKTOP\${APP_NAME}.lnk"
  RMDir /r "$SMPROGRAMS\${APP_NAME}"
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\wxconsole.exe"
  Delete "$INSTDIR\wxconsole-gui.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKCU "${UNINST_KEY}"
SectionEnd

; Unticked by default: the data is kept unless the user asks. Silent uninstall deletes it only with /DELETEDATA.
Section /o "un.删除我的数据（发送记录、设置、日志）" UnSecData
  RMDir /r "$LOCALAPPDATA\${APP_ID}"
SectionEnd

Function un.onInit
  ${GetParameters} $0
  ClearErrors
  ${GetOptions} $0 "/DELETEDATA" $1
  ${IfNot} ${Errors}
    SectionSetFlags ${UnSecData} ${SF_SELECTED}
  ${EndIf}
FunctionEnd
