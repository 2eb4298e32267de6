using System;
using Mono.Cecil;

namespace Mirascope.Ops.Fody.Diagnostics
{
    /// <summary>
    /// The Mirascope.Ops runtime the project references lacks a member this weaver emits calls to: the project mixes a
    /// runtime and a weaver of different versions (the packages pin each other exactly, so this takes a reference that
    /// bypasses the package, such as a hint path or a project reference to another checkout).
    /// </summary>
    internal sealed class RuntimeMismatchException : Exception
    {
        public RuntimeMismatchException(AssemblyDefinition runtime, string problem)
            : base($"{DiagnosticCodes.RuntimeMismatch}: the referenced {runtime.Name.Name} {runtime.Name.Version} ({runtime.MainModule.FileName}) does not match the Mirascope.Ops.Fody weaver {WeaverVersion} ({problem}). Reference the Mirascope.Ops that ships with the weaver: the same package version.")
        {
        }

        private static string WeaverVersion =>
            typeof(RuntimeMismatchException).Assembly.GetName().Version?.ToString() ?? "(unknown version)";
    }
}
