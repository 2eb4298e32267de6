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
    /// App code compiled with Roslyn and woven by the real weaver: an <c>[Agent]</c> entry point that asks a model
    /// through the delegate it is given (the app's traced chat client, with tools, in the tests), and a <c>[Trace]</c>
    /// method the tool runs.
    /// </summary>
    internal sealed class WovenAgent
    {
        private const string Source = @"
using System;
using System.Threading.Tasks;
using Mirascope.Ops;

namespace Travel
{
    public class WeatherAgent
    {
        [Agent(Name = ""weather assistant"", Id = ""asst_weather_1"", Description = ""Answers questions about the weather"", Provider = ""openai"")]
        public async Task<string> AskAsync(string question, [NoTrace] Func<string, Task<string>> ask)
        {
            return await ask(question);
        }

        [Trace]
        public string Forecast(string city)
        {
            return ""sunny in "" + city;
        }
    }
}
";

        private static readonly Lazy<WovenAgent> Woven = new Lazy<WovenAgent>(() => new WovenAgent());

        private readonly Type _type;

        private WovenAgent()
        {
            var name = "WeatherAgents";
            var path = SourceCompiler.Compile(Source, name, sourcePath: Path.Combine(Path.GetTempPath(), "mirascope-ops-tests", name + "-" + Guid.NewGuid().ToString("N") + ".cs"));
            var result = new ModuleWeaver().ExecuteTestRun(path, runPeVerify: false);
            Assert.Empty(result.Errors);
            _type = result.Assembly.GetType("Travel.WeatherAgent", throwOnError: true)!;
        }

        public static WovenAgent Instance => Woven.Value;

        public object New() => Activator.CreateInstance(_type)!;

        public Task<string> AskAsync(object agent, string question, Func<string, Task<string>> ask) =>
            (Task<string>)_type.GetMethod("AskAsync")!.Invoke(agent, new object[] { question, ask })!;

        public string Forecast(object agent, string city) => (string)_type.GetMethod("Forecast")!.Invoke(agent, new object[] { city })!;
    }
}
