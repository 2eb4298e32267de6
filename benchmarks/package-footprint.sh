#!/usr/bin/env bash
# What adding Mirascope.Ops.Fody costs a project's dependency graph (docs/package.md, "Footprint"): packs the checkout
# given as $1 (default: this one) into a temporary feed and, in brand-new projects,
#   1. a net10.0 console app with one [Trace] method: the files its build output gets (count and bytes);
#   2. a net8.0 app and a netstandard2.0 library pinning the old package versions a conservative library keeps:
#      whether restore succeeds (NU1605 is a downgrade error);
#   3. a net472 app referencing that woven netstandard2.0 library: the files its output gets.
# Usage: benchmarks/package-footprint.sh [checkout]    (about 3 minutes on 2 cores)
set -euo pipefail
repo="$(cd "${1:-$(dirname "$0")/..}" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"; rm -rf ~/.nuget/packages/mirascope.ops*/0.1.0-footprint.*' EXIT
version="0.1.0-footprint.$(date +%s)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ -f "$repo/nuget/Mirascope.Ops.Packages.slnf" ]; then pack="$repo/nuget/Mirascope.Ops.Packages.slnf"; else pack="$repo/nuget/Mirascope.Ops.Fody.Package.csproj"; fi
dotnet pack "$pack" -c Release -o "$work/feed" --artifacts-path "$work/build" "-p:MirascopeOpsVersion=$version" -v q >/dev/null
cat > "$work/NuGet.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><add key="local" value="$work/feed" /></packageSources></configuration>
XML
cd "$work"
pins='<ItemGroup><PackageReference Include="System.Diagnostics.DiagnosticSource" Version="8.0.0" /><PackageReference Include="System.Text.Json" Version="8.0.5" /><PackageReference Include="Microsoft.Bcl.AsyncInterfaces" Version="8.0.0" /><PackageReference Include="System.Threading.Tasks.Extensions" Version="4.5.4" /><PackageReference Include="System.Memory" Version="4.5.5" /></ItemGroup>'
files() { find "$1" -maxdepth 1 -name '*.dll' | sort | awk '{ n++; cmd="stat -c %s " $0; cmd | getline s; close(cmd); b+=s } END { printf "%d DLLs, %d bytes", n, b }'; }

dotnet new console -o App --no-restore >/dev/null
printf 'Console.WriteLine(Shop.Price(2));\npublic static class Shop { [Mirascope.Ops.Trace] public static int Price(int i) => i * 2; }\n' > App/Program.cs
echo '<Weavers><Mirascope.Ops /></Weavers>' > App/FodyWeavers.xml
(cd App && dotnet add package Mirascope.Ops.Fody --version "$version" >/dev/null && dotnet build -v q >/dev/null)
echo "net10.0 app output: $(files App/bin/Debug/net10.0) — without the package it is 1 DLL"
find App/bin/Debug/net10.0 -maxdepth 1 -name '*.dll' -printf '  %f\n' | sort

for kind in net8.0:console netstandard2.0:classlib; do
  tfm="${kind%%:*}"; template="${kind##*:}"; name="Pinned${template}"
  dotnet new "$template" -o "$name" --no-restore >/dev/null
  sed -i "s|<TargetFramework>[^<]*</TargetFramework>|<TargetFramework>$tfm</TargetFramework>|; s|<Nullable>[^<]*</Nullable>||; s|</Project>|$pins</Project>|" "$name/$name.csproj"
  # `dotnet add package` prints a failed restore's errors and still exits 0: restore again to get the verdict.
  (cd "$name" && dotnet add package Mirascope.Ops.Fody --version "$version" >/dev/null 2>&1 || true)
  if out="$(cd "$name" && dotnet restore 2>&1)"; then
    echo "$tfm $template pinning old versions: restore succeeded"
  else
    echo "$tfm $template pinning old versions: restore FAILED: $(echo "$out" | grep -o 'NU1605: Warning As Error: Detected package downgrade: [^ ]* from [^ ]* to [0-9.]*[0-9]' | sort -u | sed 's/.*downgrade: //' | tr '\n' ';')"
  fi
done

# The net472 consumer's library pins nothing: what it gets then is what the package itself brings.
lib=Lib; dotnet new classlib -o Lib --no-restore >/dev/null
sed -i 's|<TargetFramework>[^<]*</TargetFramework>|<TargetFramework>netstandard2.0</TargetFramework>|; s|<Nullable>[^<]*</Nullable>||; s|<ImplicitUsings>[^<]*</ImplicitUsings>||' Lib/Lib.csproj
(cd Lib && dotnet add package Mirascope.Ops.Fody --version "$version" >/dev/null)
printf 'namespace L { public static class Prices { [Mirascope.Ops.Trace] public static int Price(int i) { return i * 2; } } }\n' > "$lib/Class1.cs"
echo '<Weavers><Mirascope.Ops /></Weavers>' > "$lib/FodyWeavers.xml"
dotnet new console -o Fx --no-restore >/dev/null
sed -i "s|<TargetFramework>[^<]*</TargetFramework>|<TargetFramework>net472</TargetFramework>|; s|<ImplicitUsings>[^<]*</ImplicitUsings>||; s|<Nullable>[^<]*</Nullable>||; s|</Project>|<ItemGroup><ProjectReference Include=\"../$lib/$lib.csproj\" /></ItemGroup></Project>|" Fx/Fx.csproj
echo 'static class Program { static void Main() { System.Console.WriteLine(L.Prices.Price(2)); } }' > Fx/Program.cs
(cd Fx && dotnet build -v q >/dev/null) || { (cd Fx && dotnet build -v q | tail -20); exit 1; }
echo "net472 app output with the woven netstandard2.0 library: $(files Fx/bin/Debug/net472) (the app's exe not counted; Lib.dll is one of them)"
find Fx/bin/Debug/net472 -maxdepth 1 -name '*.dll' -printf '  %f\n' | sort
