# Installs helpsite, the help-center site generator, on Windows from its prebuilt release.
#
#   powershell -ExecutionPolicy Bypass -c "irm https://github.com/helpsite/helpsite/releases/latest/download/install.ps1 | iex"
#
# It downloads helpsite-x86_64-pc-windows-msvc.zip and its .sha256 file, checks the
# checksum, and puts helpsite.exe into ~\.local\bin. Nothing is installed unless every
# step succeeded, and its temporary files are removed either way.
#
# Environment:
#   HELPSITE_VERSION       a release tag such as v0.2.0 (default: the latest release)
#   HELPSITE_INSTALL_DIR   where to put helpsite.exe (default: ~\.local\bin)
#   HELPSITE_DOWNLOAD_URL  the folder holding the archives, instead of the GitHub release

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'   # the progress bar makes downloads very slow

$Repository = 'https://github.com/helpsite/helpsite'

# Stops the installation: the message is printed by the handler at the end, after the
# temporary folder is gone. (No `exit` here: run through `irm | iex`, exit would close
# the reader's PowerShell window.)
function Fail([string]$Message) {
    throw [System.InvalidOperationException]::new($Message)
}

function Say([string]$Message) {
    Write-Host "helpsite install: $Message"
}

function Install-Helpsite {
    # Windows on Arm runs the x86_64 program through its emulation.
    $Cpu = $env:PROCESSOR_ARCHITECTURE
    if ($env:PROCESSOR_ARCHITEW6432) { $Cpu = $env:PROCESSOR_ARCHITEW6432 }
    switch ($Cpu) {
        'AMD64' { $Target = 'x86_64-pc-windows-msvc' }
        'ARM64' { $Target = 'x86_64-pc-windows-msvc' }
        default { Fail "no helpsite archive for the CPU '$Cpu' (there is one for x86_64); build it from source with: cargo install helpsite" }
    }

    $Archive = "helpsite-$Target.zip"
    if ($env:HELPSITE_DOWNLOAD_URL) {
        $BaseUrl = $env:HELPSITE_DOWNLOAD_URL.TrimEnd('/')
    } elseif ($env:HELPSITE_VERSION) {
        $BaseUrl = "$Repository/releases/download/$($env:HELPSITE_VERSION)"
    } else {
        $BaseUrl = "$Repository/releases/latest/download"
    }
    if ($env:HELPSITE_INSTALL_DIR) {
        $InstallDir = $env:HELPSITE_INSTALL_DIR
    } else {
        $InstallDir = Join-Path $HOME '.local\bin'
    }

    $Temp = Join-Path ([System.IO.Path]::GetTempPath()) ("helpsite-install-" + [System.Guid]::NewGuid())
    New-Item -ItemType Directory -Path $Temp | Out-Null
    try {
        Say "downloading $BaseUrl/$Archive"
        foreach ($Name in @($Archive, "$Archive.sha256")) {
            try {
                Invoke-WebRequest -UseBasicParsing -Uri "$BaseUrl/$Name" -OutFile (Join-Path $Temp $Name)
            } catch {
                Fail "could not download $BaseUrl/$Name ($($_.Exception.Message))"
            }
        }

        $Expected = ((Get-Content (Join-Path $Temp "$Archive.sha256") -Raw).Trim() -split '\s+')[0].ToLowerInvariant()
        if ($Expected -notmatch '^[0-9a-f]{64}$') { Fail "$Archive.sha256 does not hold a SHA-256 checksum" }
        $Actual = (Get-FileHash -Algorithm SHA256 -Path (Join-Path $Temp $Archive)).Hash.ToLowerInvariant()
        if ($Expected -ne $Actual) {
            Fail "checksum mismatch for $Archive (expected $Expected, got $Actual); nothing was installed"
        }

        $Unpacked = Join-Path $Temp 'unpacked'
        try {
            Expand-Archive -Path (Join-Path $Temp $Archive) -DestinationPath $Unpacked
        } catch {
            Fail "could not unpack $Archive ($($_.Exception.Message))"
        }
        $Binary = Join-Path $Unpacked "helpsite-$Target\helpsite.exe"
        if (-not (Test-Path $Binary)) { Fail "$Archive holds no helpsite-$Target\helpsite.exe" }
        $Version = & $Binary --version
        if ($LASTEXITCODE -ne 0) { Fail "the downloaded helpsite.exe does not run on this computer" }

        New-Item -ItemType Directory -Force -Path $InstallDir | Out-Null
        # Copied beside the old program, then moved over it: never half a program in place.
        $Partial = Join-Path $InstallDir ".helpsite.partial.$PID.exe"
        try {
            Copy-Item -Path $Binary -Destination $Partial
            Move-Item -Force -Path $Partial -Destination (Join-Path $InstallDir 'helpsite.exe')
        } catch {
            Remove-Item -Force -ErrorAction SilentlyContinue $Partial
            Fail "could not write into $InstallDir ($($_.Exception.Message))"
        }
        Say "installed $Version into $(Join-Path $InstallDir 'helpsite.exe')"

        $UserPath = [Environment]::GetEnvironmentVariable('Path', 'User')
        $OnPath = ($env:Path -split ';') + ($UserPath -split ';') | Where-Object { $_.TrimEnd('\') -eq $InstallDir.TrimEnd('\') }
        if ($OnPath) {
            Say 'run: helpsite --help'
        } else {
            Say "$InstallDir is not on your PATH yet. Add it for your user with:"
            Write-Host ""
            Write-Host "    [Environment]::SetEnvironmentVariable('Path', `"$InstallDir;`" + [Environment]::GetEnvironmentVariable('Path', 'User'), 'User')"
            Write-Host ""
            Say 'then open a new terminal.'
        }
    } finally {
        Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $Temp
    }
}

$Status = 0
try {
    Install-Helpsite
} catch {
    Write-Host "helpsite install: error: $($_.Exception.Message)" -ForegroundColor Red
    $Status = 1
}
# A script file ends with the status as its exit code; through `iex` it is left in
# $LASTEXITCODE so the window stays open.
if ($MyInvocation.MyCommand.Path) { exit $Status }
$global:LASTEXITCODE = $Status
