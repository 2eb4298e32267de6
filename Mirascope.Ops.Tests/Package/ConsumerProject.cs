using System.Collections.Generic;
using System.IO;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace Mirascope.Ops.Tests.Package
{
    /// <summary>A brand-new console project made by the SDK's own template inside the package feed's folder.</summary>
    internal sealed class ConsumerProject
    {
        private readonly PackageFeed _feed;
        private readonly ITestOutputHelper _log;

        private ConsumerProject(PackageFeed feed, ITestOutputHelper log, string name)
        {
            _feed = feed;
            _log = log;
            Name = name;
            Directory = Path.Combine(feed.Root, name);
        }

        public string Name { get; }

        public string Directory { get; }

        public string ProjectFile => Path.Combine(Directory, Name + ".csproj");

        /// <summary><c>dotnet new console</c>; nothing restored yet.</summary>
        public static ConsumerProject Create(PackageFeed feed, ITestOutputHelper log, string name)
        {
            var project = new ConsumerProject(feed, log, name);
            DotnetCli.Run(log, feed.Root, new[] { "new", "console", "-o", name, "--no-update-check", "--no-restore" }).EnsureSuccess();
            return project;
        }

        /// <summary>What a user targeting an older framework edits: the TargetFramework of the template.</summary>
        public void SetTargetFramework(string targetFramework)
        {
            var project = XDocument.Load(ProjectFile);
            foreach (var element in project.Descendants("TargetFramework"))
            {
                element.Value = targetFramework;
            }

            project.Save(ProjectFile);
        }

        /// <summary><c>dotnet add package &lt;id&gt;</c> (Mirascope.Ops.Fody unless named) from the local feed (this also restores).</summary>
        public CommandResult AddPackage(string id = "Mirascope.Ops.Fody") =>
            Cli("add", "package", id, "--version", _feed.Version);

        /// <summary>What an app adds: Mirascope.Ops.Fody to trace its code, Mirascope.Ops.Export to export the spans.</summary>
        public void AddAppPackages()
        {
            AddPackage().EnsureSuccess();
            AddPackage("Mirascope.Ops.Export").EnsureSuccess();
        }

        public void WriteSource(string fileName, string text) => File.WriteAllText(Path.Combine(Directory, fileName), text);

        public string ReadFile(string fileName) => File.ReadAllText(Path.Combine(Directory, fileName));

        public bool HasFile(string fileName) => File.Exists(Path.Combine(Directory, fileName));

        public CommandResult Build(params string[] options) => Cli(Concat(new[] { "build" }, options));

        public CommandResult Publish(string outputDirectory) => Cli("publish", "-c", "Release", "-o", outputDirectory);

        /// <summary>Runs a built app with the dotnet host, as <c>dotnet app.dll</c>.</summary>
        public CommandResult RunApp(string assemblyPath, IReadOnlyDictionary<string, string>? environment = null) =>
            DotnetCli.Run(_log, Directory, new[] { assemblyPath }, environment);

        public string OutputAssembly(string targetFramework, string configuration = "Debug") =>
            Path.Combine(Directory, "bin", configuration, targetFramework, Name + ".dll");

        private CommandResult Cli(params string[] arguments) => DotnetCli.Run(_log, Directory, arguments);

        private static string[] Concat(string[] first, string[] second)
        {
            var all = new string[first.Length + second.Length];
            first.CopyTo(all, 0);
            second.CopyTo(all, first.Length);
            return all;
        }
    }
}
