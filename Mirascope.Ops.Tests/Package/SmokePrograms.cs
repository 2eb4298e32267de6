using System.Linq;

namespace Mirascope.Ops.Tests.Package
{
    /// <summary>The source files the package tests write into brand-new projects, and the trace tree each prints.</summary>
    internal static class SmokePrograms
    {
        public static readonly string[] SpanNames =
        {
            "Shop.Checkout", "Shop.Price", "Shop.FetchAsync", "Shop.Parse", "Shop.Fail", "Shop.SourceVersion",
        };

        /// <summary>Sync, nested, async and throwing [Trace] methods, with results printed next to the tree.</summary>
        public const string ExpectedShape =
            "Shop.Checkout\n" +
            "  Shop.Price\n" +
            "  Shop.Price\n" +
            "Shop.FetchAsync\n" +
            "  Shop.Parse\n" +
            "Shop.Fail !\n" +
            "Shop.SourceVersion\n";

        /// <summary>
        /// The part that prints the spans: with no API key and no OTLP endpoint, Mirascope.Ops' default exporter prints
        /// each finished trace as a tree on the console.
        /// </summary>
        private const string PrintSpans = """
            OpsExport.Configure();
            """;

        private const string Calls = """
            Console.WriteLine($"total: {Shop.Checkout(new[] { 3, 4 })}");
            Console.WriteLine($"fetched: {await Shop.FetchAsync("42")}");
            try
            {
                Shop.Fail("widget");
            }
            catch (InvalidOperationException error)
            {
                Console.WriteLine($"caught: {error.Message}");
            }

            Console.WriteLine($"version: {Shop.SourceVersion()}");
            Console.WriteLine("marker: MARKER");
            """;

        private const string Shop = """
            public static class Shop
            {
                [Trace]
                public static int Checkout(int[] items)
                {
                    var total = 0;
                    foreach (var item in items) total += Price(item);
                    return total;
                }

                [Trace]
                public static int Price(int item) => item * 2;

                [Trace]
                public static async Task<string> FetchAsync(string id)
                {
                    await Task.Delay(10);
                    return Parse(id);
                }

                [Trace]
                public static string Parse(string raw) => "order-" + raw;

                [Trace]
                public static void Fail(string item) => throw new InvalidOperationException(item + " is out of stock");

                // The version of the ActivitySource the spans come from: the package's version.
                [Trace]
                public static string SourceVersion() => Activity.Current?.Source.Version ?? "no span";
            }
            """;

        /// <summary>Program.cs of a console project from the SDK template (implicit usings on), marked <paramref name="marker"/>.</summary>
        public static string Program(string marker) =>
            "using System.Diagnostics;\nusing Mirascope.Ops;\n\n" + PrintSpans + "\n\n" + Calls.Replace("MARKER", marker) + "\n\n" + Shop + "\n";

        /// <summary>
        /// A project that uses System.Diagnostics everywhere (global using and per file): <c>Trace</c> is also
        /// System.Diagnostics.Trace, <c>[Trace]</c> must still be ours, and Debug, Stopwatch and Activity keep working.
        /// </summary>
        public const string DiagnosticsGlobalUsings = """
            global using System.Diagnostics;
            global using Mirascope.Ops;
            """;

        public static string DiagnosticsProgram =>
            "using System.Diagnostics;\n\n" + PrintSpans + "\n\n" + """
            Trace.Listeners.Add(new TextWriterTraceListener(Console.Out));
            Trace.WriteLine("diagnostics: System.Diagnostics.Trace still writes");
            var stopwatch = Stopwatch.StartNew();
            Debug.Assert(stopwatch.IsRunning);
            """ + "\n" + Calls.Replace("MARKER", "diagnostics") + "\n\n" + Shop + "\n";

        /// <summary>
        /// Top-level statements that print each finished span of the <c>Mirascope.Ops</c> source with nothing but the
        /// runtime (an in-program ActivityListener recording all data): <c>span {name} parent={parent or -}</c>, then
        /// <c> {label}={tag}</c> for each of <paramref name="tags"/>, then <c> status={status}</c> when asked.
        /// </summary>
        public static string SpanPrinter(bool status, params (string Label, string Key)[] tags)
        {
            var fields = string.Concat(tags.Select(t => $" {t.Label}={{a.GetTagItem(\"{t.Key}\")}}")) + (status ? " status={a.Status}" : string.Empty);
            return "using var listener = new ActivityListener\n"
                + "{\n"
                + "    ShouldListenTo = source => source.Name == \"Mirascope.Ops\",\n"
                + "    Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,\n"
                + "    ActivityStopped = a => Console.WriteLine($\"span {a.DisplayName} parent={a.Parent?.DisplayName ?? \"-\"}" + fields + "\"),\n"
                + "};\n"
                + "ActivitySource.AddActivityListener(listener);\n";
        }
    }
}
