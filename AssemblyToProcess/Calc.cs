using System.Diagnostics;   // [Trace] must not be ambiguous with System.Diagnostics.Trace
using System.Threading.Tasks;
using Mirascope.Ops;

namespace AssemblyToProcess
{
    public class Calc
    {
        [Trace]
        public int Multiply(int x, int y) => x * y;

        [Trace(Name = "analyze", Tags = ["production", "ml-pipeline", "production"], Metadata = ["version=1.0", "owner = team-ml"])]
        public string Analyze(string text) => text.Contains("good") ? "positive" : "neutral";

        [Trace]
        public async Task<string> FetchAsync(string url)
        {
            await Task.Delay(10);
            return url;
        }

        /// <summary>Uses System.Diagnostics.Trace in the same file as [Trace].</summary>
        public void Log(string message) => Trace.WriteLine(message);
    }
}
