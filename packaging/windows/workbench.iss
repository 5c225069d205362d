; Inno Setup script: installs the PyInstaller folder build/dist/Workbench and registers .wbchart.
; Build on Windows after `python packaging\build.py`: iscc packaging\windows\workbench.iss
#define AppVersion GetEnv("WORKBENCH_VERSION")

[Setup]
AppId={{6E1D1E0B-4B7E-4C43-9C0D-2C8B8E5A9A11}
AppName=Workbench
AppVersion={#AppVersion}
AppPublisher=The Workbench developers
DefaultDirName={autopf}\Workbench
DefaultGroupName=Workbench
ChangesAssociations=yes
OutputDir=..\..\build\installer
OutputBaseFilename=Workbench-{#AppVersion}-setup
SetupIconFile=..\..\build\icons\workbench.ico
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible

[Files]
Source: "..\..\build\dist\Workbench\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion
Source: "..\..\build\icons\wbchart-file.ico"; DestDir: "{app}"

[Icons]
Name: "{group}\Workbench"; Filename: "{app}\Workbench.exe"
Name: "{autodesktop}\Workbench"; Filename: "{app}\Workbench.exe"; Tasks: desktopicon

[Tasks]
Name: desktopicon; Description: "Create a desktop icon"; Flags: unchecked

[Registry]
Root: HKA; Subkey: "Software\Classes\.wbchart"; ValueType: string; ValueName: ""; ValueData: "Workbench.Chart"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Workbench.Chart"; ValueType: string; ValueName: ""; ValueData: "Workbench chart"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Workbench.Chart\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\wbchart-file.ico"
Root: HKA; Subkey: "Software\Classes\Workbench.Chart\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\Workbench.exe"" ""%1"""

[Run]
Filename: "{app}\Workbench.exe"; Description: "Open Workbench"; Flags: nowait postinstall skipifsilent
