using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using Mirascope.Ops.Tests.Infrastructure;
using Mirascope.Ops.Tracing;
using Xunit;

namespace Mirascope.Ops.Tests.Runtime
{
    public class RecordingLimitTests
    {
        private const string Marker = "…[truncated]";

        [Fact]
        public void A_ten_megabyte_argument_is_cut_at_the_cap_without_being_copied()
        {
            var woven = WovenAssembly.Get("Release");
            var outputs = woven.New("Outputs");
            var huge = new string('a', 10 * 1024 * 1024);
            using var capture = new SpanCapture();
            woven.CallGeneric(outputs, "Echo", typeof(string), "warm-up");

            var before = GC.GetAllocatedBytesForCurrentThread();
            var result = woven.CallGeneric(outputs, "Echo", typeof(string), huge);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Same(huge, result);
            var span = capture.Spans.Last();
            var arguments = (string)span.GetTagItem("mirascope.trace.arg_values")!;
            var output = (string)span.GetTagItem("mirascope.trace.output")!;
            Assert.EndsWith(Marker + "\"}", arguments);
            Assert.InRange(Encoding.UTF8.GetByteCount(arguments), 16_000, RecordingLimits.DefaultMaxAttributeLength + 64);
            Assert.Equal("a", JsonDocument.Parse(arguments).RootElement.GetProperty("value").GetString()![..1]);
            Assert.EndsWith(Marker, output);
            Assert.InRange(Encoding.UTF8.GetByteCount(output), 16_000, RecordingLimits.DefaultMaxAttributeLength + 64);
            Assert.True(allocated < 1024 * 1024, $"allocated {allocated} bytes for a 10 MB argument");
        }

        [Fact]
        public void A_large_object_is_cut_into_a_valid_json_string()
        {
            var builder = new CappedJsonBuilder(200);
            var rows = Enumerable.Range(0, 1000).Select(i => new { Id = i, Name = "row " + i }).ToList();

            JsonValueWriter.WriteObject(builder, rows);

            var json = builder.ToString();
            var text = JsonDocument.Parse(json).RootElement.GetString()!;
            Assert.StartsWith("[{\"Id\":0,\"Name\":\"row 0\"}", text);
            Assert.EndsWith(Marker, text);
            Assert.True(Encoding.UTF8.GetByteCount(json) < 200 + 64);
        }

        [Fact]
        public void Cutting_never_splits_a_multibyte_character()
        {
            var builder = new CappedJsonBuilder(11);

            builder.AppendString("ééééééééé😀😀");

            var text = JsonDocument.Parse(builder.ToString()).RootElement.GetString()!;
            Assert.Equal("éééé" + Marker, text);
            Assert.Equal("ab" + Marker, RecordingLimits.Cap("ab😀cd", 5));
            Assert.Equal("ab😀" + Marker, RecordingLimits.Cap("ab😀cd" + new string('x', 20), 6));
        }

        [Fact]
        public void Values_within_the_cap_are_untouched()
        {
            var builder = new CappedJsonBuilder(1000);
            JsonValueWriter.WriteObject(builder, new Dictionary<string, object> { ["k"] = new[] { 1, 2 }, ["s"] = "é\"\n" });

            Assert.Equal("{\"k\":[1,2],\"s\":\"é\\\"\\n\"}", builder.ToString());
        }
    }
}
