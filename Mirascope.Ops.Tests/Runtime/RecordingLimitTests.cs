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
            Assert.InRange(Encoding.UTF8.GetByteCount(arguments), 16_000, RecordingLimits.DefaultMaxAttributeLength);
            Assert.Equal("a", JsonDocument.Parse(arguments).RootElement.GetProperty("value").GetString()![..1]);
            Assert.EndsWith(Marker, output);
            Assert.InRange(Encoding.UTF8.GetByteCount(output), 16_000, RecordingLimits.DefaultMaxAttributeLength);
            Assert.True(allocated < 1024 * 1024, $"allocated {allocated} bytes for a 10 MB argument");
        }

        [Fact]
        public void A_large_collection_is_cut_into_a_valid_json_array_within_the_cap()
        {
            var builder = new CappedJsonBuilder(200);
            var rows = Enumerable.Range(0, 1000).Select(i => new { Id = i, Name = "row " + i }).ToList();

            JsonValueWriter.WriteObject(builder, rows);

            var json = builder.ToString();
            var items = JsonDocument.Parse(json).RootElement;
            Assert.StartsWith("[{\"Id\":0,\"Name\":\"row 0\"},", json);
            Assert.EndsWith(Marker, CutText(items[items.GetArrayLength() - 1]));
            Assert.True(Encoding.UTF8.GetByteCount(json) <= 200, json);
        }

        [Fact]
        public void Cutting_never_splits_a_multibyte_character_and_the_marker_is_inside_the_cap()
        {
            var builder = new CappedJsonBuilder(24);

            builder.AppendString("ééééééééé😀😀");

            var text = JsonDocument.Parse(builder.ToString()).RootElement.GetString()!;
            Assert.Equal("éééé" + Marker, text);
            Assert.Equal(24, Encoding.UTF8.GetByteCount(builder.ToString()));
            Assert.Equal("ab😀" + Marker, RecordingLimits.Cap("ab😀cd" + new string('x', 20), 20));
            Assert.Equal("ab" + Marker, RecordingLimits.Cap("ab😀cd" + new string('x', 20), 19));
            Assert.Equal("ab😀cd", RecordingLimits.Cap("ab😀cd", 20));
        }

        [Fact]
        public void Every_cut_is_valid_json_with_whole_characters_and_a_prefix_of_the_value()
        {
            var builder = new CappedJsonBuilder(100_000);
            JsonValueWriter.WriteObject(builder, Rows());
            using var whole = JsonDocument.Parse(builder.ToString());

            for (var limit = 64; limit <= 600; limit++)
            {
                builder.Reset(limit);
                JsonValueWriter.WriteObject(builder, Rows());
                var json = builder.ToString();
                using var cut = JsonDocument.Parse(json);
                var items = cut.RootElement;

                Assert.True(Encoding.UTF8.GetByteCount(json) <= limit, $"limit {limit}: {json}");
                Assert.DoesNotContain('\uFFFD', json);
                var last = items.GetArrayLength() - 1;
                for (var i = 0; i < last; i++)
                {
                    Assert.Equal(whole.RootElement[i].GetRawText(), items[i].GetRawText());
                }

                var cutText = CutText(items[last]);
                Assert.EndsWith(Marker, cutText);
                Assert.Equal(cutText.Length - Marker.Length, cutText.IndexOf("…", StringComparison.Ordinal));
            }
        }

        [Theory]
        [InlineData(100)]
        [InlineData(1_000)]
        [InlineData(3_000)]
        public void An_object_after_a_long_argument_keeps_what_fits_in_the_rest_of_the_cap(int rest)
        {
            // The serializer asks for room in 4 KB steps and for a string's worst-case escaping at once: the cut
            // must still land at the cap, not kilobytes before it, and a long string property must not vanish whole.
            const int limit = 16_384;
            var recorder = ArgumentRecorder.Rent(RecordedNames.Of(new[] { "document", "options" }));
            recorder.Add(new string('d', limit - rest));
            recorder.Add(new Options { Title = new string('t', 10_000), Tags = new[] { "a", "b" } });
            var json = recorder.Finish();

            var options = JsonDocument.Parse(json).RootElement.GetProperty("options");
            var title = options.GetProperty("Title").GetString()!;
            Assert.StartsWith("ttt", title, StringComparison.Ordinal);
            Assert.EndsWith(Marker, title);
            Assert.True(Encoding.UTF8.GetByteCount(json) <= limit);
            if (rest > RecordingLimits.DefaultMaxNestedStringLength + 100)
            {
                // The title was cut at the nested cap, not the document's: what follows it is still recorded.
                Assert.Equal(RecordingLimits.DefaultMaxNestedStringLength, Encoding.UTF8.GetByteCount(title));
                Assert.Equal("[\"a\",\"b\"]", options.GetProperty("Tags").GetRawText());
            }
            else
            {
                Assert.InRange(Encoding.UTF8.GetByteCount(json), limit - 64, limit);
            }
        }

        [Fact]
        public void The_room_kept_for_the_marker_is_its_size_in_utf8()
        {
            Assert.Equal(CappedJsonBuilder.MarkerBytes, Encoding.UTF8.GetByteCount(CappedJsonBuilder.Marker));
        }

        [Fact]
        public void Where_a_value_is_cut_does_not_depend_on_what_the_thread_recorded_before()
        {
            string? first = null, again = null;
            var thread = new System.Threading.Thread(() =>
            {
                first = Record(Rows(), 1000);
                Record(Enumerable.Range(0, 5000).Select(i => new { Id = i }).ToList(), RecordingLimits.DefaultMaxAttributeLength);
                again = Record(Rows(), 1000);
            });
            thread.Start();
            thread.Join();

            Assert.Contains(Marker, first);
            Assert.Equal(first, again);
        }

        [Fact]
        public void A_reused_recorder_records_exactly_after_a_capped_value()
        {
            var large = Enumerable.Range(0, 5000).Select(i => new { Id = i, Name = "row " + i }).ToList();
            for (var i = 0; i < 3; i++)
            {
                var big = ArgumentRecorder.Rent(RecordedNames.Of(new[] { "rows" }));
                big.Add(large);
                Assert.EndsWith(Marker + "\"]}", big.Finish());

                var small = ArgumentRecorder.Rent(RecordedNames.Of(new[] { "count", "name", "rows" }));
                small.Add(1234567);
                small.Add("a\"b\u0001");
                small.Add(new[] { -300, 42 });
                Assert.Equal("{\"count\":1234567,\"name\":\"a\\\"b\\u0001\",\"rows\":[-300,42]}", small.Finish());
            }
        }

        [Fact]
        public void A_capped_large_value_costs_about_its_recorded_text()
        {
            // The recorded string (about 16 KiB of chars, 32 KB) is the only large allocation: the serializer's bytes,
            // the decoded text and the builder's buffer come from the array pool and go back to it.
            var large = Enumerable.Range(0, 5000).Select(i => new string((char)('a' + (i % 26)), 300)).ToList();
            string Run()
            {
                var recorder = ArgumentRecorder.Rent(RecordedNames.Of(new[] { "rows" }));
                recorder.Add(large);
                return recorder.Finish();
            }

            Run();
            Run();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var json = Run();
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.InRange(json.Length, 16_000, RecordingLimits.DefaultMaxAttributeLength);
            Assert.True(allocated < 2 * json.Length + 16 * 1024, $"allocated {allocated} bytes for a {json.Length}-char recording");
        }

        [Fact]
        public void Control_characters_are_escaped_as_unicode_escapes()
        {
            var builder = new CappedJsonBuilder(1000);

            builder.AppendString("a\u0001\u001f\u007fb\\");

            Assert.Equal("\"a\\u0001\\u001f\u007fb\\\\\"", builder.ToString());
        }

        [Fact]
        public void Values_within_the_cap_are_untouched()
        {
            var builder = new CappedJsonBuilder(1000);
            JsonValueWriter.WriteObject(builder, new Dictionary<string, object> { ["k"] = new[] { 1, 2 }, ["s"] = "é\"\n" });

            Assert.Equal("{\"k\":[1,2],\"s\":\"é\\\"\\n\"}", builder.ToString());
        }

        private sealed class Options
        {
            public string Title { get; set; } = "";

            public string[] Tags { get; set; } = Array.Empty<string>();
        }

        /// <summary>
        /// Where a cut array's last element says it was cut: the marker itself, a row whose name was cut (ending in the
        /// marker), or a row that ends in the marker property.
        /// </summary>
        private static string CutText(JsonElement last)
        {
            if (last.ValueKind == JsonValueKind.String)
            {
                return last.GetString()!;
            }

            if (last.TryGetProperty("Name", out var name))
            {
                return name.GetString()!;
            }

            Assert.True(last.GetProperty(Marker).GetBoolean());
            return Marker;
        }

        private static List<object> Rows() =>
            Enumerable.Range(0, 100).Select(i => (object)new { Id = i, Name = "row \"" + i + "\" é😀" }).ToList();

        private static string Record(object value, int limit)
        {
            var builder = new CappedJsonBuilder(limit);
            JsonValueWriter.WriteObject(builder, value);
            return builder.ToString();
        }
    }
}
