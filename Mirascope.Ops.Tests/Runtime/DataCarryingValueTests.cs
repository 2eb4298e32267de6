using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Mirascope.Ops.Tests.Infrastructure;
using Mirascope.Ops.Tracing;
using Xunit;

namespace Mirascope.Ops.Tests.Runtime
{
    /// <summary>
    /// Values that carry data where it is: a char buffer as the text it holds, every argument present however large the
    /// first, a cancellation token as whether it was canceled, a tree's content in its private collection.
    /// </summary>
    public class DataCarryingValueTests
    {
        private const string Marker = CappedJsonBuilder.Marker;

        [Theory]
        [MemberData(nameof(WovenAssembly.Configurations), MemberType = typeof(WovenAssembly))]
        public void A_char_buffer_records_as_its_text_and_the_arguments_after_it_are_always_present(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var carriers = woven.New("DataCarriers");

            using var capture = new SpanCapture();
            var buffer = new char[8];
            "abc".CopyTo(0, buffer, 0, 3);
            Assert.Equal(3, woven.Call(carriers, "Consume", buffer, 0, 3));

            // A large buffer (a reader's 40,000 chars) is cut to its share; index and count still say what it holds.
            var large = new string('x', 40_000).ToCharArray();
            Assert.Equal(5, woven.Call(carriers, "Consume", large, 100, 5));

            var spans = capture.Spans.Where(s => s.DisplayName == "DataCarriers.Consume").OrderBy(s => s.StartTimeUtc).ToList();
            Assert.Equal("{\"buffer\":\"abc\\u0000\\u0000\\u0000\\u0000\\u0000\",\"index\":0,\"count\":3}", spans[0].GetTagItem("mirascope.trace.arg_values"));

            var args = (string)spans[1].GetTagItem("mirascope.trace.arg_values")!;
            Assert.EndsWith(Marker + "\",\"index\":100,\"count\":5}", args);
            Assert.StartsWith("{\"buffer\":\"xxxx", args);
            Assert.True(System.Text.Encoding.UTF8.GetByteCount(args) <= RecordingLimits.DefaultMaxAttributeLength);
            // The buffer took all the room but the two later arguments' kept share (2 × 1 KiB).
            Assert.True(args.Length > RecordingLimits.DefaultMaxAttributeLength - (2 * ArgumentRecorder.KeptBytesPerArgument) - 64, args.Length.ToString());
        }

        [Fact]
        public void Each_argument_gets_its_share_of_the_work_budget_so_a_large_first_one_cannot_starve_the_rest()
        {
            var recorder = ArgumentRecorder.Rent(RecordedNames.Of(new[] { "items", "page", "filter" }));
            recorder.Add(Enumerable.Range(0, 1000).ToList());
            recorder.Add(2);
            recorder.Add(new[] { "a", "b" });
            var json = recorder.Finish();

            // 64 values: the list takes what the two later arguments do not keep (8 each): 1 for itself, 47 elements.
            var expected = "{\"items\":[" + string.Join(",", Enumerable.Range(0, 47)) + ",\"" + Marker + "\"],\"page\":2,\"filter\":[\"a\",\"b\"]}";
            Assert.Equal(expected, json);
        }

        [Fact]
        public void A_rune_records_as_the_character_it_is()
        {
            Assert.Equal("\"é\"", ValueRecordingTests.Record(new System.Text.Rune('é')));
            Assert.Equal("[\"a\",\"😀\"]", ValueRecordingTests.Record(new[] { new System.Text.Rune('a'), new System.Text.Rune(0x1F600) }));
        }

        [Theory]
        [MemberData(nameof(WovenAssembly.Configurations), MemberType = typeof(WovenAssembly))]
        public async Task A_cancellation_token_records_whether_cancellation_was_requested(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var carriers = woven.New("DataCarriers");

            using var capture = new SpanCapture();
            using var canceled = new CancellationTokenSource();
            canceled.Cancel();
            Assert.Equal("HTTP://A", await (Task<string>)woven.Call(carriers, "FetchAsync", "http://a", CancellationToken.None)!);
            Assert.Equal("HTTP://B", await (Task<string>)woven.Call(carriers, "FetchAsync", "http://b", canceled.Token)!);

            var spans = capture.Spans.Where(s => s.DisplayName == "DataCarriers.FetchAsync").OrderBy(s => s.StartTimeUtc).ToList();
            Assert.Equal("{\"url\":\"http://a\",\"cancellationToken\":{\"canceled\":false}}", spans[0].GetTagItem("mirascope.trace.arg_values"));
            Assert.Equal("{\"url\":\"http://b\",\"cancellationToken\":{\"canceled\":true}}", spans[1].GetTagItem("mirascope.trace.arg_values"));
        }

        [Theory]
        [MemberData(nameof(WovenAssembly.Configurations), MemberType = typeof(WovenAssembly))]
        public void A_tree_records_the_content_of_its_private_collections_not_only_its_links(string configuration)
        {
            var woven = WovenAssembly.Get(configuration);
            var carriers = woven.New("DataCarriers");
            var node = woven.Type("TreeNode");
            object New(string name, params string[] labels) => System.Activator.CreateInstance(node, name, labels)!;
            var root = New("root", "top");
            woven.Call(root, "Add", New("a"));
            woven.Call(root, "Add", woven.Call(New("b", "x", "y"), "Add", New("b1")));

            using var capture = new SpanCapture();
            Assert.Equal(2, woven.Call(carriers, "Size", root));

            // Children link back to their parent: a cycle marker, not the parent again. Depth 4 stops b1's own members.
            Assert.Equal(
                "{\"root\":{\"Name\":\"root\",\"Parent\":null,\"children\":["
                + "{\"Name\":\"a\",\"Parent\":\"<TreeNode: cycle>\",\"children\":[],\"labels\":[]},"
                + "{\"Name\":\"b\",\"Parent\":\"<TreeNode: cycle>\",\"children\":[\"<TreeNode: max depth>\"],\"labels\":[\"x\",\"y\"]}"
                + "],\"labels\":[\"top\"]}}",
                capture.Single("DataCarriers.Size").GetTagItem("mirascope.trace.arg_values"));
        }
    }
}
