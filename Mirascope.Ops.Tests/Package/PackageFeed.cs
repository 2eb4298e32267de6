using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Xml.Linq;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace Mirascope.Ops.Tests.Package
{
    /// <summary>The package tests share one pack: they run one after another, in this collection.</summary>
    [CollectionDefinition(Name)]
    public sealed class PackageCollection : ICollectionFixture<PackageFeed>
    {
        public const string Name = "Package";
    }

    /// <summary>
    /// Every package of the solution (Mirascope.Ops, Mirascope.Ops.Fody, Mirascope.Ops.Export, Mirascope.Ops.Llm) packed
    /// from this checkout into a local feed in a temporary folder, plus a NuGet.config there that adds the feed to the
    /// machine's usual sources, so projects created below the folder install them like a user.
    /// </summary>
    /// <remarks>
    /// The packages get a version of their own per run (<c>0.1.0-smoke.&lt;time&gt;</c>): NuGet caches a package by id and
    /// version in the global packages folder, and a stale 0.1.0 from an earlier run would silently be tested instead.
    /// The build happens in the temporary folder too (<c>--artifacts-path</c>), so the checkout's bin/ and obj/ are not
    /// touched while other tests run. The version is removed from the global packages folder at the end.
    /// </remarks>
    public sealed class PackageFeed : IDisposable
    {
        public PackageFeed(IMessageSink diagnostics)
        {
            Root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "mirascope-ops-package-" + Guid.NewGuid().ToString("N")[..8])).FullName;
            FeedDirectory = Path.Combine(Root, "feed");
            BaseVersion = ReadBaseVersion();
            Version = BaseVersion + (BaseVersion.Contains('-') ? "." : "-") + "smoke." + DateTime.UtcNow.ToString("yyyyMMddHHmmss");
            var log = new MessageSinkLog(diagnostics);
            Pack = DotnetCli.Run(log, RepositoryPaths.Root, new[]
            {
                "pack", PackagesFilter, "-c", "Release", "-o", FeedDirectory,
                "--artifacts-path", BuildDirectory, "-p:MirascopeOpsVersion=" + Version,
            });
            File.WriteAllText(Path.Combine(Root, "NuGet.config"), $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources>
                    <add key="mirascope-ops-local" value="{FeedDirectory}" />
                  </packageSources>
                </configuration>
                """);
        }

        /// <summary>The ids of the packages `dotnet pack` of the solution writes, each with its project.</summary>
        public static readonly IReadOnlyDictionary<string, string> Packages = new Dictionary<string, string>
        {
            ["Mirascope.Ops"] = "Mirascope.Ops/Mirascope.Ops.csproj",
            ["Mirascope.Ops.Export"] = "Mirascope.Ops.Export/Mirascope.Ops.Export.csproj",
            ["Mirascope.Ops.Fody"] = "nuget/Mirascope.Ops.Fody.Package.csproj",
            ["Mirascope.Ops.Llm"] = "Mirascope.Ops.Llm/Mirascope.Ops.Llm.csproj",
        };

        /// <summary>The solution filter naming exactly the packable projects (packing it builds nothing else).</summary>
        public static string PackagesFilter => Path.Combine(RepositoryPaths.Root, "nuget", "Mirascope.Ops.Packages.slnf");

        /// <summary>The temporary folder: feed, build output, NuGet.config and the consumer projects.</summary>
        public string Root { get; }

        public string FeedDirectory { get; }

        public string BuildDirectory => Path.Combine(Root, "build");

        /// <summary>The version the repository sets (Directory.Build.props, <c>MirascopeOpsVersion</c>).</summary>
        public string BaseVersion { get; }

        /// <summary>The version packed for this run.</summary>
        public string Version { get; }

        public CommandResult Pack { get; }

        public string PackageFile(string id) => Path.Combine(FeedDirectory, $"{id}.{Version}.nupkg");

        public string SymbolsFile(string id) => Path.Combine(FeedDirectory, $"{id}.{Version}.snupkg");

        /// <summary>Fails the calling test with the pack output if the pack failed.</summary>
        public void EnsurePacked() => Pack.EnsureSuccess();

        public static string ReadBaseVersion()
        {
            var props = XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Build.props"));
            return props.Descendants("MirascopeOpsVersion").Single().Value.Trim();
        }

        public void Dispose()
        {
            TryDelete(Root);
            var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
                ? configured
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            foreach (var id in Packages.Keys)
            {
                var cached = Path.Combine(globalPackages, id.ToLowerInvariant());
                TryDelete(Path.Combine(cached, Version.ToLowerInvariant()));
                if (Directory.Exists(cached) && !Directory.EnumerateFileSystemEntries(cached).Any())
                {
                    TryDelete(cached);
                }
            }
        }

        private static void TryDelete(string directory)
        {
            try
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
            catch (IOException)
            {
                // A temporary folder left behind is not worth failing the run for.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        /// <summary>Fixture-level log: xunit's diagnostic messages (shown with diagnosticMessages enabled).</summary>
        private sealed class MessageSinkLog : ITestOutputHelper
        {
            private readonly IMessageSink _sink;

            public MessageSinkLog(IMessageSink sink) => _sink = sink;

            public void WriteLine(string message) => _sink.OnMessage(new DiagnosticMessage(message));

            public void WriteLine(string format, params object[] args) => WriteLine(string.Format(format, args));
        }
    }
}
