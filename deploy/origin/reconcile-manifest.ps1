<#
.SYNOPSIS
  Writes a Reconcile origin manifest (gzip JSON lines, format version 2) of one folder, on a
  Windows PC with nothing installed (Windows PowerShell 5.1 or PowerShell 7).

.DESCRIPTION
  One line per file and folder: its path relative to the folder ('/'-separated), size, mtime in
  nanoseconds since 1970, its Windows attributes (OneDrive Files-On-Demand placeholders carry
  Offline / RecallOnOpen / RecallOnDataAccess) and, with -Sha1, the SHA-1 of its content.
  Cloud-only files are never read (reading would download them). Only reads the folder.

.EXAMPLE
  powershell -ExecutionPolicy Bypass -File reconcile-manifest.ps1 -Path C:\Users\mdt -Out wintermute-mdt.jsonl.gz -Sha1
#>
param(
  [Parameter(Mandatory = $true)][string]$Path,  # the folder to describe
  [Parameter(Mandatory = $true)][string]$Out,   # the manifest to write (.jsonl.gz)
  [switch]$Sha1                                  # also hash every local file (reads all content)
)
$ErrorActionPreference = 'Stop'                  # any unexpected failure stops the script (no half manifest)
$Version = '0.1.0'                               # the Reconcile release this script ships with

# Recall bits: set on a file whose content is only in the cloud (winnt.h FILE_ATTRIBUTE_*).
$CloudOnly = 0x1000 -bor 0x40000 -bor 0x400000   # Offline | RecallOnOpen | RecallOnDataAccess
$Utf8 = New-Object System.Text.UTF8Encoding($false)  # UTF-8 without a byte-order mark
$Invariant = [System.Globalization.CultureInfo]::InvariantCulture
$EpochTicks = 621355968000000000                 # 1970-01-01 in .NET ticks (100 ns since year 1)

# A JSON string literal. Paths need escaping only for '"', '\', control characters and UTF-16
# surrogates (written as \uXXXX so that a lone one, which UTF-8 cannot hold, survives).
function Quote([string]$s) {
  if ($s -notmatch '["\\\x00-\x1f\uD800-\uDFFF]') { return '"' + $s + '"' }  # the common case: as is
  $b = New-Object System.Text.StringBuilder
  foreach ($c in $s.ToCharArray()) {
    $n = [int]$c
    if ($c -eq '"' -or $c -eq '\') { [void]$b.Append('\').Append($c) }
    elseif ($n -lt 0x20 -or ($n -ge 0xD800 -and $n -le 0xDFFF)) { [void]$b.Append('\u').Append($n.ToString('x4')) }
    else { [void]$b.Append($c) }
  }
  return '"' + $b.ToString() + '"'
}

# The error code the manifest records for an exception (the names Reconcile uses on every host).
function ErrorCode($e) {
  $x = $e.Exception
  while ($x.InnerException -and -not ($x -is [System.IO.IOException] -or $x -is [System.UnauthorizedAccessException])) { $x = $x.InnerException }
  if ($x -is [System.UnauthorizedAccessException]) { return 'EACCES' }
  if ($x -is [System.IO.PathTooLongException]) { return 'ENAMETOOLONG' }
  if ($x -is [System.IO.DirectoryNotFoundException] -or $x -is [System.IO.FileNotFoundException]) { return 'ENOENT' }
  $win32 = $x.HResult -band 0xFFFF                # the Win32 error inside the HRESULT
  if ($win32 -eq 32 -or $win32 -eq 33) { return 'EBUSY' }  # sharing / lock violation (NTUSER.DAT, .ost)
  return 'EIO'
}

# The folder as Windows names it (the manifest's root), and the same with the \\?\ prefix that
# lifts the 260-character limit for every path below it.
$Root = (Resolve-Path -LiteralPath $Path).ProviderPath
if ($Root.Length -gt 3) { $Root = $Root.TrimEnd('\') }  # C:\Users\mdt, but C:\ stays C:\
$Long = if ($Root.StartsWith('\\')) { '\\?\UNC\' + $Root.Substring(2) } else { '\\?\' + $Root }
try { $Top = New-Object System.IO.DirectoryInfo($Long) } catch { $Top = New-Object System.IO.DirectoryInfo($Root); $Long = $Root }  # an old .NET without \\?\ support
$Skip = $Top.FullName.TrimEnd('\').Length + 1    # characters before a relative path

# Written beside the target and renamed at the end: an interrupted run leaves no manifest that looks whole.
$Target = [System.IO.Path]::GetFullPath((Join-Path (Get-Location).ProviderPath $Out))
$Partial = $Target + '.partial'
$File = [System.IO.File]::Create($Partial)
$Gzip = New-Object System.IO.Compression.GZipStream($File, [System.IO.Compression.CompressionLevel]::Fastest)
$W = New-Object System.IO.StreamWriter($Gzip, $Utf8, 1048576)  # 1 MiB buffer between lines and gzip
$Hasher = if ($Sha1) { [System.Security.Cryptography.SHA1]::Create() } else { $null }
$Count = @{ entries = 0; files = 0; hashed = 0; bytes = [long]0 }
$Skipped = New-Object System.Collections.ArrayList  # entries written with an error, for the summary

try {
  # Line 1, the header ("\n" line ends on every platform: StreamWriter.WriteLine would write CRLF).
  $Created = [DateTime]::UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", $Invariant)
  $W.Write('{"format":"reconcile-manifest","version":2,"host":' + (Quote $env:COMPUTERNAME) + ',"root":' + (Quote $Root) +
    ',"pathStyle":"windows","createdAt":"' + $Created + '","hash":' + $(if ($Sha1) { '"sha1"' } else { 'null' }) +
    ',"generator":"reconcile-manifest.ps1 ' + $Version + '"}' + "`n")
  # One line per entry: path, type and size (set by the caller), then mtime and attributes.
  function Emit([System.IO.FileSystemInfo]$Item, [string]$Rel, [string]$Fields) {
    $Mtime = ([decimal]$Item.LastWriteTimeUtc.Ticks - $EpochTicks) * 100  # ns since 1970, exact to 100 ns
    $W.Write('{"path":' + (Quote $Rel) + $Fields + ',"mtimeNs":"' + $Mtime + '","attrs":' + [long]$Item.Attributes + '}' + "`n")
    $Count.entries++
    if ($Count.entries % 1000 -eq 0) { Write-Progress -Activity "manifest of $Root" -Status "$($Count.entries) entries, $($Count.files) files" }
  }
  $Stack = New-Object System.Collections.Stack    # folders still to list: depth first, no recursion limit
  $Stack.Push($Top)
  while ($Stack.Count -gt 0) {
    $Dir = $Stack.Pop()
    $Fields = ',"type":"dir","size":0'
    try { $Items = @($Dir.EnumerateFileSystemInfos()) }  # the whole listing now, so its errors land here
    catch {
      if ([object]::ReferenceEquals($Dir, $Top)) { throw }  # the folder itself: nothing to describe
      $Items = @()                                 # its content is unknown: the line says why
      $Code = ErrorCode $_; $Fields += ',"error":"' + $Code + '"'; [void]$Skipped.Add("$Code $($Dir.FullName.Substring($Skip))")
    }
    if (-not [object]::ReferenceEquals($Dir, $Top)) { Emit $Dir ($Dir.FullName.Substring($Skip).Replace('\', '/')) $Fields }  # a folder's line, once listed
    foreach ($Item in $Items) {
      $Rel = $Item.FullName.Substring($Skip).Replace('\', '/')  # manifest paths use '/'
      $Attrs = [long]$Item.Attributes              # every FILE_ATTRIBUTE_* bit, named in .NET or not
      # Only a reparse point (0x400) can be a link; cloud placeholders are reparse points too, with no LinkType.
      $Link = if ($Attrs -band 0x400) { $Item.LinkType } else { $null }
      if ($Link -eq 'Junction' -or $Link -eq 'SymbolicLink') {
        Emit $Item $Rel ',"type":"symlink","size":0'  # recorded, never followed (junction loops)
      } elseif ($Item -is [System.IO.DirectoryInfo]) {
        $Stack.Push($Item)                         # written when it is listed
      } else {
        $Fields = ',"type":"file","size":' + $Item.Length  # a placeholder's size is the cloud file's
        $Count.files++; $Count.bytes += $Item.Length
        if ($Hasher -and -not ($Attrs -band $CloudOnly)) {  # never read a cloud-only file: it would download
          try {
            $S = New-Object System.IO.FileStream($Item.FullName, 'Open', 'Read', 'ReadWrite, Delete', 1048576)
            try { $Fields += ',"sha1":"' + [BitConverter]::ToString($Hasher.ComputeHash($S)).Replace('-', '').ToLowerInvariant() + '"'; $Count.hashed++ }
            finally { $S.Dispose() }
          } catch { $Code = ErrorCode $_; $Fields += ',"error":"' + $Code + '"'; [void]$Skipped.Add("$Code $Rel") }
        }
        Emit $Item $Rel $Fields
      }
    }
  }
  $W.Dispose()                                    # flushes the writer, then the gzip trailer, then closes the file
  if (Test-Path -LiteralPath $Target) { Remove-Item -LiteralPath $Target -Force }
  Move-Item -LiteralPath $Partial -Destination $Target
} catch {
  $W.Dispose()
  Remove-Item -LiteralPath $Partial -Force -ErrorAction SilentlyContinue
  throw
}
Write-Progress -Activity "manifest of $Root" -Completed
$Hashed = if ($Sha1) { ", $($Count.hashed) hashed" } else { '' }
Write-Output "manifest ${Target}: $($Count.entries) entries ($($Count.files) files, $($Count.bytes) bytes) of $Root$Hashed"
$Skipped | Select-Object -First 10 | ForEach-Object { Write-Output "  not read ($_)" }
$Hash = (Get-FileHash -LiteralPath $Target -Algorithm SHA256).Hash.ToLowerInvariant()
Write-Output "SHA-256 $Hash (compare with the upload page)"
