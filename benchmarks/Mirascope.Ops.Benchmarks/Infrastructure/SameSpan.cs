using System;
using System.Diagnostics;
using System.Linq;

namespace Mirascope.Ops.Benchmarks.Infrastructure
{
    /// <summary>
    /// The honesty check of the side-by-side benchmarks: before anything is measured, every variant must produce the
    /// span the woven method produces (name, kind, status and every attribute, the JSON text included).
    /// </summary>
    internal static class SameSpan
    {
        public static string Describe(Activity span) =>
            $"{span.DisplayName} [{span.Kind}, {span.Status}] "
            + string.Join(", ", span.TagObjects.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Key + "=" + Format(t.Value)));

        public static void Check(RecordingListener listener, Action woven, Action other, string what)
        {
            var expected = Describe(listener.CaptureOne(woven, "woven " + what));
            var actual = Describe(listener.CaptureOne(other, what));
            if (expected != actual)
            {
                throw new InvalidOperationException($"{what} does not produce the woven span.{Environment.NewLine}woven: {expected}{Environment.NewLine}{what}: {actual}");
            }
        }

        private static string Format(object? value) => value switch
        {
            null => "null",
            string text => "\"" + text + "\"",
            bool flag => flag ? "true" : "false",
            Array array => "[" + string.Join(",", array.Cast<object?>().Select(Format)) + "]",
            _ => value.GetType().Name + ":" + Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
