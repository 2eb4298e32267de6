// Compiled by RealCode.Driver.csproj only (it defines REALCODE_DRIVER); in the test project this file is empty.
#if REALCODE_DRIVER
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;

namespace RealCode.Driver
{
    /// <summary>
    /// <c>RealCode.Driver LIBRARY MODE OUTPUT</c>: runs one library's fixed cases and writes what they produced to
    /// OUTPUT, and what the Mirascope.Ops spans looked like to OUTPUT.spans. MODE is <c>none</c> (nobody listens),
    /// <c>propagation</c> (a listener sampling PropagationData) or <c>alldata</c> (AllDataAndRecorded: arguments and
    /// outputs recorded). Every case catches its own exception and writes it as its result, so a difference in
    /// behaviour shows as a difference in OUTPUT; a crash (stack overflow, a fail-fast) shows as the exit code.
    /// </summary>
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length != 3)
            {
                Console.Error.WriteLine("usage: RealCode.Driver markdig|yaml|scriban none|propagation|alldata OUTPUT");
                return 2;
            }

            CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
            CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

            var cases = args[0] switch
            {
                "markdig" => MarkdigCases.All(),
                "yaml" => YamlCases.All(),
                "scriban" => ScribanCases.All(),
                _ => throw new ArgumentException("unknown library " + args[0]),
            };
            var sampling = args[1] switch
            {
                "none" => (ActivitySamplingResult?)null,
                "propagation" => ActivitySamplingResult.PropagationData,
                "alldata" => ActivitySamplingResult.AllDataAndRecorded,
                _ => throw new ArgumentException("unknown mode " + args[1]),
            };

            if (sampling == ActivitySamplingResult.AllDataAndRecorded)
            {
                // The strictest check records every call, not only each method's first calls per trace (the default
                // that bounds recording's cost): every recorded value must leave the program's behaviour untouched.
                var limits = typeof(Mirascope.Ops.Trace<int>).Assembly.GetType("Mirascope.Ops.Tracing.RecordingLimits", throwOnError: true)!;
                limits.GetProperty("MaxRecordedCallsPerTrace")!.SetValue(null, 0);
            }

            var spans = new SpanTally();
            using var listener = sampling is { } s ? spans.Listen(s) : null;
            var output = new StringBuilder();
            foreach (var (name, run) in cases)
            {
                output.Append("=== ").Append(name).Append('\n');
                string result;
                try
                {
                    result = run();
                }
                catch (Exception ex)
                {
                    result = "!! " + ex.GetType().FullName + ": " + ex.Message;
                }

                output.Append(result.Replace("\r\n", "\\r\\n\n")).Append('\n');
            }

            listener?.Dispose();
            File.WriteAllText(args[2], output.ToString(), new UTF8Encoding(false));
            File.WriteAllText(args[2] + ".spans", spans.Report(), new UTF8Encoding(false));
            return 0;
        }
    }

    /// <summary>Counts the Mirascope.Ops spans by name and what they recorded; touches no library object.</summary>
    internal sealed class SpanTally
    {
        private const int Samples = 12;
        private readonly object _gate = new object();
        private readonly Dictionary<string, int> _byName = new Dictionary<string, int>(StringComparer.Ordinal);
        private readonly List<string> _samples = new List<string>();
        private long _started;
        private long _stopped;
        private long _withArguments;
        private long _withOutput;
        private long _errors;
        private readonly ValueTally _values = new ValueTally();

        public ActivityListener Listen(ActivitySamplingResult sampling)
        {
            var listener = new ActivityListener
            {
                ShouldListenTo = source => source.Name == "Mirascope.Ops",
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => sampling,
                ActivityStarted = _ => Interlocked.Increment(ref _started),
                ActivityStopped = Stopped,
            };
            ActivitySource.AddActivityListener(listener);
            return listener;
        }

        private void Stopped(Activity activity)
        {
            var arguments = activity.GetTagItem("mirascope.trace.arg_values") as string;
            var output = activity.GetTagItem("mirascope.trace.output");
            lock (_gate)
            {
                _stopped++;
                _byName[activity.DisplayName] = _byName.TryGetValue(activity.DisplayName, out var n) ? n + 1 : 1;
                if (arguments is not null)
                {
                    _withArguments++;
                    if (_samples.Count < Samples && arguments.Length > 2 && !_samples.Any(x => x.StartsWith(activity.DisplayName + " ", StringComparison.Ordinal)))
                    {
                        _samples.Add(activity.DisplayName + " " + (arguments.Length > 300 ? arguments.Substring(0, 300) + "..." : arguments));
                    }
                }

                if (output is not null)
                {
                    _withOutput++;
                }

                _values.Add(arguments, output);

                if (activity.Status == ActivityStatusCode.Error)
                {
                    _errors++;
                }
            }
        }

        public string Report()
        {
            var ops = typeof(Mirascope.Ops.TraceAttribute).Assembly;
            var text = new StringBuilder();
            lock (_gate)
            {
                text.Append("started\t").Append(_started).Append('\n');
                text.Append("stopped\t").Append(_stopped).Append('\n');
                text.Append("with_arg_values\t").Append(_withArguments).Append('\n');
                text.Append("with_output\t").Append(_withOutput).Append('\n');
                text.Append("errors\t").Append(_errors).Append('\n');
                _values.Report(text);
                text.Append("ops_location\t").Append(ops.Location).Append('\n');
                text.Append("ops_mvid\t").Append(ops.ManifestModule.ModuleVersionId).Append('\n');
                foreach (var sample in _samples)
                {
                    text.Append("sample\t").Append(sample.Replace('\n', ' ').Replace('\t', ' ')).Append('\n');
                }

                foreach (var pair in _byName.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    text.Append("span\t").Append(pair.Key).Append('\t').Append(pair.Value).Append('\n');
                }
            }

            return text.ToString();
        }
    }

    /// <summary>
    /// How many recorded values (each argument of arg_values, each output) carry data: a number, a boolean, a string
    /// that is not a placeholder (<c>"&lt;Type&gt;"</c>, <c>"&lt;Type: cycle&gt;"</c>, <c>"[redacted]"</c>, the truncation
    /// marker alone), or a container holding one (an empty one counts: it says it is empty). A null, a placeholder,
    /// or an object whose members are all null or placeholders (a skeleton of links) does not.
    /// </summary>
    internal sealed class ValueTally
    {
        private readonly Dictionary<string, int> _uninformative = new Dictionary<string, int>(StringComparer.Ordinal);
        private long _values;
        private long _informative;

        public void Add(string? arguments, object? output)
        {
            if (arguments is not null && arguments.Length > 2)
            {
                try
                {
                    using var document = System.Text.Json.JsonDocument.Parse(arguments);
                    foreach (var argument in document.RootElement.EnumerateObject())
                    {
                        Count(Informative(argument.Value), argument.Value.GetRawText());
                    }
                }
                catch (System.Text.Json.JsonException)
                {
                    Count(false, "(invalid JSON)");
                }
            }

            switch (output)
            {
                case null:
                    break;
                case string text when text.Length > 0 && (text[0] == '{' || text[0] == '['):
                    try
                    {
                        using (var document = System.Text.Json.JsonDocument.Parse(text))
                        {
                            Count(Informative(document.RootElement), text);
                        }
                    }
                    catch (System.Text.Json.JsonException)
                    {
                        Count(true, text);
                    }

                    break;
                case string text:
                    Count(!IsPlaceholder(text), text);
                    break;
                default:
                    Count(true, string.Empty);
                    break;
            }
        }

        public void Report(StringBuilder text)
        {
            text.Append("values\t").Append(_values).Append('\n');
            text.Append("informative_values\t").Append(_informative).Append('\n');
            var rank = 0;
            foreach (var pair in _uninformative.OrderByDescending(p => p.Value).Take(8))
            {
                text.Append("uninformative_").Append(++rank).Append('\t').Append(pair.Value).Append(' ').Append(pair.Key.Replace('\n', ' ').Replace('\t', ' ')).Append('\n');
            }
        }

        private void Count(bool informative, string raw)
        {
            _values++;
            if (informative)
            {
                _informative++;
                return;
            }

            var key = raw.Length > 120 ? raw.Substring(0, 120) + "..." : raw;
            _uninformative[key] = _uninformative.TryGetValue(key, out var n) ? n + 1 : 1;
        }

        private static bool Informative(System.Text.Json.JsonElement value)
        {
            switch (value.ValueKind)
            {
                case System.Text.Json.JsonValueKind.String:
                    return !IsPlaceholder(value.GetString() ?? string.Empty);
                case System.Text.Json.JsonValueKind.Number:
                case System.Text.Json.JsonValueKind.True:
                case System.Text.Json.JsonValueKind.False:
                    return true;
                case System.Text.Json.JsonValueKind.Array:
                    return value.GetArrayLength() == 0 || value.EnumerateArray().Any(Informative);
                case System.Text.Json.JsonValueKind.Object:
                    return value.EnumerateObject().Any(m => Informative(m.Value));
                default:
                    return false;
            }
        }

        private static bool IsPlaceholder(string text) =>
            (text.StartsWith("<", StringComparison.Ordinal) && text.EndsWith(">", StringComparison.Ordinal))
            || text == "[redacted]" || text == "…[truncated]";
    }
}
#endif
