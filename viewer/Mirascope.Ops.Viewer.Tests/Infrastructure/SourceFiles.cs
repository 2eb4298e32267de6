using System.IO;
using System.Runtime.CompilerServices;

namespace Mirascope.Ops.Viewer.Tests.Infrastructure
{
    /// <summary>The viewer's source folder, found from this file's own path as the compiler saw it (tests run in the checkout).</summary>
    internal static class SourceFiles
    {
        public static string ViewerFolder => Path.GetFullPath(Path.Combine(TestsFolder(), "..", "Mirascope.Ops.Viewer"));

        private static string TestsFolder([CallerFilePath] string path = "") => Path.GetDirectoryName(Path.GetDirectoryName(path)!)!;
    }
}
