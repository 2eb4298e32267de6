using System;
using System.IO;
using System.Threading.Tasks;
using Fody;
using Mirascope.Ops.Fody;
using Mirascope.Ops.Tests.Infrastructure;
using Xunit;

namespace Mirascope.Ops.Tests.Llm
{
    /// <summary>
    /// App code compiled with Roslyn and woven by the real weaver: <c>[Version]</c> and <c>[Trace]</c> methods that
    /// call a model through the delegate they are given (the app's traced chat client, in the tests).
    /// </summary>
    internal sealed class WovenLibrarian
    {
        private const string Source = @"
using System;
using System.Threading.Tasks;
using Mirascope.Ops;

namespace Library
{
    public class Librarian
    {
        [Version(Name = ""recommend_books"")]
        public async Task<string> RecommendAsync(string genre, int count, [NoTrace] Func<string, Task<string>> ask)
        {
            return await ask(""Recommend "" + count + "" "" + genre + "" books."");
        }

        [Version]
        public async Task<string> OutlineAsync(string topic, [NoTrace] Func<string, Task<string>> ask)
        {
            return await DraftAsync(""Outline "" + topic, ask);
        }

        [Trace]
        public async Task<string> DraftAsync(string request, [NoTrace] Func<string, Task<string>> ask)
        {
            return await ask(request);
        }

        [Trace]
        public async Task<string> UnversionedAsync(string genre, [NoTrace] Func<string, Task<string>> ask)
        {
            return await ask(""Recommend a "" + genre + "" book."");
        }
    }
}
";

        private static readonly Lazy<WovenLibrarian> Woven = new Lazy<WovenLibrarian>(() => new WovenLibrarian());

        private readonly Type _type;
        private readonly object _instance;

        private WovenLibrarian()
        {
            var name = "PromptVersions";
            var path = SourceCompiler.Compile(Source, name, sourcePath: Path.Combine(Path.GetTempPath(), "mirascope-ops-tests", name + "-" + Guid.NewGuid().ToString("N") + ".cs"));
            var result = new ModuleWeaver().ExecuteTestRun(path, runPeVerify: false);
            Assert.Empty(result.Errors);
            _type = result.Assembly.GetType("Library.Librarian", throwOnError: true)!;
            _instance = Activator.CreateInstance(_type)!;
        }

        public static WovenLibrarian Instance => Woven.Value;

        public Task<string> CallAsync(string method, params object[] arguments) =>
            (Task<string>)_type.GetMethod(method)!.Invoke(_instance, arguments)!;

        /// <summary>The delegate the woven methods call: one chat call through <paramref name="client"/>.</summary>
        public static Func<string, Task<string>> Ask(Microsoft.Extensions.AI.IChatClient client) =>
            async prompt => (await Microsoft.Extensions.AI.ChatClientExtensions.GetResponseAsync(client, prompt)).Text;
    }
}
