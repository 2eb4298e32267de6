using System;
using Mirascope.Ops;
using QuickStart;

// Every [Trace] method below was rewritten at build time to open an OpenTelemetry span (ActivitySource
// "Mirascope.Ops"). Configure prints each finished trace as a tree on the console; with MIRASCOPE_API_KEY set it also
// exports to Mirascope Cloud (or any endpoint in MIRASCOPE_BASE_URL, such as the local viewer), and with
// OTEL_EXPORTER_OTLP_ENDPOINT to any OpenTelemetry backend.
OpsExport.Configure(options => options.UseConsole());

// 1. Trace a function: each call is a span with its arguments, its result and its duration.
var stats = DataProcessing.ProcessData(new[] { 4, 8, 15, 16, 23, 42 });
Console.WriteLine($"processed: mean {stats.Mean}, max {stats.Max}");

// 2. The result together with its span: MirascopeOps.Wrapped returns a Trace<T> (use the ids to find the span later).
Trace<string> greeting = MirascopeOps.Wrapped(() => Greeter.Greet("Ada"));
Console.WriteLine($"wrapped: {greeting.Result} (trace {greeting.TraceId}, span {greeting.SpanId})");

// 3. Nested traces: a traced call made inside another traced call becomes its child span.
var report = Reports.WeeklyReport(new[] { "north", "south" });
Console.WriteLine($"report: {report}");

// 4. Errors: the span records the exception and is marked failed; your code gets the exception unchanged.
try
{
    Payments.Charge("card-4242", -10m);
}
catch (ArgumentOutOfRangeException error)
{
    Console.WriteLine($"error: {error.Message}");
}

// 5. Async: the span covers the awaited work, and calls made after an await still nest under it.
var book = await Library.FetchBookAsync(42);
Console.WriteLine($"fetched: {book}");

// 6. Tags and metadata: fixed at build time, recorded on every span of the method.
var picks = Recommendations.ForReader("ada");
Console.WriteLine($"recommended: {string.Join(", ", picks)}");
